from rest_framework import serializers

from mentorship.models import MenteeProfile

from ..models import ActionStep, Goal, PlanTemplate, RecoveryPlan


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
