from rest_framework import serializers

from core.api.rules import ModelRules

from ..models import Invitation, Program, Role, User


class ProgramSerializer(ModelRules, serializers.ModelSerializer):
    # The model's rules and words (Program.clean spells a California county).

    class Meta:
        model = Program
        fields = [
            "id",
            "name",
            "state",
            "county",
            "time_zone",
            "default_checkin_cadence_days",
            "overdue_grace_days",
            "min_months_in_recovery",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


class UserSerializer(serializers.ModelSerializer):
    program = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "role", "program"]
        read_only_fields = fields


class InvitationOutputSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True)
    invited_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "full_name",
            "role",
            "program",
            "invited_by",
            "state",
            "created_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        ]
        read_only_fields = fields


class InvitationInputSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=Role.choices)
    program = serializers.PrimaryKeyRelatedField(
        queryset=Program.objects.none(), required=False, allow_null=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Only programs the caller can see are accepted (others: "does not exist").
            self.fields["program"].queryset = Program.objects.visible_to(request.user)


class PersonSerializer(serializers.ModelSerializer):
    """A login on the people list: who, what role, which program, whether active."""

    program = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "role",
            "program",
            "is_active",
            "date_joined",
            "last_login",
        ]
        read_only_fields = fields


class PersonRoleChangeSerializer(serializers.Serializer):
    # Every role, so that the service says plainly why mentee is refused.
    role = serializers.ChoiceField(choices=Role.choices)
    program = serializers.PrimaryKeyRelatedField(
        queryset=Program.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The program an admin joins when made coordinator or mentor; only then.",
    )


class PersonMoveSerializer(serializers.Serializer):
    program = serializers.PrimaryKeyRelatedField(queryset=Program.objects.all())
    # No length here: the service's rule (400 characters) says it in words.
    handoff_summary = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        help_text=(
            "What the next program's coordinators and mentor should know: needed when "
            "a mentee with a mentor moves (that assignment ends with it)."
        ),
    )
