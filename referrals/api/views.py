from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from core.api.conditional import ConditionalMixin
from core.api.scoping import ScopedViewSetMixin
from core.api.service_errors import call_service
from core.client_ip import client_ip

from .. import selectors, services
from ..downloads import signed_form_download
from ..models import Consent, Disclosure, Referral, Resource
from ..permissions import can_work_with_mentee
from .filters import MenteeFilter, ReferralFilter, ResourceFilter
from .serializers import (
    ConsentSerializer,
    ConsentWriteSerializer,
    DisclosureSerializer,
    ReferralSerializer,
    ReferralStatusSerializer,
    ReferralWriteSerializer,
    ResourceSerializer,
    ResourceWriteSerializer,
    RevokeSerializer,
)


class _Listing(
    ConditionalMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    pass


class ResourceViewSet(_Listing, viewsets.GenericViewSet):
    """The resource directory of the caller's program (admins: every
    program's); coordinators add and correct entries, by the directory's
    rules (referrals.services). Mentees do not use the directory."""

    queryset = Resource.objects.all()
    serializer_class = ResourceSerializer
    filterset_class = ResourceFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self):
        if self.request.user.is_mentee:
            return Resource.objects.none()
        return selectors.resource_search(user=self.request.user)

    @extend_schema(request=ResourceWriteSerializer, responses=ResourceSerializer)
    def create(self, request):
        if request.user.program_id is None or request.user.is_mentee:
            raise PermissionDenied("A directory entry belongs to your program.")
        data = ResourceWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        resource = call_service(
            services.resource_create,
            program=request.user.program,
            by=request.user,
            **data.validated_data,
        )
        return Response(ResourceSerializer(resource).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ResourceWriteSerializer, responses=ResourceSerializer)
    def partial_update(self, request, pk=None):
        resource = self.get_object()
        data = ResourceWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        resource = call_service(
            services.resource_update, resource=resource, by=request.user, **data.validated_data
        )
        return Response(ResourceSerializer(resource).data)


class ConsentViewSet(_Listing, viewsets.GenericViewSet):
    """Part 2 consents of the mentees the caller reaches. Create: the mentee
    signs their own (signed_name and agreed: true); staff record a paper one
    (signed_name and signed_on). A consent is never updated: revoke it, and
    make a new one for new terms."""

    queryset = Consent.objects.all()
    serializer_class = ConsentSerializer
    filterset_class = MenteeFilter
    http_method_names = ["get", "post", "head", "options"]

    def scoped_queryset(self):
        return selectors.consent_list(user=self.request.user).select_related("mentee__program")

    @extend_schema(request=ConsentWriteSerializer, responses=ConsentSerializer)
    def create(self, request):
        data = ConsentWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        signed_on, agreed = fields.pop("signed_on"), fields.pop("agreed")
        signed_form = fields.pop("signed_form")
        if request.user.is_mentee:
            if signed_form is not None:
                raise ValidationError(
                    {
                        "signed_form": [
                            gettext("You sign in the portal: there is no form to upload.")
                        ]
                    }
                )
            consent = call_service(
                services.consent_sign, signer=request.user, agreed=agreed,
                ip=client_ip(request), **fields,
            )  # fmt: skip
        else:
            if signed_on is None:
                signed_on = _today(fields["mentee"])
            consent = call_service(
                services.consent_record, recorded_by=request.user, signed_on=signed_on,
                signed_form=signed_form, **fields,
            )  # fmt: skip
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def form(self, request, pk=None):
        """The signed paper form staff uploaded (a PDF, PNG or JPEG): 404 when
        the consent has none."""
        return signed_form_download(self.get_object())

    @extend_schema(request=RevokeSerializer, responses=ConsentSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Revoke at once (the mentee, their mentor or coordinators)."""
        consent = self.get_object()
        if not services.can_revoke_consent(request.user, consent):
            raise PermissionDenied(
                "Only the mentee, their mentor or coordinators revoke a consent."
            )
        data = RevokeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        consent = call_service(
            services.consent_revoke, consent=consent, by=request.user, **data.validated_data
        )
        return Response(ConsentSerializer(consent).data)


def _today(mentee):
    from core.dates import program_today

    return program_today(mentee.program)


class ReferralViewSet(_Listing, viewsets.GenericViewSet):
    """Referrals of the mentees the caller reaches. A warm handoff needs a
    consent covering it (else: information given to the mentee)."""

    queryset = Referral.objects.all()
    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter
    http_method_names = ["get", "post", "head", "options"]

    def scoped_queryset(self):
        return selectors.referral_list(user=self.request.user).select_related("mentee__program")

    @extend_schema(request=ReferralWriteSerializer, responses=ReferralSerializer)
    def create(self, request):
        data = ReferralWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        referral = call_service(services.referral_create, by=request.user, **data.validated_data)
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReferralStatusSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Move the referral on; sending a warm handoff records its disclosure."""
        referral = self.get_object()
        if not can_work_with_mentee(request.user, referral.mentee):
            raise PermissionDenied("Only the mentee's mentor or coordinators update a referral.")
        data = ReferralStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral = call_service(
            services.referral_move, referral=referral, by=request.user, **data.validated_data
        )
        return Response(ReferralSerializer(referral).data)


class DisclosureViewSet(_Listing, viewsets.GenericViewSet):
    """What left the program about the mentees the caller reaches: read only."""

    queryset = Disclosure.objects.all()
    serializer_class = DisclosureSerializer
    filterset_class = MenteeFilter

    def scoped_queryset(self):
        return selectors.disclosure_list(user=self.request.user)
