import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.constraints import speak_rules
from core.forms import FormSections, NamedBlankChoices, RuleWords, Section
from core.once import OnceTokenForm
from mentorship.choices import DeliveryMethod

from .models import Attendance, CheckIn, Mood, RecoveryCapitalAssessment, SupportType
from .recovery_capital import BARC10_ITEMS, ITEM_FIELDS, SCALE

CRAVING_CHOICES = [(n, str(n)) for n in range(11)]

# What only a contact records: an attempt is how, when and a note (the rule
# checkin_attempt_records_method_and_time_only, and services.checkin_log).
# The page hides these when "No, I tried" is chosen (data-shown-for, peerpath.js).
CONTACT_ONLY_FIELDS = (
    "duration_minutes",
    "support_types",
    "goals_discussed",
    "substance_use_days",
    "craving_level",
    "mood",
    "crisis_flag",
    "crisis_notes",
    "next_checkin_on",
)


class CheckInForm(RuleWords, FormSections, forms.ModelForm):
    """One screen, big targets: made for logging on a phone after a meeting."""

    sections = (
        Section(_("The contact"), ("kind", "occurred_at", "delivery_method", "duration_minutes")),
        Section(
            _("How it went"),
            ("support_types", "goals_discussed", "substance_use_days", "craving_level", "mood"),
            shown_for="kind:contact",
        ),
        Section(
            _("Notes and follow-up"), ("notes", "crisis_flag", "crisis_notes", "next_checkin_on")
        ),
    )
    # The page hides what only a contact records when "No, I tried" is chosen.
    shown_for = {name: "kind:contact" for name in CONTACT_ONLY_FIELDS}

    kind = forms.ChoiceField(
        label=_("Did you reach them?"),
        choices=[
            (CheckIn.Kind.CONTACT, _("Yes, we talked")),
            (CheckIn.Kind.ATTEMPT, _("No, I tried")),
        ],
        widget=forms.RadioSelect,
        initial=CheckIn.Kind.CONTACT,
    )
    occurred_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    delivery_method = forms.ChoiceField(
        label=_("How"), choices=DeliveryMethod.choices, widget=forms.RadioSelect
    )
    support_types = forms.MultipleChoiceField(
        label=_("Support given"),
        choices=SupportType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    craving_level = forms.TypedChoiceField(
        label=_("Craving level (0 none – 10 strongest)"),
        choices=[("", "—"), *CRAVING_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    mood = forms.TypedChoiceField(
        label=_("Mood"),
        choices=Mood.choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    # The range is the model's rule (checkin_duration_1_to_600_minutes): the
    # model refuses 0 or 99999 in its words, beside the field (RuleWords).
    duration_minutes = forms.IntegerField(
        label=_("Minutes"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": 600}),
    )

    class Meta:
        model = CheckIn
        fields = [
            "kind",
            "occurred_at",
            "delivery_method",
            "duration_minutes",
            "support_types",
            "goals_discussed",
            "substance_use_days",
            "craving_level",
            "mood",
            "notes",
            "crisis_flag",
            "crisis_notes",
            "next_checkin_on",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 6}),
            "crisis_notes": forms.Textarea(attrs={"rows": 3}),
            "next_checkin_on": forms.DateInput(attrs={"type": "date"}),
            "substance_use_days": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }
        labels = {
            "notes": _("Notes"),
            "crisis_flag": _("Crisis: alert the coordinators now"),
            "crisis_notes": _("What happened, what was done"),
        }
        help_texts = {"next_checkin_on": _("Leave empty to use the usual cadence.")}

    def __init__(self, *args, goals=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data.get("kind") == CheckIn.Kind.ATTEMPT:
            # Without JavaScript the contact fields arrive as they were left:
            # an attempt ignores them (neither saved nor checked) instead of
            # refusing to be saved.
            self.data = self.data.copy()
            for name in CONTACT_ONLY_FIELDS:
                self.data.pop(name, None)
        self.fields["idempotency_key"].initial = uuid.uuid4()
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        _offer_goals(self, goals)

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("idempotency_key")
        return data


def _offer_goals(form, goals) -> None:
    """Goals of the mentee's active plan, as checkboxes; no plan, no field."""
    field = form.fields["goals_discussed"]
    if goals is None or not goals.exists():
        del form.fields["goals_discussed"]
        return
    field.queryset = goals
    field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
    field.label = _("Goals discussed")


class CheckInCorrectionForm(CheckInForm):
    kind = None  # what happened does not change; its details may
    idempotency_key = None

    class Meta(CheckInForm.Meta):
        fields = [f for f in CheckInForm.Meta.fields if f != "kind"]

    def __init__(self, *args, goals=None, **kwargs):
        super(CheckInForm, self).__init__(*args, **kwargs)
        _offer_goals(self, goals)
        if self.instance.kind == CheckIn.Kind.ATTEMPT:
            # An attempt stays one: only its how, when and note are corrected.
            for name in CONTACT_ONLY_FIELDS:
                self.fields.pop(name, None)

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class SelfCheckInForm(RuleWords, forms.Form):
    rule_model = CheckIn

    mood = forms.TypedChoiceField(
        label=_("How are you feeling?"), choices=Mood.choices, coerce=int, widget=forms.RadioSelect
    )
    craving_level = forms.TypedChoiceField(
        label=_("Cravings today (0 none – 10 strongest)"), choices=CRAVING_CHOICES, coerce=int
    )
    substance_use_days = forms.IntegerField(
        label=_("Days you used since your last check-in"),
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )
    message_to_mentor = forms.CharField(
        label=_("A message to your mentor (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class AssessmentForm(FormSections, OnceTokenForm):
    sections = (
        Section(_("When"), ("assessed_on",)),
        Section(
            _("The ten statements"),
            ITEM_FIELDS,
            help=_("From 1 (strongly disagree) to 6 (strongly agree)."),
        ),
    )

    assessed_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, text in zip(ITEM_FIELDS, BARC10_ITEMS, strict=True):
            self.fields[field] = forms.TypedChoiceField(
                label=text, choices=SCALE, coerce=int, widget=forms.RadioSelect
            )

        # Each statement refuses a score off the scale in the model's words.
        speak_rules(self.fields, RecoveryCapitalAssessment)

    def scores(self) -> list[int]:
        return [self.cleaned_data[field] for field in ITEM_FIELDS]


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("Why void it"),
        help_text=_(
            "For example: logged for the wrong person. "
            "The check-in stays in the history, struck through."
        ),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CrisisHandledForm(forms.Form):
    note = forms.CharField(label=_("How it was handled"), widget=forms.Textarea(attrs={"rows": 2}))


NOT_IN_GROUP = ""


class GroupSessionForm(NamedBlankChoices, FormSections, OnceTokenForm):
    """A group and, for each mentee the user works with, whether they came.
    The attendance fields are made per mentee and drawn by the page, one row
    each, after the sections."""

    sections = (
        Section(
            _("The group"),
            (
                "occurred_at",
                "duration_minutes",
                "delivery_method",
                "topic",
                "location",
                "co_facilitator",
            ),
        ),  # fmt: skip
        Section(_("Notes"), ("notes",)),
    )

    occurred_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration_minutes = forms.IntegerField(label=_("Minutes"), initial=90)
    delivery_method = forms.ChoiceField(
        label=_("How it was held"), choices=DeliveryMethod.choices, initial="in_person"
    )
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    co_facilitator = forms.ModelChoiceField(
        label=_("Co-facilitator"), queryset=User.objects.none(), required=False
    )
    notes = forms.CharField(
        label=_("Group notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("They stay on the group, never in a mentee's record."),
    )

    def __init__(self, *args, mentees, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_facilitator"].queryset = colleagues
        self.mentees = list(mentees)
        for mentee in self.mentees:
            self.fields[f"attendance_{mentee.pk}"] = forms.ChoiceField(
                label=mentee.preferred_name,
                choices=[(NOT_IN_GROUP, _("not in this group")), *Attendance.choices],
                required=False,
            )
            self.fields[f"note_{mentee.pk}"] = forms.CharField(
                label=_("Note about %(name)s") % {"name": mentee.preferred_name},
                max_length=500,
                required=False,
            )

    def fields_outside_sections(self):
        # The attendance rows are drawn by the page (templates/checkins/group_form.html).
        return [
            field
            for field in super().fields_outside_sections()
            if not field.name.startswith(("attendance_", "note_"))
        ]

    def attendance_rows(self):
        """(mentee, its attendance field, its note field) for the template."""
        return [(m, self[f"attendance_{m.pk}"], self[f"note_{m.pk}"]) for m in self.mentees]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in ("occurred_at", "duration_minutes", "delivery_method", "topic",
                         "location", "notes", "co_facilitator")
        }  # fmt: skip

    def attendees(self, new_attendee) -> list:
        data = self.cleaned_data
        return [
            new_attendee(m, data[f"attendance_{m.pk}"], data[f"note_{m.pk}"])
            for m in self.mentees
            if data.get(f"attendance_{m.pk}")
        ]
