from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.constraints import unique_words
from core.forms import FormSections, NamedBlankChoices, RuleWords, Section, StaleCheck
from core.once import OnceTokenForm

from .models import (
    CECategory,
    CECategoryRequirement,
    Certification,
    CertificationType,
    ContinuingEducation,
    Specialization,
)

DATE = forms.DateInput(attrs={"type": "date"})


class CertificationForm(StaleCheck, FormSections, NamedBlankChoices, forms.ModelForm):
    sections = (
        Section(
            _("The credential"),
            (
                "holder",
                "certification_type",
                "number",
                "issued_on",
                "expires_on",
                "specializations",
            ),
        ),
        Section(
            _("Requirements met"),
            (
                "training_completed_on",
                "exam_passed_on",
                "ethics_signed_on",
                "refresher_completed_on",
                "background_check_on",
            ),
            help=_("The dates each step was done; leave empty what is not done yet."),
        ),
    )

    specializations = forms.MultipleChoiceField(
        choices=Specialization.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Specializations"),
    )

    class Meta:
        model = Certification
        fields = [
            "certification_type",
            "number",
            "training_completed_on",
            "exam_passed_on",
            "ethics_signed_on",
            "issued_on",
            "expires_on",
            "refresher_completed_on",
            "background_check_on",
            "specializations",
        ]
        widgets = {name: DATE for name in fields if name.endswith("_on")}
        labels = {
            "certification_type": _("Certification type"),
            "number": _("Number"),
            "training_completed_on": _("Training completed on"),
            "exam_passed_on": _("Exam passed on"),
            "issued_on": _("Issued on"),
            "expires_on": _("Expires on"),
            "refresher_completed_on": _("Refresher completed on"),
        }
        help_texts = {"expires_on": _("Leave empty to count the cycle from the issue date.")}


class NewCertificationForm(OnceTokenForm, CertificationForm):
    holder = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Holder"))

    class Meta(CertificationForm.Meta):
        fields = ["holder", *CertificationForm.Meta.fields]

    def __init__(self, *args, holders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = holders


class ManualStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("suspended", _("suspend")),
            ("revoked", _("revoke")),
            ("", _("reinstate (no manual status)")),
        ],
    )
    reason = forms.CharField(max_length=300, required=False, label=_("Reason"))


class ContinuingEducationForm(
    RuleWords, FormSections, NamedBlankChoices, OnceTokenForm, forms.ModelForm
):
    sections = (
        Section(_("The course"), ("course_title", "provider", "completed_on")),
        Section(_("Hours and evidence"), ("hours", "category", "evidence")),
    )

    class Meta:
        model = ContinuingEducation
        fields = ["course_title", "provider", "completed_on", "hours", "category", "evidence"]
        widgets = {
            "completed_on": DATE,
            "hours": forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "max": "40"}),
        }
        labels = {
            "course_title": _("Course title"),
            "provider": _("Provider"),
            "completed_on": _("Completed on"),
            "hours": _("Hours"),
            "category": _("Category"),
            "evidence": _("Evidence"),
        }
        help_texts = {"evidence": _("A certificate of completion: PDF, PNG or JPEG, up to 10 MB.")}


class DocumentForm(OnceTokenForm):
    file = forms.FileField(label=_("File"), help_text=_("PDF, PNG or JPEG, up to 10 MB."))
    description = forms.CharField(max_length=200, required=False, label=_("Description"))


class CertificationTypeForm(
    StaleCheck, RuleWords, FormSections, NamedBlankChoices, forms.ModelForm
):
    sections = (
        Section(
            _("The credential"), ("name", "issuing_body", "exam_body", "initial_training_hours")
        ),
        Section(
            _("Renewal"),
            (
                "cycle_months",
                "ce_hours_required",
                "renewal_window_days",
                "ethics_signed_at_renewal",
            ),
        ),
        Section(_("Background check"), ("background_check_required", "background_check_counties")),
        Section(
            _("Lapse and records"),
            ("lapse_rule", "new_application_after_months", "ce_records_kept_years"),
        ),
    )
    background_check_counties = forms.CharField(
        required=False,
        label=_("Background check counties"),
        help_text=_("Counties that require a background check, one per line."),
    )

    class Meta:
        model = CertificationType
        fields = [
            "name",
            "issuing_body",
            "exam_body",
            "initial_training_hours",
            "cycle_months",
            "ce_hours_required",
            "renewal_window_days",
            "ethics_signed_at_renewal",
            "background_check_required",
            "background_check_counties",
            "lapse_rule",
            "new_application_after_months",
            "ce_records_kept_years",
        ]
        widgets = {"background_check_counties": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "name": _("Name"),
            "issuing_body": _("Issuing body"),
            "initial_training_hours": _("Initial training hours"),
            "renewal_window_days": _("Renewal window days"),
            "lapse_rule": _("Lapse rule"),
            "new_application_after_months": _("New application after months"),
            "ce_records_kept_years": _("CE records kept years"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["background_check_counties"].widget = forms.Textarea(attrs={"rows": 3})
        if self.instance.pk:
            self.initial["background_check_counties"] = "\n".join(
                self.instance.background_check_counties
            )

    def clean_background_check_counties(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data["background_check_counties"].splitlines()
            if line.strip()
        ]


class RequirementForm(RuleWords, NamedBlankChoices, forms.ModelForm):
    class Meta:
        model = CECategoryRequirement
        fields = ["category", "hours"]
        labels = {"category": _("Category"), "hours": _("Hours")}


class RequirementRows(BaseInlineFormSet):
    def get_unique_error_message(self, unique_check):
        """Two rows of one category: the model's words, not Django's."""
        words = unique_words(CECategoryRequirement, unique_check)
        return words or super().get_unique_error_message(unique_check)


RequirementFormSet = inlineformset_factory(
    CertificationType,
    CECategoryRequirement,
    form=RequirementForm,
    formset=RequirementRows,
    fields=["category", "hours"],
    extra=2,
    can_delete=True,
)


CATEGORY_CHOICES = CECategory.choices
