from django.utils.translation import gettext
from rest_framework import serializers

from accounts.models import User
from mentorship.models import MenteeProfile

from ..choices import SessionFormat, SessionKind, Topic
from ..models import CrisisDebrief, FollowUpRequest, SupervisionSession, Supervisor


class SupervisorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Supervisor
        fields = [
            "id", "user", "program", "qualification", "years_of_experience", "license_number",
            "designated_on", "training_due_on", "training_completed_on", "ended_on",
        ]  # fmt: skip
        read_only_fields = fields


class SupervisionSessionSerializer(serializers.ModelSerializer):
    """Notes only for the supervisor, the session's mentors and admins; the
    mentees discussed only as ids of records the caller reaches."""

    mentors = serializers.SerializerMethodField()
    mentees_discussed = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()

    class Meta:
        model = SupervisionSession
        fields = [
            "id", "program", "supervisor", "kind", "held_on", "duration_minutes", "format",
            "topics", "mentors", "mentees_discussed", "notes",
        ]  # fmt: skip
        read_only_fields = fields

    def _mentor_ids(self, session) -> list[int]:
        return [row.mentor_id for row in session.attendance.all()]

    def get_mentors(self, session) -> list[int]:
        return self._mentor_ids(session)

    def get_mentees_discussed(self, session) -> list[int]:
        reachable = self.context.get("reachable_mentees")
        ids = [m.pk for m in session.mentees_discussed.all()]
        return ids if reachable is None else [i for i in ids if i in reachable]

    def get_notes(self, session) -> str | None:
        user = self.context["request"].user
        if session.notes_visible_to(user, set(self._mentor_ids(session))):
            return session.notes
        return None


class ActionItemWriteSerializer(serializers.Serializer):
    mentor = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    description = serializers.CharField(max_length=300)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class SupervisionSessionWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(SessionKind.choices)
    held_on = serializers.DateField()
    duration_minutes = serializers.IntegerField()
    format = serializers.ChoiceField(SessionFormat.choices)
    topics = serializers.ListField(child=serializers.ChoiceField(Topic.choices))
    mentors = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True)
    mentees_discussed = serializers.PrimaryKeyRelatedField(
        queryset=MenteeProfile.objects.all(), many=True, required=False, default=list
    )
    debriefs = serializers.PrimaryKeyRelatedField(
        queryset=CrisisDebrief.objects.all(), many=True, required=False, default=list
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    action_items = ActionItemWriteSerializer(many=True, required=False, default=list)

    def __init__(self, *args, program_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the caller's program is found: another program's people,
        # mentees and debriefs answer "not found" (400), never "forbidden".
        people = User.objects.filter(program_id=program_id)
        self.fields["mentors"].child_relation.queryset = people
        self.fields["action_items"].child.fields["mentor"].queryset = people
        self.fields["mentees_discussed"].child_relation.queryset = MenteeProfile.objects.filter(
            program_id=program_id
        )
        self.fields["debriefs"].child_relation.queryset = CrisisDebrief.objects.filter(
            program_id=program_id
        )


class FollowUpRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUpRequest
        fields = [
            "id", "program", "mentee", "checkin", "plan", "mentor", "requested_by", "text",
            "due_on", "created_at", "answer", "resolved_at",
        ]  # fmt: skip
        read_only_fields = fields


class FollowUpRequestWriteSerializer(serializers.Serializer):
    """One of `checkin` and `plan`: the record the follow-up is about."""

    checkin = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    plan = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    text = serializers.CharField(max_length=500, allow_blank=True)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)

    def validate(self, attrs):
        if (attrs["checkin"] is None) == (attrs["plan"] is None):
            raise serializers.ValidationError(
                gettext("A follow-up request is about one check-in or one plan.")
            )
        return attrs


class FollowUpResolveSerializer(serializers.Serializer):
    answer = serializers.CharField(allow_blank=True, default="")
