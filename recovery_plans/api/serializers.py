from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import LeanListSerializer
from mentorship.models import MenteeProfile

from ..models import (
    SAFETY_FIELDS,
    ActionStep,
    Domain,
    Goal,
    PlanTemplate,
    RecoveryPlan,
    SafetyPlan,
    SupportContact,
    TemplateGoal,
    TemplateStep,
    Trigger,
)


class RecoveryPlanSerializer(serializers.ModelSerializer):
    goal_count = serializers.IntegerField(read_only=True)
    step_count = serializers.IntegerField(read_only=True)
    steps_done = serializers.IntegerField(read_only=True)
    changed_since_acknowledged = serializers.BooleanField(
        read_only=True,
        help_text="The active plan changed after the mentee agreed to it; she is asked "
        "to read it and agree again.",
    )

    class Meta:
        model = RecoveryPlan
        fields = [
            "id",
            "mentee",
            "version",
            "status",
            "review_on",
            "previous",
            "created_at",
            "activated_at",
            "archived_at",
            "acknowledged_at",
            "changed_since_acknowledged",
            "goal_count",
            "step_count",
            "steps_done",
        ]
        read_only_fields = [f for f in fields if f != "review_on"]


class RecoveryPlanCreateSerializer(serializers.Serializer):
    mentee = serializers.PrimaryKeyRelatedField(queryset=MenteeProfile.objects.none())
    template = serializers.PrimaryKeyRelatedField(
        queryset=PlanTemplate.objects.none(), required=False, allow_null=True
    )
    review_on = serializers.DateField(required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["mentee"].queryset = MenteeProfile.objects.visible_to(request.user)
            self.fields["template"].queryset = PlanTemplate.objects.visible_to(request.user)


class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = ["id", "plan", "domain", "description", "target_on", "status", "order"]
        read_only_fields = ["id", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "plan" in self.fields:
            self.fields["plan"].queryset = RecoveryPlan.objects.visible_to(request.user)


class GoalUpdateSerializer(GoalSerializer):
    class Meta(GoalSerializer.Meta):
        read_only_fields = ["id", "plan", "order"]


class ActionStepSerializer(serializers.ModelSerializer):
    done = serializers.BooleanField(required=False, write_only=True)
    is_done = serializers.SerializerMethodField()

    class Meta:
        model = ActionStep
        fields = [
            "id",
            "goal",
            "description",
            "due_on",
            "done",
            "is_done",
            "done_at",
            "done_by",
            "order",
        ]
        read_only_fields = ["id", "done_at", "done_by", "order"]

    def get_is_done(self, step) -> bool:
        return step.done_at is not None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["goal"].queryset = Goal.objects.visible_to(request.user)


@extend_schema_field(OpenApiTypes.INT)
class PlanChoice(serializers.PrimaryKeyRelatedField):
    """A plan the caller reaches (any other is "does not exist")."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return RecoveryPlan.objects.none()
        return RecoveryPlan.objects.visible_to(request.user).select_related("mentee__program")


# --- Triggers and ways to cope ------------------------------------------------


class TriggerSerializer(LeanListSerializer):
    """A trigger of a plan, with the ways to cope with it, in order."""

    mentee = serializers.IntegerField(
        source="mentee_id", read_only=True, help_text="the mentee record whose plan it is"
    )
    coping = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="the ways to cope, in order"
    )

    class Meta:
        model = Trigger
        fields = ["id", "plan", "mentee", "description", "order", "coping"]
        read_only_fields = fields


class TriggerWriteSerializer(serializers.Serializer):
    plan = PlanChoice()
    description = serializers.CharField(max_length=300)
    coping = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=list,
        help_text="ways to cope, in order (each at most 300 characters; blank ones are left out)",
    )


class CopingWriteSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=300, help_text="another way to cope")


# --- Supports ---------------------------------------------------------------------


SUPPORT_FIELDS = ["name", "relationship", "phone", "kind"]


class SupportSerializer(LeanListSerializer):
    """A person, group or service the mentee can turn to."""

    mentee = serializers.IntegerField(
        source="mentee_id", read_only=True, help_text="the mentee record whose plan it is"
    )

    class Meta:
        model = SupportContact
        fields = ["id", "plan", "mentee", *SUPPORT_FIELDS, "order"]
        read_only_fields = fields


class SupportWriteSerializer(serializers.ModelSerializer):
    plan = PlanChoice()

    class Meta:
        model = SupportContact
        fields = ["plan", *SUPPORT_FIELDS]


# --- Safety plans -----------------------------------------------------------------


class SafetyPlanSerializer(LeanListSerializer):
    """The Stanley–Brown safety plan kept with a recovery plan."""

    mentee = serializers.IntegerField(
        source="mentee_id", read_only=True, help_text="the mentee record whose plan it is"
    )

    class Meta:
        model = SafetyPlan
        fields = ["id", "plan", "mentee", *SAFETY_FIELDS]
        read_only_fields = fields


class SafetyPlanWriteSerializer(serializers.ModelSerializer):
    """The parts of the safety plan to change (the others stay as they are)."""

    class Meta:
        model = SafetyPlan
        fields = list(SAFETY_FIELDS)


# --- Plan templates --------------------------------------------------------------


class PlanTemplateListSerializer(LeanListSerializer):
    goal_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = PlanTemplate
        fields = ["id", "program", "name", "created_by", "created_at", "goal_count"]
        read_only_fields = fields


class TemplateStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = TemplateStep
        fields = ["id", "description", "order"]
        read_only_fields = fields


class TemplateGoalSerializer(serializers.ModelSerializer):
    steps = TemplateStepSerializer(many=True, read_only=True)

    class Meta:
        model = TemplateGoal
        fields = ["id", "domain", "description", "order", "steps"]
        read_only_fields = fields


class PlanTemplateSerializer(serializers.ModelSerializer):
    """A template with its goals and their steps (no dates: a plan gets them)."""

    goal_count = serializers.IntegerField(read_only=True)
    goals = TemplateGoalSerializer(many=True, read_only=True)

    class Meta:
        model = PlanTemplate
        fields = ["id", "program", "name", "created_by", "created_at", "goal_count", "goals"]
        read_only_fields = fields


class PlanTemplateWriteSerializer(serializers.Serializer):
    """A new template of the caller's program (its coordinators keep them)."""

    name = serializers.CharField(max_length=120)


class TemplateGoalWriteSerializer(serializers.Serializer):
    domain = serializers.ChoiceField(choices=Domain.choices)
    description = serializers.CharField(max_length=1000)
    steps = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=list,
        help_text="its steps, in order (each at most 300 characters; blank ones are left out)",
    )
