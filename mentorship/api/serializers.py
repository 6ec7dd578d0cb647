from rest_framework import serializers

from accounts.models import Role, User
from core.api.rules import ModelRules
from core.api.serializers import LeanListSerializer

from ..choices import (
    LANGUAGES,
    SUBSTANCES,
    AssignmentEndReason,
    DeliveryMethod,
    DischargeReason,
    LivedExperience,
    MenteeStatus,
    RecoveryPathway,
    RemoteConsent,
    Specialization,
)
from ..models import Assignment, MenteeProfile, MenteeStatusChange, MentorProfile


def choice_list(choices):
    return serializers.ListField(child=serializers.ChoiceField(choices=choices), required=False)


class MentorPublicSerializer(serializers.ModelSerializer):
    """What a mentee sees of their mentor: never the recovery start date."""

    full_name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = MentorProfile
        fields = ["id", "full_name", "bio", "languages", "recovery_pathways", "delivery_methods"]
        read_only_fields = fields


class MentorProfileSerializer(ModelRules, serializers.ModelSerializer):
    """Everything, for the mentor themself, their coordinators and admins."""

    user = serializers.PrimaryKeyRelatedField(read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    program = serializers.IntegerField(source="user.program_id", read_only=True)
    active_caseload = serializers.IntegerField(read_only=True)
    lived_experience_areas = choice_list(LivedExperience.choices)
    recovery_pathways = choice_list(RecoveryPathway.choices)
    languages = choice_list(list(LANGUAGES.items()))
    delivery_methods = choice_list(DeliveryMethod.choices)
    specializations = choice_list(Specialization.choices)

    class Meta:
        model = MentorProfile
        fields = [
            "id",
            "user",
            "full_name",
            "program",
            "bio",
            "languages",
            "recovery_pathways",
            "recovery_pathways_other",
            "lived_experience_areas",
            "lived_experience_other",
            "gender",
            "county",
            "delivery_methods",
            "specializations",
            "recovery_start_date",
            "caseload_capacity",
            "accepting_new_mentees",
            "active_caseload",
        ]
        read_only_fields = ["caseload_capacity"]


class MentorCapacitySerializer(ModelRules, serializers.ModelSerializer):
    """What a coordinator changes on a mentor: capacity and intake."""

    class Meta:
        model = MentorProfile
        fields = ["caseload_capacity", "accepting_new_mentees"]


class MenteeProfileSerializer(serializers.ModelSerializer):
    substances_of_concern = choice_list([(s.value, s.label) for s in SUBSTANCES])
    preferred_language = serializers.ChoiceField(choices=list(LANGUAGES.items()), required=False)
    current_mentor = serializers.IntegerField(
        source="current_mentor_id", read_only=True, allow_null=True
    )

    class Meta:
        model = MenteeProfile
        fields = [
            "id",
            "program",
            "user",
            "preferred_name",
            "legal_name",
            "date_of_birth",
            "phone",
            "email",
            "county",
            "referral_source",
            "substances_of_concern",
            "recovery_pathway",
            "preferred_language",
            "mentor_gender_preference",
            "preferred_delivery_method",
            "emergency_contact_name",
            "emergency_contact_relationship",
            "emergency_contact_phone",
            "intake_date",
            "status",
            "status_changed_on",
            "discharge_reason",
            "current_mentor",
            "remote_consent",
            "remote_consent_on",
            "remote_consent_recorded_by",
        ]
        read_only_fields = [
            "program",
            "user",
            "status",
            "status_changed_on",
            "discharge_reason",
            "current_mentor",
            # Recorded with mentees/{id}/remote-consent (its service's rules).
            "remote_consent",
            "remote_consent_on",
            "remote_consent_recorded_by",
        ]


class MenteeListSerializer(LeanListSerializer):
    """A row of the mentee list: who, where, their status and mentor. The
    record itself (contact details, substances, emergency contact) is the
    detail's (MenteeProfileSerializer)."""

    current_mentor = serializers.IntegerField(
        source="current_mentor_id", read_only=True, allow_null=True
    )

    class Meta:
        model = MenteeProfile
        fields = [
            "id",
            "program",
            "user",
            "preferred_name",
            "county",
            "status",
            "status_changed_on",
            "intake_date",
            "current_mentor",
        ]
        read_only_fields = fields


class StatusChangeSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=MenteeStatus.choices)
    reason = serializers.ChoiceField(
        choices=DischargeReason.choices, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    # Becoming active needs a mentor (the one assigned, or this one, assigned
    # in the same step): the rule of services.mentee_transition.
    mentor = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        error_messages={"does_not_exist": "Choose a mentor of this mentee's program."},
        help_text="The mentor to assign when making the mentee active; only then.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Only mentors the caller can see exist, for this serializer.
            self.fields["mentor"].queryset = User.objects.visible_to(request.user).filter(
                role=Role.MENTOR
            )


class ScaleStepSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    label = serializers.CharField(help_text="What the points are for.")
    points = serializers.IntegerField(help_text="The most a mentor scores for it.")


class ScorePartSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    points = serializers.IntegerField()
    out_of = serializers.IntegerField()
    matched = serializers.BooleanField(
        allow_null=True,
        help_text="True a match, false a mismatch, null nothing to match (the mentee "
        "has nothing recorded, or free places, which score a share).",
    )
    reason = serializers.CharField()


class MatchSuggestionSerializer(serializers.Serializer):
    mentor_profile = serializers.IntegerField(source="mentor_profile.pk")
    mentor = serializers.IntegerField(source="mentor.pk")
    full_name = serializers.CharField(source="mentor.full_name")
    score = serializers.IntegerField()
    max_score = serializers.IntegerField()
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="The matches, then the free places."
    )
    mismatches = serializers.ListField(child=serializers.CharField())
    points = ScorePartSerializer(many=True, help_text="Every point of the score, and why.")
    free_places = serializers.IntegerField()


class LeftOutSerializer(serializers.Serializer):
    mentor_profile = serializers.IntegerField(source="mentor_profile.pk")
    mentor = serializers.IntegerField(source="mentor.pk")
    full_name = serializers.CharField(source="mentor.full_name")
    reasons = serializers.ListField(child=serializers.CharField())


class MatchingSerializer(serializers.Serializer):
    max_score = serializers.IntegerField()
    scale = ScaleStepSerializer(many=True)
    not_recorded = serializers.ListField(
        child=serializers.CharField(),
        help_text="What the mentee has nothing recorded for: no mentor scores on it.",
    )
    suggestions = MatchSuggestionSerializer(many=True, help_text="Best match first.")
    left_out = LeftOutSerializer(
        many=True, help_text="The program's other mentors, by name, with every reason."
    )


class AssignmentSerializer(serializers.ModelSerializer):
    mentor_name = serializers.CharField(source="mentor.full_name", read_only=True)
    mentee_name = serializers.CharField(source="mentee.preferred_name", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "mentor",
            "mentor_name",
            "mentee",
            "mentee_name",
            "started_on",
            "ended_at",
            "end_reason",
            "assigned_by",
            "handoff_summary",
        ]
        read_only_fields = fields


class AssignmentForMenteeSerializer(AssignmentSerializer):
    """A mentee sees who their mentor is, not what the coordinator handed over."""

    class Meta(AssignmentSerializer.Meta):
        fields = ["id", "mentor", "mentor_name", "mentee", "started_on"]
        read_only_fields = fields


class AssignmentCreateSerializer(serializers.Serializer):
    mentee = serializers.PrimaryKeyRelatedField(queryset=MenteeProfile.objects.none())
    mentor = serializers.PrimaryKeyRelatedField(queryset=User.objects.none())
    # Blank as left out: the service says when a reason is needed, as on the page.
    end_reason = serializers.ChoiceField(
        choices=AssignmentEndReason.choices, required=False, allow_blank=True, default=""
    )
    end_note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    handoff_summary = serializers.CharField(required=False, default="", allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Only mentees and mentors the caller can see exist, for this serializer.
            user = request.user
            self.fields["mentee"].queryset = MenteeProfile.objects.visible_to(user)
            self.fields["mentor"].queryset = User.objects.visible_to(user).filter(role=Role.MENTOR)


class AssignmentEndSerializer(serializers.Serializer):
    # Blank or missing, the service says a reason is needed (assignment_end_needs_reason).
    reason = serializers.ChoiceField(
        choices=AssignmentEndReason.choices, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RemoteConsentSerializer(serializers.Serializer):
    """The mentee's consent to remote services as given: telephone only, or
    telephone and video; blank records that none is given (or it is
    withdrawn). `on` is the day it was given (today if left out; a
    withdrawal records today)."""

    consent = serializers.ChoiceField(choices=RemoteConsent.choices, allow_blank=True)
    on = serializers.DateField(required=False, allow_null=True, default=None)


class StatusChangeHistorySerializer(LeanListSerializer):
    """A mentee's status transition: from, to, when, by whom and why."""

    class Meta:
        model = MenteeStatusChange
        fields = [
            "id",
            "mentee",
            "from_status",
            "to_status",
            "changed_on",
            "changed_by",
            "reason",
            "note",
            "created_at",
        ]
        read_only_fields = fields


# A mentee reads only part of a mentor profile and an assignment: the fields
# every caller gets are the ones the schema requires (core/api/schema.py).
MentorProfileSerializer.always_answered = tuple(MentorPublicSerializer.Meta.fields)
AssignmentSerializer.always_answered = tuple(AssignmentForMenteeSerializer.Meta.fields)
