from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api.scoping import ScopedViewSetMixin
from core.api.service_errors import call_service

from .. import selectors, services
from ..models import Invitation, Program
from ..permissions import AdminMayChange, CanInvite
from .serializers import (
    InvitationInputSerializer,
    InvitationOutputSerializer,
    ProgramSerializer,
    UserSerializer,
)


class ProgramViewSet(
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

    def scoped_queryset(self):
        return Program.objects.visible_to(self.request.user)


class CurrentUserViewSet(viewsets.GenericViewSet):
    serializer_class = UserSerializer

    @extend_schema(responses=UserSerializer)
    @action(detail=False, methods=["get"], url_path="me")
    def me(self, request):
        return Response(UserSerializer(request.user).data)


class InvitationViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Invitations of the caller's program (admins: all). Create sends the email."""

    queryset = Invitation.objects.all()
    serializer_class = InvitationOutputSerializer
    permission_classes = [IsAuthenticated, CanInvite]

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
