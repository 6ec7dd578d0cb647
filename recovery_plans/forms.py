from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import FormSections, NamedBlankChoices, Section, StaleCheck
from core.once import OnceTokenForm

from .models import SAFETY_FIELDS, Domain, Goal, SafetyPlan, SupportContact


class GoalForm(StaleCheck, FormSections, NamedBlankChoices, forms.ModelForm):
    sections = (
        Section(_("The goal"), ("domain", "description")),
        Section(_("Target and progress"), ("target_on", "status")),
    )

    class Meta:
        model = Goal
        fields = ["domain", "description", "target_on", "status"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "target_on": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {
            "domain": _("Domain"),
            "description": _("Goal, in the mentee's own words"),
            "status": _("Status"),
        }


class GoalAddForm(OnceTokenForm, GoalForm):
    sections = (Section(_("The goal"), ("domain", "description", "target_on")),)

    class Meta(GoalForm.Meta):
        fields = ["domain", "description", "target_on"]


class StepForm(OnceTokenForm):
    description = forms.CharField(label=_("Next step"), max_length=300)
    due_on = forms.DateField(
        label=_("By"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class TriggerForm(OnceTokenForm):
    description = forms.CharField(label=_("Trigger"), max_length=300)
    coping = forms.CharField(
        label=_("Ways to cope (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def coping_lines(self) -> list[str]:
        return [line for line in self.cleaned_data["coping"].splitlines() if line.strip()]


class CopingForm(OnceTokenForm):
    description = forms.CharField(label=_("Another way to cope"), max_length=300)


class SupportForm(NamedBlankChoices, OnceTokenForm, forms.ModelForm):
    class Meta:
        model = SupportContact
        fields = ["name", "relationship", "phone", "kind"]
        labels = {
            "name": _("Name"),
            "relationship": _("Relationship"),
            "phone": _("Phone"),
            "kind": _("Kind"),
        }


class SafetyPlanForm(StaleCheck, FormSections, forms.ModelForm):
    # The steps of the Stanley–Brown plan, in the order they are tried.
    sections = (
        Section(
            _("When a crisis may be coming"),
            ("warning_signs", "coping_steps", "distractions"),
            help=_("What to notice, and what helps without calling anyone."),
        ),
        Section(
            _("Who can help"),
            ("people_to_call", "professionals"),
            help=_("988 is there by default."),
        ),
        Section(_("A safer place"), ("environment",)),
    )

    class Meta:
        model = SafetyPlan
        fields = list(SAFETY_FIELDS)
        widgets = {field: forms.Textarea(attrs={"rows": 3}) for field in fields}
        labels = {"warning_signs": _("Warning signs")}


class ReviewDateForm(forms.Form):
    review_on = forms.DateField(
        label=_("Review date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class NewPlanForm(OnceTokenForm):
    template = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Template"), empty_label=_("start empty")
    )

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates


class TemplateForm(OnceTokenForm):
    name = forms.CharField(max_length=120, label=_("Name"))


class TemplateGoalForm(forms.Form):
    domain = forms.ChoiceField(choices=Domain.choices, label=_("Domain"))
    description = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 2}))
    steps = forms.CharField(
        label=_("Steps (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def step_lines(self) -> list[str]:
        return [line for line in self.cleaned_data["steps"].splitlines() if line.strip()]
