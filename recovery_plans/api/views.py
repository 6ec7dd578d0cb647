from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core import approvals
from core.api.approvals import ApprovalRequestSerializer
from core.api.conditional import ConditionalMixin
from core.api.idempotency import IDEMPOTENCY_HEADER, once_from
from core.api.scoping import ScopedViewSetMixin
from core.api.service_errors import call_service
from mentorship.permissions import can_work_with_mentee

from .. import selectors, services
from ..models import (
    ActionStep,
    Goal,
    PlanTemplate,
    RecoveryPlan,
    SafetyPlan,
    SupportContact,
    Trigger,
)
from ..permissions import can_edit_plan, can_manage_templates, can_tick_step
from .filters import (
    ActionStepFilter,
    GoalFilter,
    PlanPartFilter,
    PlanTemplateFilter,
    RecoveryPlanFilter,
    SupportFilter,
)
from .serializers import (
    ActionStepSerializer,
    CopingWriteSerializer,
    GoalSerializer,
    GoalUpdateSerializer,
    PlanTemplateListSerializer,
    PlanTemplateSerializer,
    PlanTemplateWriteSerializer,
    RecoveryPlanCreateSerializer,
    RecoveryPlanSerializer,
    SafetyPlanSerializer,
    SafetyPlanWriteSerializer,
    SupportSerializer,
    SupportWriteSerializer,
    TemplateGoalWriteSerializer,
    TriggerSerializer,
    TriggerWriteSerializer,
)


class RecoveryPlanViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Plans the caller reaches (mentees: their active and earlier versions, no drafts)."""

    queryset = RecoveryPlan.objects.all()
    serializer_class = RecoveryPlanSerializer
    filterset_class = RecoveryPlanFilter

    def scoped_queryset(self):
        return selectors.plan_list(user=self.request.user)

    @extend_schema(request=RecoveryPlanCreateSerializer, responses=RecoveryPlanSerializer)
    def create(self, request):
        data = RecoveryPlanCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        plan = call_service(services.plan_create, created_by=request.user, **data.validated_data)
        return Response(
            RecoveryPlanSerializer(self._fresh(plan)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=RecoveryPlanSerializer, responses=RecoveryPlanSerializer)
    def partial_update(self, request, pk=None):
        plan = self.get_object()
        data = RecoveryPlanSerializer(plan, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        call_service(
            services.plan_set_review_date,
            plan=plan,
            by=request.user,
            review_on=data.validated_data.get("review_on", plan.review_on),
        )
        return Response(RecoveryPlanSerializer(self._fresh(plan)).data)

    def _fresh(self, plan):
        return selectors.plan_list(user=self.request.user).get(pk=plan.pk)

    @extend_schema(
        request=None, responses={200: RecoveryPlanSerializer, 202: ApprovalRequestSerializer}
    )
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        plan = call_service(
            services.plan_activate, plan=self.get_object(), activated_by=request.user
        )
        waiting = approvals.approval_request_of(plan)
        if waiting is not None:
            # Nothing changed yet: the request, for the mentor's supervisor or
            # a coordinator to approve (core.approvals).
            return Response(approvals.serialized(waiting), status=status.HTTP_202_ACCEPTED)
        return Response(RecoveryPlanSerializer(self._fresh(plan)).data)

    @extend_schema(request=None, responses=RecoveryPlanSerializer)
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        draft = call_service(
            services.plan_new_version, plan=self.get_object(), created_by=request.user
        )
        return Response(
            RecoveryPlanSerializer(self._fresh(draft)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses=RecoveryPlanSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        plan = call_service(services.plan_acknowledge, plan=self.get_object(), user=request.user)
        return Response(RecoveryPlanSerializer(self._fresh(plan)).data)


class GoalViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Goals of the plans the caller reaches. Mentees read; only the mentor and
    coordinators write (403 on a goal a mentee can see)."""

    queryset = Goal.objects.all()
    serializer_class = GoalSerializer
    filterset_class = GoalFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def scoped_queryset(self):
        return Goal.objects.visible_to(self.request.user).select_related("plan__mentee")

    def get_serializer_class(self):
        return GoalUpdateSerializer if self.action == "partial_update" else GoalSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("status", None)
        serializer.instance = call_service(services.goal_add, by=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = call_service(
            services.goal_update,
            goal=serializer.instance,
            by=self.request.user,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        call_service(services.goal_remove, goal=instance, by=self.request.user)


class ActionStepViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Action steps. A mentee may only mark their own steps done (`done`), nothing else."""

    queryset = ActionStep.objects.all()
    serializer_class = ActionStepSerializer
    filterset_class = ActionStepFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def scoped_queryset(self):
        return ActionStep.objects.visible_to(self.request.user).select_related("goal__plan__mentee")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("done", None)
        serializer.instance = call_service(services.step_add, by=self.request.user, **data)

    def perform_update(self, serializer):
        step, user, data = serializer.instance, self.request.user, dict(serializer.validated_data)
        plan = step.goal.plan
        if set(data) - {"done"} and not can_edit_plan(user, plan):
            raise PermissionDenied(gettext("You can only mark your own steps done."))
        if "done" in data and not can_tick_step(user, plan):
            raise PermissionDenied(gettext("You cannot tick off this step."))
        if "done" in data:
            call_service(services.step_set_done, step=step, by=user, done=data.pop("done"))
        if data:
            call_service(services.step_update, step=step, by=user, **data)

    def perform_destroy(self, instance):
        call_service(services.step_remove, step=instance, by=self.request.user)


class TriggerViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Triggers of the plans the caller reaches, each with its ways to cope
    (a mentee: their active and earlier plans). The mentor and coordinators
    add one, or another way to cope with one, as on the plan page."""

    queryset = Trigger.objects.all()
    serializer_class = TriggerSerializer
    filterset_class = PlanPartFilter

    def scoped_queryset(self):
        return selectors.trigger_list(user=self.request.user)

    def _fresh(self, trigger):
        return selectors.trigger_list(user=self.request.user).get(pk=trigger.pk)

    @extend_schema(
        request=TriggerWriteSerializer,
        responses={201: TriggerSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def create(self, request):
        data = TriggerWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        trigger = call_service(
            services.trigger_add, once=once_from(request), by=request.user, **data.validated_data
        )
        return Response(
            TriggerSerializer(self._fresh(trigger)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=CopingWriteSerializer,
        responses={201: TriggerSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    @action(detail=True, methods=["post"])
    def coping(self, request, pk=None):
        """Add another way to cope with the trigger (last in its list)."""
        trigger = self.get_object()
        if not can_work_with_mentee(request.user, trigger.plan.mentee):  # before the body is read
            raise PermissionDenied(
                gettext("Only the mentee's mentor and the program's coordinators edit plans.")
            )
        data = CopingWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call_service(
            services.coping_add,
            once=once_from(request),
            trigger=trigger,
            by=request.user,
            **data.validated_data,
        )
        return Response(
            TriggerSerializer(self._fresh(trigger)).data, status=status.HTTP_201_CREATED
        )


class SupportViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The supports (people, groups, services) of the plans the caller reaches.
    The mentor and coordinators add one, as on the plan page."""

    queryset = SupportContact.objects.all()
    serializer_class = SupportSerializer
    filterset_class = SupportFilter

    def scoped_queryset(self):
        return selectors.support_list(user=self.request.user)

    @extend_schema(
        request=SupportWriteSerializer,
        responses={201: SupportSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def create(self, request):
        data = SupportWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        support = call_service(
            services.support_add, once=once_from(request), by=request.user, **data.validated_data
        )
        fresh = selectors.support_list(user=request.user).get(pk=support.pk)
        return Response(SupportSerializer(fresh).data, status=status.HTTP_201_CREATED)


class SafetyPlanViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The safety plan of each recovery plan the caller reaches (every plan has
    one from its start). PATCH changes the parts sent, as the page's form
    does: the mentor and coordinators, on a plan that is not archived."""

    queryset = SafetyPlan.objects.all()
    serializer_class = SafetyPlanSerializer
    filterset_class = PlanPartFilter
    http_method_names = ["get", "patch", "head", "options"]

    def scoped_queryset(self):
        return selectors.safety_plan_list(user=self.request.user)

    @extend_schema(request=SafetyPlanWriteSerializer, responses=SafetyPlanSerializer)
    def partial_update(self, request, pk=None):
        safety = self.get_object()
        data = SafetyPlanWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        plan = RecoveryPlan.objects.select_related("mentee__program").get(pk=safety.plan_id)
        call_service(services.safety_plan_save, plan=plan, by=request.user, **data.validated_data)
        fresh = selectors.safety_plan_list(user=request.user).get(pk=safety.pk)
        return Response(SafetyPlanSerializer(fresh).data)


class PlanTemplateViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """A program's plan templates, for its coordinators and mentors (admins:
    every program's). Coordinators add one to their program, and goals with
    their steps to one, as on the templates pages."""

    queryset = PlanTemplate.objects.all()
    serializer_class = PlanTemplateSerializer
    filterset_class = PlanTemplateFilter

    def scoped_queryset(self):
        if self.action == "list":
            return selectors.template_list(user=self.request.user)
        return selectors.template_with_goals(user=self.request.user)

    def get_serializer_class(self):
        return PlanTemplateListSerializer if self.action == "list" else PlanTemplateSerializer

    def _fresh(self, template):
        return selectors.template_with_goals(user=self.request.user).get(pk=template.pk)

    @extend_schema(
        request=PlanTemplateWriteSerializer,
        responses={201: PlanTemplateSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def create(self, request):
        data = PlanTemplateWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if request.user.program is None:
            raise PermissionDenied(gettext("Coordinators keep their program's templates."))
        template = call_service(
            services.template_create,
            once=once_from(request),
            program=request.user.program,
            by=request.user,
            **data.validated_data,
        )
        return Response(
            PlanTemplateSerializer(self._fresh(template)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=TemplateGoalWriteSerializer, responses={201: PlanTemplateSerializer})
    @action(detail=True, methods=["post"])
    def goals(self, request, pk=None):
        """Add a goal, with its steps, to the template (last in its list)."""
        template = self.get_object()
        if not can_manage_templates(request.user, template.program):  # before the body is read
            raise PermissionDenied(gettext("Coordinators keep their program's templates."))
        data = TemplateGoalWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call_service(
            services.template_goal_add, template=template, by=request.user, **data.validated_data
        )
        return Response(
            PlanTemplateSerializer(self._fresh(template)).data, status=status.HTTP_201_CREATED
        )
