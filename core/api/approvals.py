"""How the API shows an approval request (core.approvals): the `approvals`
resource and the 202 of an action that waits for approval (a plan's
activation, a mentee's discharge or graduation) answer the same body. A
plain serializer, so that the apps below supervision can name it."""

from rest_framework import serializers

ACTIONS = ["plan_activation", "mentee_discharge", "mentee_graduation"]
STATUSES = ["requested", "approved", "rejected", "withdrawn"]


class ApprovalRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    program = serializers.IntegerField(source="program_id", read_only=True)
    action = serializers.ChoiceField(choices=ACTIONS, read_only=True)
    status = serializers.ChoiceField(
        choices=STATUSES,
        read_only=True,
        help_text="requested (waiting), approved (the action took effect), rejected or withdrawn.",
    )
    mentee = serializers.IntegerField(source="mentee_id", read_only=True)
    plan = serializers.IntegerField(
        source="plan_id", read_only=True, allow_null=True, help_text="For a plan's activation."
    )
    plan_version = serializers.SerializerMethodField()
    to_status = serializers.SerializerMethodField()
    mentor = serializers.IntegerField(
        source="mentor_id",
        read_only=True,
        allow_null=True,
        help_text="The mentee's mentor when it was asked: their supervisor may decide.",
    )
    requested_by = serializers.IntegerField(source="requested_by_id", read_only=True)
    requested_at = serializers.DateTimeField(read_only=True)
    decided_by = serializers.IntegerField(source="decided_by_id", read_only=True, allow_null=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    comment = serializers.CharField(read_only=True, help_text="The decider's comment.")

    def get_plan_version(self, approval) -> int | None:
        return approval.details.get("version")

    def get_to_status(self, approval) -> str | None:
        """For a discharge or a graduation: the status asked for."""
        return approval.details.get("to_status")


class ApprovalDecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, default="",
        help_text="Needed to approve or reject.",
    )  # fmt: skip
