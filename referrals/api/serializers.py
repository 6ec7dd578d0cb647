from rest_framework import serializers

from core.api.rules import RuleWords
from mentorship.models import MenteeProfile

from ..choices import (
    InformationCategory,
    Purpose,
    RecipientKind,
    ReferralMode,
    ReferralStatus,
    ServiceCategory,
)
from ..models import Consent, Disclosure, Referral, Resource


class ResourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Resource
        fields = [
            "id", "program", "organisation", "categories", "address", "phone", "website", "hours",
            "languages", "accepts_medi_cal", "accepting_new_clients", "notes", "last_verified_on",
        ]  # fmt: skip
        read_only_fields = fields


class ResourceWriteSerializer(serializers.Serializer):
    organisation = serializers.CharField(max_length=200)
    categories = serializers.ListField(child=serializers.ChoiceField(ServiceCategory.choices))
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    website = serializers.URLField(required=False, allow_blank=True, default="")
    hours = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    languages = serializers.ListField(
        child=serializers.CharField(max_length=8), required=False, default=list
    )
    accepts_medi_cal = serializers.BooleanField(required=False, default=False)
    accepting_new_clients = serializers.BooleanField(required=False, default=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    last_verified_on = serializers.DateField(required=False, allow_null=True, default=None)


class ConsentSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = [
            "id", "mentee", "categories", "recipient_kind", "recipient_name",
            "recipient_resource", "purpose", "purpose_detail", "expires_on", "expiry_event",
            "signed_via", "signed_name", "signed_at", "recorded_by", "revoked_at", "revoked_by",
            "revocation_note", "state",
        ]  # fmt: skip
        read_only_fields = fields

    def get_state(self, consent: Consent) -> str:
        from core.dates import program_today

        return consent.state_on(program_today(consent.mentee.program))


class ConsentWriteSerializer(RuleWords, serializers.Serializer):
    """A mentee signs (signed_name, agreed); staff record a paper consent
    (signed_name, signed_on, and the signed form as multipart/form-data)."""

    # No categories: refused in the words of consent_covers_something.
    rule_model = Consent

    mentee = serializers.PrimaryKeyRelatedField(queryset=MenteeProfile.objects.none())
    categories = serializers.ListField(child=serializers.ChoiceField(InformationCategory.choices))
    recipient_kind = serializers.ChoiceField(RecipientKind.choices, default=RecipientKind.NAMED)
    recipient_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    recipient_resource = serializers.PrimaryKeyRelatedField(
        queryset=Resource.objects.none(), required=False, allow_null=True, default=None
    )
    purpose = serializers.ChoiceField(Purpose.choices)
    purpose_detail = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    expiry_event = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    signed_name = serializers.CharField(max_length=200)
    agreed = serializers.BooleanField(required=False, default=False)
    signed_on = serializers.DateField(required=False, allow_null=True, default=None)
    # Staff, as multipart/form-data: the paper form the mentee signed (the
    # page's rules: a PDF, PNG or JPEG within the upload limit).
    signed_form = serializers.FileField(
        required=False, allow_null=True, default=None, use_url=False, write_only=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["mentee"].queryset = MenteeProfile.objects.visible_to(request.user)
            self.fields["recipient_resource"].queryset = Resource.objects.visible_to(request.user)


class RevokeSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ReferralSerializer(serializers.ModelSerializer):
    class Meta:
        model = Referral
        fields = [
            "id", "mentee", "category", "resource", "organisation", "reason", "referred_by",
            "mode", "consent", "shared_categories", "purpose", "status", "proposed_on",
            "sent_on", "answered_on", "outcome_on", "not_connected_reason", "follow_up_on",
        ]  # fmt: skip
        read_only_fields = fields


class ReferralWriteSerializer(serializers.Serializer):
    mentee = serializers.PrimaryKeyRelatedField(queryset=MenteeProfile.objects.none())
    category = serializers.ChoiceField(ServiceCategory.choices)
    resource = serializers.PrimaryKeyRelatedField(
        queryset=Resource.objects.none(), required=False, allow_null=True, default=None
    )
    organisation = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    reason = serializers.CharField()
    mode = serializers.ChoiceField(ReferralMode.choices)
    shared_categories = serializers.ListField(
        child=serializers.ChoiceField(InformationCategory.choices), required=False, default=list
    )
    purpose = serializers.ChoiceField(Purpose.choices, required=False, allow_blank=True, default="")
    follow_up_on = serializers.DateField(required=False, allow_null=True, default=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["mentee"].queryset = MenteeProfile.objects.visible_to(request.user)
            self.fields["resource"].queryset = Resource.objects.visible_to(request.user)


class ReferralStatusSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(ReferralStatus.choices)
    on = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class DisclosureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Disclosure
        fields = [
            "id", "mentee", "consent", "kind", "recipient_name", "resource", "purpose",
            "categories", "referral", "disclosed_by", "disclosed_at",
        ]  # fmt: skip
        read_only_fields = fields
