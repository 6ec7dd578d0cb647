from django.conf import settings
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from core import approvals
from core.api import examples
from core.api.approvals import ApprovalRequestSerializer
from core.api.conditional import ConditionalMixin
from core.api.scoping import ScopedViewSetMixin
from core.api.service_errors import call_service

from .. import selectors, services
from ..matching import matching_for
from ..models import Assignment, MenteeProfile, MenteeStatusChange, MentorProfile
from ..permissions import (
    can_edit_mentor_profile,
    can_manage_mentees,
    can_set_mentor_capacity,
    can_work_with_mentee,
    is_current_mentor,
)
from .filters import AssignmentFilter, MenteeFilter, MentorFilter, StatusChangeFilter
from .serializers import (
    AssignmentCreateSerializer,
    AssignmentEndSerializer,
    AssignmentForMenteeSerializer,
    AssignmentSerializer,
    MatchingSerializer,
    MenteeListSerializer,
    MenteeProfileSerializer,
    MentorCapacitySerializer,
    MentorProfileSerializer,
    MentorPublicSerializer,
    RemoteConsentSerializer,
    StatusChangeHistorySerializer,
    StatusChangeSerializer,
)


class CanChangeMentorProfile(BasePermission):
    """Mentors change their own profile; coordinators and admins its capacity."""

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        return can_edit_mentor_profile(user, obj) or can_set_mentor_capacity(user, obj)


class MentorViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Mentor profiles. Mentees see only their own mentor, and only the public part."""

    queryset = MentorProfile.objects.all()
    serializer_class = MentorProfileSerializer
    permission_classes = [IsAuthenticated, CanChangeMentorProfile]
    filterset_class = MentorFilter
    http_method_names = ["get", "patch", "head", "options"]

    def scoped_queryset(self):
        return selectors.mentor_profile_list(user=self.request.user)

    def get_serializer_class(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False):
            return MentorProfileSerializer
        if self.action == "partial_update" and not user.is_mentor:
            return MentorCapacitySerializer
        if user.is_mentee:
            return MentorPublicSerializer
        return MentorProfileSerializer


class CanManageMentee(BasePermission):
    """Reading follows the scope; changing a mentee is for their coordinators."""

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS and view.action != "match_suggestions":
            return True
        if view.action == "remote_consent":  # the mentor too, as on the consent page
            return can_work_with_mentee(request.user, obj)
        if view.action == "transition" and approvals.required(obj.program):
            # The mentor may ask to close the case; the service decides the rest.
            return can_manage_mentees(request.user, obj.program) or is_current_mentor(
                request.user, obj
            )
        return can_manage_mentees(request.user, obj.program)


class MenteeViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Mentee records: create is intake (coordinators), filters for status and mentor."""

    queryset = MenteeProfile.objects.all()
    serializer_class = MenteeProfileSerializer
    permission_classes = [IsAuthenticated, CanManageMentee]
    filterset_class = MenteeFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self):
        if self.action == "list":
            return selectors.mentee_rows(user=self.request.user)
        return selectors.mentee_list(user=self.request.user)

    def get_serializer_class(self):
        return MenteeListSerializer if self.action == "list" else MenteeProfileSerializer

    @extend_schema(examples=examples.MENTEE_LIST)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(examples=examples.MENTEE_DETAIL)
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(examples=examples.MENTEE_UPDATE)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def perform_create(self, serializer):
        user = self.request.user
        if not user.is_coordinator:
            raise PermissionDenied(gettext("Intake is done by the program's coordinators."))
        mentee = call_service(
            services.mentee_intake,
            program=user.program,
            created_by=user,
            **serializer.validated_data,
        )
        # Read back through the selector: the answer carries current_mentor.
        serializer.instance = self._read_back(mentee)

    def perform_update(self, serializer):
        mentee = call_service(
            services.mentee_update,
            mentee=serializer.instance,
            changed_by=self.request.user,
            **serializer.validated_data,
        )
        serializer.instance = self._read_back(mentee)

    def _read_back(self, mentee):
        return selectors.mentee_list(user=self.request.user).get(pk=mentee.pk)

    @extend_schema(
        request=StatusChangeSerializer,
        responses={200: MenteeProfileSerializer, 202: ApprovalRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        mentee = self.get_object()
        data = StatusChangeSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        done = call_service(
            services.mentee_transition,
            mentee=mentee,
            changed_by=request.user,
            **data.validated_data,
        )
        waiting = approvals.approval_request_of(done)
        if waiting is not None:
            # Nothing changed yet: the request, for the mentor's supervisor or
            # a coordinator to approve (core.approvals).
            return Response(approvals.serialized(waiting), status=status.HTTP_202_ACCEPTED)
        return Response(MenteeProfileSerializer(self.get_object()).data)

    @extend_schema(request=RemoteConsentSerializer, responses=MenteeProfileSerializer)
    @action(detail=True, methods=["post"], url_path="remote-consent")
    def remote_consent(self, request, pk=None):
        """Record the mentee's consent to remote services (telephone, or
        telephone and video), or that none is given: the mentee's mentor or
        the program's coordinators, as on the consent page."""
        mentee = self.get_object()
        data = RemoteConsentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call_service(
            services.mentee_record_remote_consent,
            mentee=mentee,
            recorded_by=request.user,
            **data.validated_data,
        )
        return Response(MenteeProfileSerializer(self.get_object()).data)

    @extend_schema(responses=MatchingSerializer)
    @action(detail=True, methods=["get"], url_path="match-suggestions")
    def match_suggestions(self, request, pk=None):
        """The program's eligible mentors ranked, every point explained, and
        the others left out with their reasons."""
        mentee = self.get_object()
        return Response(MatchingSerializer(matching_for(mentee)).data)

    @extend_schema(request=None, responses=MenteeProfileSerializer)
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        mentee = self.get_object()
        call_service(
            services.mentee_invite,
            mentee=mentee,
            invited_by=request.user,
            site_url=settings.SITE_URL,
        )
        return Response(MenteeProfileSerializer(self.get_object()).data)


class AssignmentViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Assignments. Creating one assigns (or reassigns) a mentor, with the page's rules."""

    queryset = Assignment.objects.all()
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter

    def scoped_queryset(self):
        return selectors.assignment_list(user=self.request.user)

    def get_serializer_class(self):
        if not getattr(self, "swagger_fake_view", False) and self.request.user.is_mentee:
            return AssignmentForMenteeSerializer
        return AssignmentSerializer

    @extend_schema(request=AssignmentCreateSerializer, responses=AssignmentSerializer)
    def create(self, request):
        data = AssignmentCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        assignment = call_service(
            services.assignment_create, assigned_by=request.user, **data.validated_data
        )
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssignmentEndSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        assignment = self.get_object()
        if not can_manage_mentees(request.user, assignment.mentee.program):
            raise PermissionDenied(gettext("Only the program's coordinators end assignments."))
        data = AssignmentEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ended = call_service(
            services.assignment_end,
            assignment=assignment,
            ended_by=request.user,
            **data.validated_data,
        )
        return Response(AssignmentSerializer(ended).data)


class StatusChangeViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Mentees' status histories, for those the mentee page shows them to: the
    program's coordinators (admins: with a grant). Made by
    mentees/{id}/transition; read only."""

    queryset = MenteeStatusChange.objects.all()
    serializer_class = StatusChangeHistorySerializer
    filterset_class = StatusChangeFilter

    def scoped_queryset(self):
        return selectors.status_change_list(user=self.request.user)
