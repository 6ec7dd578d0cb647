from rest_framework import serializers

from accounts.models import User
from core.api.rules import RuleWords
from core.api.serializers import LeanListSerializer
from mentorship.choices import DeliveryMethod
from mentorship.models import MenteeProfile
from recovery_plans.models import Goal

from ..models import (
    Attendance,
    CheckIn,
    CheckInSchedule,
    GroupAttendance,
    GroupSession,
    RecoveryCapitalAssessment,
    SupportType,
)
from ..recovery_capital import ITEM_FIELDS

# A check-in as a row of the list shows it: who, when, how and the scores.
LIST_FIELDS = [
    "id",
    "mentee",
    "mentor",
    "author",
    "kind",
    "occurred_at",
    "delivery_method",
    "duration_minutes",
    "support_types",
    "substance_use_days",
    "craving_level",
    "mood",
    "crisis_flag",
    "crisis_handled_at",
    "next_checkin_on",
    "billable",
    "voided_at",
    "created_at",
]
# What only the detail adds: the notes, the crisis and void texts, with whom
# a collateral contact was, and the goals discussed.
DETAIL_ONLY_FIELDS = [
    "notes",
    "message_to_mentor",
    "crisis_notes",
    "collateral_name",
    "collateral_role",
    "collateral_organisation",
    "goals_discussed",
    "voided_by",
    "void_reason",
]


class CheckInSerializer(serializers.ModelSerializer):
    class Meta:
        model = CheckIn
        fields = [*LIST_FIELDS, *DETAIL_ONLY_FIELDS]
        read_only_fields = fields


class CheckInListSerializer(LeanListSerializer):
    """A row of the check-in list (LIST_FIELDS); the rest is the detail's
    (CheckInSerializer)."""

    class Meta:
        model = CheckIn
        fields = LIST_FIELDS
        read_only_fields = fields


class CheckInForMenteeSerializer(LeanListSerializer):
    """What a mentee reads of their check-ins, in the list and one by one:
    when and how, not the staff's notes."""

    class Meta:
        model = CheckIn
        fields = ["id", "kind", "occurred_at", "delivery_method", "next_checkin_on"]
        read_only_fields = fields


class CheckInVoidSerializer(serializers.Serializer):
    # Blank or missing, the service says why a reason is needed (as the page does).
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CheckInWriteSerializer(RuleWords, serializers.Serializer):
    # Out of range, a value is refused in the model's words, as on the page.
    rule_model = CheckIn

    mentee = serializers.PrimaryKeyRelatedField(queryset=MenteeProfile.objects.none())
    kind = serializers.ChoiceField(
        choices=[("contact", "check-in"), ("attempt", "attempted contact")], default="contact"
    )
    occurred_at = serializers.DateTimeField()
    delivery_method = serializers.ChoiceField(choices=DeliveryMethod.choices)
    duration_minutes = serializers.IntegerField(
        min_value=1, max_value=600, required=False, allow_null=True
    )
    support_types = serializers.ListField(
        child=serializers.ChoiceField(choices=SupportType.choices), required=False
    )
    substance_use_days = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    craving_level = serializers.IntegerField(
        min_value=0, max_value=10, required=False, allow_null=True
    )
    mood = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    crisis_flag = serializers.BooleanField(required=False, default=False)
    crisis_notes = serializers.CharField(required=False, allow_blank=True)
    next_checkin_on = serializers.DateField(required=False, allow_null=True)
    goals_discussed = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Goal.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["mentee"].queryset = MenteeProfile.objects.visible_to(
                request.user
            ).select_related("program")
            self.fields["goals_discussed"].child_relation.queryset = Goal.objects.visible_to(
                request.user
            )


class CheckInCorrectionSerializer(CheckInWriteSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("mentee", "kind"):
            self.fields.pop(name)
        for field in self.fields.values():
            field.required = False


class RecoveryCapitalSerializer(LeanListSerializer):
    """A BARC-10: the ten scores (1 to 6), their total (10 to 60) and who entered it."""

    class Meta:
        model = RecoveryCapitalAssessment
        fields = ["id", "mentee", "assessed_on", *ITEM_FIELDS, "total", "entered_by", "created_at"]
        read_only_fields = fields


class RecoveryCapitalWriteSerializer(RuleWords, serializers.Serializer):
    """A BARC-10 to record: the mentee, the day (today if left out) and the ten
    scores. Out of range, a score is refused in the model's words; the
    service keeps the rules (assessments.record)."""

    rule_model = RecoveryCapitalAssessment

    mentee = serializers.PrimaryKeyRelatedField(queryset=MenteeProfile.objects.none())
    assessed_on = serializers.DateField(required=False, allow_null=True)
    item_1 = serializers.IntegerField(min_value=1, max_value=6)
    item_2 = serializers.IntegerField(min_value=1, max_value=6)
    item_3 = serializers.IntegerField(min_value=1, max_value=6)
    item_4 = serializers.IntegerField(min_value=1, max_value=6)
    item_5 = serializers.IntegerField(min_value=1, max_value=6)
    item_6 = serializers.IntegerField(min_value=1, max_value=6)
    item_7 = serializers.IntegerField(min_value=1, max_value=6)
    item_8 = serializers.IntegerField(min_value=1, max_value=6)
    item_9 = serializers.IntegerField(min_value=1, max_value=6)
    item_10 = serializers.IntegerField(min_value=1, max_value=6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["mentee"].queryset = MenteeProfile.objects.visible_to(
                request.user
            ).select_related("program")

    def scores(self) -> list[int]:
        return [self.validated_data[name] for name in ITEM_FIELDS]


class ScheduleSerializer(LeanListSerializer):
    """When the next check-in of a mentee's current assignment is due."""

    mentee = serializers.IntegerField(source="mentee_id", read_only=True)

    class Meta:
        model = CheckInSchedule
        fields = ["id", "mentee", "assignment", "cadence_days", "next_due_on", "updated_at"]
        read_only_fields = fields


# A mentee reads only part of a check-in: the fields every caller gets are
# the ones the schema requires (core/api/schema.py).
CheckInSerializer.always_answered = tuple(CheckInForMenteeSerializer.Meta.fields)
CheckInListSerializer.always_answered = tuple(CheckInForMenteeSerializer.Meta.fields)


class GroupAttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = GroupAttendance
        fields = ["mentee", "status", "note", "checkin"]


class GroupSessionSerializer(serializers.ModelSerializer):
    # The attendance of the mentees the caller reaches (selectors.group_session_list).
    attendance = GroupAttendanceSerializer(source="attendees", many=True, read_only=True)

    class Meta:
        model = GroupSession
        fields = [
            "id", "program", "facilitator", "co_facilitator", "occurred_at", "duration_minutes",
            "delivery_method", "topic", "location", "notes", "attendance", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class NewAttendeeSerializer(serializers.Serializer):
    mentee = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Attendance.choices, default=Attendance.PRESENT)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class GroupSessionWriteSerializer(serializers.Serializer):
    """A group with its attendance. Mentees are checked by the service: only
    the caller's own (a mentor's current mentees, a coordinator's program's);
    any other id is refused in the same words, whether it exists or not."""

    occurred_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField()
    delivery_method = serializers.ChoiceField(choices=DeliveryMethod.choices)
    topic = serializers.CharField(max_length=200, allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    co_facilitator = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True, default=None
    )
    attendees = NewAttendeeSerializer(many=True)
