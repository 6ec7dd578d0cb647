from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api.approvals import ApprovalDecisionSerializer, ApprovalRequestSerializer
from core.api.conditional import ConditionalMixin
from core.api.scoping import ScopedViewSetMixin
from core.api.service_errors import call_service
from mentorship.models import MenteeProfile

from .. import selectors, services
from ..models import ApprovalRequest, FollowUpRequest, SupervisionSession, Supervisor
from ..permissions import get_follow_up_target_for_user
from .filters import (
    ApprovalRequestFilter,
    FollowUpRequestFilter,
    SupervisionSessionFilter,
    SupervisorFilter,
)
from .serializers import (
    FollowUpRequestSerializer,
    FollowUpRequestWriteSerializer,
    FollowUpResolveSerializer,
    SupervisionSessionSerializer,
    SupervisionSessionWriteSerializer,
    SupervisorSerializer,
)


class SupervisorViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Supervisors of the caller's program (admins: every program's)."""

    queryset = Supervisor.objects.all()
    serializer_class = SupervisorSerializer
    filterset_class = SupervisorFilter

    def scoped_queryset(self):
        return selectors.supervisor_list(user=self.request.user)


class SupervisionSessionViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Supervision sessions the caller reaches: admins every one; coordinators
    their program's; a mentor those they supervised or attended and their
    supervisees'. Notes only for the supervisor, the mentors and admins.
    Create: a current supervisor records a session they held."""

    queryset = SupervisionSession.objects.all()
    serializer_class = SupervisionSessionSerializer
    filterset_class = SupervisionSessionFilter
    http_method_names = ["get", "post", "head", "options"]

    def scoped_queryset(self):
        return selectors.session_list(user=self.request.user).prefetch_related("mentees_discussed")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        if user.is_authenticated and not user.is_admin:
            context["reachable_mentees"] = set(
                MenteeProfile.objects.visible_to(user).values_list("pk", flat=True)
            )
        return context

    @extend_schema(
        request=SupervisionSessionWriteSerializer, responses=SupervisionSessionSerializer
    )
    def create(self, request):
        data = SupervisionSessionWriteSerializer(
            data=request.data, program_id=request.user.program_id
        )
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["action_items"] = [
            services.NewActionItem(i["mentor"], i["description"], i["due_on"])
            for i in fields["action_items"]
        ]
        session = call_service(services.session_record, by=request.user, **fields)
        session = self.scoped_queryset().get(pk=session.pk)
        return Response(
            SupervisionSessionSerializer(session, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class FollowUpRequestViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Follow-up requests on a check-in or a recovery plan: a mentor reads
    those asked of them (and those they asked as a supervisor), coordinators
    their program's; mentees none. Create: a coordinator of the program or
    the mentor's supervisor asks the mentee's current mentor. Resolve: the
    mentor asked answers; answered twice, the first answer stands."""

    queryset = FollowUpRequest.objects.all()
    serializer_class = FollowUpRequestSerializer
    filterset_class = FollowUpRequestFilter
    http_method_names = ["get", "post", "head", "options"]

    def scoped_queryset(self):
        return selectors.follow_up_list(user=self.request.user).order_by(
            "resolved_at", "due_on", "-created_at", "-pk"
        )

    @extend_schema(request=FollowUpRequestWriteSerializer, responses=FollowUpRequestSerializer)
    def create(self, request):
        if request.user.is_mentee:
            raise PermissionDenied("Only staff ask for a follow-up.")
        data = FollowUpRequestWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        kind = "checkin" if fields["checkin"] is not None else "plan"
        target = get_follow_up_target_for_user(request.user, kind, fields.pop(kind))
        fields.pop("plan" if kind == "checkin" else "checkin")
        follow_up = call_service(
            services.follow_up_request, by=request.user, **{kind: target}, **fields
        )
        return Response(FollowUpRequestSerializer(follow_up).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FollowUpResolveSerializer, responses=FollowUpRequestSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Answer the request (the mentor asked only); the answer resolves it
        and the person who asked is told."""
        follow_up = self.get_object()
        data = FollowUpResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        resolved = call_service(
            services.follow_up_resolve, follow_up=follow_up, by=request.user,
            answer=data.validated_data["answer"],
        )  # fmt: skip
        return Response(FollowUpRequestSerializer(resolved).data)


class ApprovalRequestViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Requests for approval where the program requires it: admins every one;
    coordinators their program's; a mentor their own, their mentees' and, as
    a supervisor, their current supervisees'; mentees none. A request is made
    by the action it waits on (POST recovery-plans/{id}/activate, POST
    mentees/{id}/transition to discharged or graduated), which then answers
    202 with it. approve, reject: the mentor's supervisor or a coordinator
    (never the person who asked), with a comment; withdraw: the person who
    asked."""

    queryset = ApprovalRequest.objects.all()
    serializer_class = ApprovalRequestSerializer
    filterset_class = ApprovalRequestFilter

    def scoped_queryset(self):
        return selectors.approval_list(user=self.request.user)

    def _decide(self, request, approve: bool):
        data = ApprovalDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        approval = call_service(
            services.approval_decide,
            approval=self.get_object(),
            by=request.user,
            approve=approve,
            comment=data.validated_data["comment"],
        )
        return Response(ApprovalRequestSerializer(approval).data)

    @extend_schema(request=ApprovalDecisionSerializer, responses=ApprovalRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The action takes effect now, its rules checked again; refused (400)
        when they no longer hold (the plan changed, the mentee was closed)."""
        return self._decide(request, approve=True)

    @extend_schema(request=ApprovalDecisionSerializer, responses=ApprovalRequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, approve=False)

    @extend_schema(request=None, responses=ApprovalRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        approval = call_service(
            services.approval_withdraw, approval=self.get_object(), by=request.user
        )
        return Response(ApprovalRequestSerializer(approval).data)
