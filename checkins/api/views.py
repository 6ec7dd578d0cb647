import uuid

from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from core.api import examples
from core.api.conditional import ConditionalMixin
from core.api.idempotency import IDEMPOTENCY_HEADER as IDEMPOTENCY_KEY
from core.api.idempotency import once_from
from core.api.scoping import ScopedViewSetMixin
from core.api.service_errors import call_service
from mentorship.models import MenteeProfile

from .. import selectors, services
from ..models import CheckIn, CheckInSchedule, GroupSession, RecoveryCapitalAssessment
from ..permissions import can_correct_checkin, can_manage_mentees
from .filters import CheckInFilter, GroupSessionFilter, RecoveryCapitalFilter, ScheduleFilter
from .serializers import (
    CheckInCorrectionSerializer,
    CheckInForMenteeSerializer,
    CheckInListSerializer,
    CheckInSerializer,
    CheckInVoidSerializer,
    CheckInWriteSerializer,
    GroupSessionSerializer,
    GroupSessionWriteSerializer,
    RecoveryCapitalSerializer,
    RecoveryCapitalWriteSerializer,
    ScheduleSerializer,
)

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.UUID,
    location=OpenApiParameter.HEADER,
    required=False,
    description="A UUID per check-in: sending the same request again returns the first check-in.",
)


class CheckInViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Check-ins of the mentees the caller reaches. Create logs one with the
    page's rules; PATCH corrects one (its author, within 7 days)."""

    queryset = CheckIn.objects.all()
    serializer_class = CheckInSerializer
    filterset_class = CheckInFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self):
        if self.action == "list":
            return selectors.checkin_rows(user=self.request.user)
        return selectors.checkin_list(user=self.request.user)

    def get_serializer_class(self):
        if not getattr(self, "swagger_fake_view", False) and self.request.user.is_mentee:
            return CheckInForMenteeSerializer
        return CheckInListSerializer if self.action == "list" else CheckInSerializer

    @extend_schema(examples=examples.CHECKIN_DETAIL)
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=CheckInWriteSerializer,
        responses={201: CheckInSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        examples=examples.CHECKIN_CREATE,
    )
    def create(self, request):
        data = CheckInWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        mentee = fields.pop("mentee")
        key = _idempotency_key(request)
        checkin = call_service(
            services.checkin_log, author=request.user, mentee=mentee, idempotency_key=key, **fields
        )
        return Response(CheckInSerializer(checkin).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CheckInCorrectionSerializer, responses=CheckInSerializer)
    def partial_update(self, request, pk=None):
        checkin = self.get_object()
        if not can_correct_checkin(request.user, checkin):
            raise PermissionDenied(gettext("Only the author corrects a check-in."))
        data = CheckInCorrectionSerializer(
            data=request.data, context={"request": request}, partial=True
        )
        data.is_valid(raise_exception=True)
        checkin = call_service(
            services.checkin_correct, checkin=checkin, editor=request.user, **data.validated_data
        )
        return Response(CheckInSerializer(checkin).data)

    @extend_schema(request=CheckInVoidSerializer, responses=CheckInSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        """Void a check-in entered by mistake: its author within 7 days, the
        program's coordinators at any time; it stays in the history."""
        checkin = self.get_object()
        if not (
            can_manage_mentees(request.user, checkin.mentee.program)
            or checkin.author_id == request.user.pk
        ):
            raise PermissionDenied(
                gettext("Only its author or the program's coordinators void a check-in.")
            )
        data = CheckInVoidSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        checkin = call_service(
            services.checkin_void, checkin=checkin, by=request.user, **data.validated_data
        )
        return Response(CheckInSerializer(checkin).data)


class RecoveryCapitalViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """BARC-10 assessments of the mentees the caller reaches (a mentee: their
    own). Create records one with the page's rules: the mentee's mentor or
    the program's coordinators, ten scores from 1 to 6, never in the future."""

    queryset = RecoveryCapitalAssessment.objects.all()
    serializer_class = RecoveryCapitalSerializer
    filterset_class = RecoveryCapitalFilter
    http_method_names = ["get", "post", "head", "options"]

    def scoped_queryset(self):
        return selectors.assessment_list(user=self.request.user)

    @extend_schema(
        request=RecoveryCapitalWriteSerializer,
        responses={201: RecoveryCapitalSerializer},
        parameters=[IDEMPOTENCY_KEY],
    )
    def create(self, request):
        data = RecoveryCapitalWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        assessment = call_service(
            services.assessment_record,
            once=once_from(request),
            mentee=data.validated_data["mentee"],
            entered_by=request.user,
            scores=data.scores(),
            assessed_on=data.validated_data.get("assessed_on"),
        )
        return Response(RecoveryCapitalSerializer(assessment).data, status=status.HTTP_201_CREATED)


class ScheduleViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """When the next check-in is due, for the current assignment of each mentee
    the caller reaches (a mentee: their own). Kept by the check-ins
    themselves: read only, as on the pages."""

    queryset = CheckInSchedule.objects.all()
    serializer_class = ScheduleSerializer
    filterset_class = ScheduleFilter

    def scoped_queryset(self):
        return selectors.schedule_list(user=self.request.user)


class GroupSessionViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Peer support groups: coordinators their program's, mentors those they
    facilitated or co-facilitated; nobody else. Create logs a group with its
    attendance: each mentee who came gets a check-in of kind group. The same
    Idempotency-Key again returns the first group."""

    queryset = GroupSession.objects.all()
    serializer_class = GroupSessionSerializer
    filterset_class = GroupSessionFilter
    http_method_names = ["get", "post", "head", "options"]

    def scoped_queryset(self):
        return selectors.group_session_list(user=self.request.user)

    @extend_schema(
        request=GroupSessionWriteSerializer,
        responses=GroupSessionSerializer,
        parameters=[IDEMPOTENCY_HEADER],
    )
    def create(self, request):
        if not (request.user.is_mentor or request.user.is_coordinator):
            raise PermissionDenied(gettext("Only mentors and coordinators log group sessions."))
        data = GroupSessionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        attendees = [
            services.NewAttendee(MenteeProfile(pk=a["mentee"]), a["status"], a["note"])
            for a in fields.pop("attendees")
        ]
        group = call_service(
            services.group_session_log,
            by=request.user,
            attendees=attendees,
            idempotency_key=_idempotency_key(request),
            **fields,
        )
        group = self.scoped_queryset().get(pk=group.pk)
        return Response(GroupSessionSerializer(group).data, status=status.HTTP_201_CREATED)


def _idempotency_key(request) -> uuid.UUID | None:
    key = request.headers.get("Idempotency-Key") or None
    if not key:
        return None
    try:
        return uuid.UUID(key)
    except ValueError as exc:
        raise ValidationError({"Idempotency-Key": gettext("Send a UUID.")}) from exc
