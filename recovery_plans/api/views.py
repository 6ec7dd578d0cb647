from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api.conditional import ConditionalMixin
from core.api.scoping import ScopedViewSetMixin
from core.api.service_errors import call_service

from .. import selectors, services
from ..models import ActionStep, Goal, RecoveryPlan
from ..permissions import can_edit_plan, can_tick_step
from .filters import ActionStepFilter, GoalFilter, RecoveryPlanFilter
from .serializers import (
    ActionStepSerializer,
    GoalSerializer,
    GoalUpdateSerializer,
    RecoveryPlanCreateSerializer,
    RecoveryPlanSerializer,
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

    @extend_schema(request=None, responses=RecoveryPlanSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        plan = call_service(
            services.plan_activate, plan=self.get_object(), activated_by=request.user
        )
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
