from rest_framework import serializers
from rest_framework.relations import PKOnlyObject

from accounts.models import Role, User
from core.api.rules import ModelRules, RuleWords
from core.api.serializers import LeanListSerializer

from ..models import (
    CECategoryRequirement,
    Certification,
    CertificationDocument,
    CertificationType,
    ContinuingEducation,
    Specialization,
)
from ..status import CertificationRow


class RequirementSerializer(serializers.ModelSerializer):
    class Meta:
        model = CECategoryRequirement
        fields = ["category", "hours"]


class CertificationTypeSerializer(ModelRules, serializers.ModelSerializer):
    category_requirements = RequirementSerializer(many=True, read_only=True)

    class Meta:
        model = CertificationType
        fields = [
            "id",
            "name",
            "issuing_body",
            "exam_body",
            "initial_training_hours",
            "cycle_months",
            "ce_hours_required",
            "category_requirements",
            "renewal_window_days",
            "ethics_signed_at_renewal",
            "background_check_required",
            "background_check_counties",
            "lapse_rule",
            "new_application_after_months",
            "ce_records_kept_years",
        ]


class CertificationSerializer(RuleWords, serializers.ModelSerializer):
    # Writes take a certification's fields; reads take a CertificationRow: the
    # certification's own fields from it, the derived ones (ROW_FIELDS) from the
    # row. (A comment, not a docstring, which would change the API schema.)

    ROW_FIELDS = frozenset({"status", "days_left", "ce_hours_approved", "ce_hours_required"})

    status = serializers.CharField(read_only=True)
    days_left = serializers.IntegerField(read_only=True, allow_null=True)
    ce_hours_approved = serializers.DecimalField(
        source="ce.approved", max_digits=6, decimal_places=1, read_only=True
    )
    ce_hours_required = serializers.DecimalField(
        source="ce.required", max_digits=6, decimal_places=1, read_only=True
    )
    specializations = serializers.ListField(
        child=serializers.ChoiceField(choices=Specialization.choices), required=False
    )
    holder = serializers.PrimaryKeyRelatedField(queryset=User.objects.none())

    class Meta:
        model = Certification
        fields = [
            "id",
            "holder",
            "certification_type",
            "number",
            "training_completed_on",
            "exam_passed_on",
            "ethics_signed_on",
            "issued_on",
            "cycle_started_on",
            "expires_on",
            "refresher_completed_on",
            "background_check_on",
            "specializations",
            "manual_status",
            "manual_status_reason",
            "status",
            "days_left",
            "ce_hours_approved",
            "ce_hours_required",
        ]
        read_only_fields = ["cycle_started_on", "manual_status", "manual_status_reason"]
        # One per holder and type is the model's rule: the service's check
        # answers it beside the type, as the page does.
        validators: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["holder"].queryset = User.objects.visible_to(request.user).filter(
                role__in=[Role.MENTOR, Role.COORDINATOR]
            )

    def to_representation(self, row: CertificationRow) -> dict:
        data = {}
        for field in self._readable_fields:
            source = row if field.field_name in self.ROW_FIELDS else row.certification
            value = field.get_attribute(source)
            missing = (value.pk if isinstance(value, PKOnlyObject) else value) is None
            data[field.field_name] = None if missing else field.to_representation(value)
        return data


class ContinuingEducationSerializer(RuleWords, serializers.ModelSerializer):
    approved = serializers.SerializerMethodField()
    has_evidence = serializers.SerializerMethodField(
        help_text="evidence is attached: continuing-education/{id}/evidence downloads it"
    )

    class Meta:
        model = ContinuingEducation
        fields = [
            "id",
            "holder",
            "course_title",
            "provider",
            "completed_on",
            "hours",
            "category",
            "evidence",
            "has_evidence",
            "approved",
            "approved_by",
            "approved_at",
            "rejected_by",
            "rejected_at",
            "rejection_reason",
            "voided_at",
            "voided_by",
            "void_reason",
            "created_at",
        ]
        read_only_fields = [
            "holder",
            "approved_by",
            "approved_at",
            "rejected_by",
            "rejected_at",
            "rejection_reason",
            "voided_at",
            "voided_by",
            "void_reason",
            "created_at",
        ]
        extra_kwargs = {"evidence": {"required": False, "write_only": True}}

    def get_approved(self, entry) -> bool:
        return entry.approved_at is not None

    def get_has_evidence(self, entry) -> bool:
        return bool(entry.evidence)


class CERejectionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class CEVoidSerializer(serializers.Serializer):
    # Blank or missing, the service says why a reason is needed (as the page does).
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CertificationDocumentSerializer(LeanListSerializer):
    """A document kept with a certification (its file: the `download` action)."""

    file_name = serializers.CharField(read_only=True, help_text="the uploaded file's name")

    class Meta:
        model = CertificationDocument
        fields = ["id", "certification", "description", "file_name", "uploaded_by", "uploaded_at"]
        read_only_fields = fields


class CertificationDocumentUploadSerializer(serializers.Serializer):
    """A document to keep with a certification the caller reaches (sent as
    multipart/form-data): PDF, JPEG or PNG, as on the certification page."""

    certification = serializers.PrimaryKeyRelatedField(queryset=Certification.objects.none())
    file = serializers.FileField()
    description = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["certification"].queryset = Certification.objects.visible_to(
                request.user
            ).select_related("holder")
