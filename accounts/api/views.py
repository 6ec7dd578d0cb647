from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api.conditional import ConditionalMixin
from core.api.idempotency import IDEMPOTENCY_HEADER, check_same_object, once_from
from core.api.scoping import ScopedViewSetMixin
from core.api.service_errors import call_service

from .. import selectors, services
from ..models import Invitation, Program, User
from ..permissions import AdminMayChange, CanInvite, PeoplePermission
from .filters import InvitationFilter, PeopleFilter, ProgramFilter
from .serializers import (
    InvitationInputSerializer,
    InvitationOutputSerializer,
    PersonMoveSerializer,
    PersonRoleChangeSerializer,
    PersonSerializer,
    ProgramSerializer,
    UserSerializer,
)


class ProgramViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Programs: everyone reads their own; admins read all and create or edit."""

    queryset = Program.objects.all()
    serializer_class = ProgramSerializer
    permission_classes = [IsAuthenticated, AdminMayChange]
    filterset_class = ProgramFilter

    def scoped_queryset(self):
        return Program.objects.visible_to(self.request.user)


class CurrentUserViewSet(viewsets.GenericViewSet):
    serializer_class = UserSerializer

    @extend_schema(responses=UserSerializer)
    @action(detail=False, methods=["get"], url_path="me")
    def me(self, request):
        return Response(UserSerializer(request.user).data)


class InvitationViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Invitations of the caller's program (admins: all). Create sends the email."""

    queryset = Invitation.objects.all()
    serializer_class = InvitationOutputSerializer
    permission_classes = [IsAuthenticated, CanInvite]
    filterset_class = InvitationFilter

    def scoped_queryset(self):
        return selectors.invitation_list(user=self.request.user)

    @extend_schema(request=InvitationInputSerializer, responses=InvitationOutputSerializer)
    def create(self, request):
        serializer = InvitationInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        program = data.get("program")
        if program is None and request.user.is_coordinator:
            program = request.user.program
        issued = call_service(
            services.invitation_create,
            invited_by=request.user,
            email=data["email"],
            role=data["role"],
            program=program,
            full_name=data.get("full_name", ""),
            site_url=settings.SITE_URL,
        )
        return Response(
            InvitationOutputSerializer(issued.invitation).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses=InvitationOutputSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        invitation = self.get_object()
        call_service(services.invitation_revoke, invitation=invitation, revoked_by=request.user)
        return Response(InvitationOutputSerializer(invitation).data)


class PersonViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """People, as on the people page: admins list everyone and deactivate,
    reactivate, change roles and move people between programs; coordinators
    read their program's people. Each change runs the page's service, with
    its rules and its words; send an Idempotency-Key to make a retry safe."""

    queryset = User.objects.all()
    serializer_class = PersonSerializer
    permission_classes = [IsAuthenticated, PeoplePermission]
    filterset_class = PeopleFilter

    def scoped_queryset(self):
        return selectors.people_list(user=self.request.user)

    def _change(self, request, service, body=None, **kwargs):
        # The person first: out of scope is a 404 and not an admin a 403,
        # whatever the body says.
        person = self.get_object()
        if body is not None:
            data = body(data=request.data)
            data.is_valid(raise_exception=True)
            kwargs.update(data.validated_data)
        changed = call_service(service, person=person, once=once_from(request), **kwargs)
        check_same_object(changed, person)
        return Response(PersonSerializer(changed).data)

    @extend_schema(request=None, responses=PersonSerializer, parameters=[IDEMPOTENCY_HEADER])
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """Stop the person signing in: every session and API token of theirs
        ends. A mentor hands their mentees over first."""
        return self._change(request, services.person_deactivate, deactivated_by=request.user)

    @extend_schema(request=None, responses=PersonSerializer, parameters=[IDEMPOTENCY_HEADER])
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        """Let the person sign in again, with the role and program they had."""
        return self._change(request, services.person_reactivate, reactivated_by=request.user)

    @extend_schema(
        request=PersonRoleChangeSerializer,
        responses=PersonSerializer,
        parameters=[IDEMPOTENCY_HEADER],
    )
    @action(detail=True, methods=["post"], url_path="change-role", url_name="change-role")
    def change_role(self, request, pk=None):
        """Make a staff member admin, coordinator or mentor (never to or from
        mentee). A mentor hands their mentees over first."""
        return self._change(
            request,
            services.person_change_role,
            body=PersonRoleChangeSerializer,
            changed_by=request.user,
        )

    @extend_schema(
        request=PersonMoveSerializer, responses=PersonSerializer, parameters=[IDEMPOTENCY_HEADER]
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move a coordinator, mentor or mentee to another program. A mentor
        hands their mentees over first; a mentee's active assignment ends with
        the handoff summary, and their record (and its history) moves with them."""
        return self._change(
            request, services.person_move, body=PersonMoveSerializer, moved_by=request.user
        )
