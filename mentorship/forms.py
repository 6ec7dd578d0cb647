from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import FormSections, NamedBlankChoices, RuleWords, Section, StaleCheck
from core.once import OnceTokenForm

from . import mentee_list as mentee_list_columns
from .choices import (
    LANGUAGE_CHOICES,
    SUBSTANCE_CHOICES,
    AssignmentEndReason,
    DeliveryMethod,
    DischargeReason,
    LivedExperience,
    MenteeStatus,
    RecoveryPathway,
    RemoteConsent,
    Specialization,
)
from .models import BreakGlassGrant, MenteeProfile, MentorProfile


class MultipleChoiceJSONField(forms.MultipleChoiceField):
    """A list of choice values stored in a JSONField, shown as checkboxes."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, choices, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(choices=choices, **kwargs)


class MenteeProfileForm(StaleCheck, FormSections, NamedBlankChoices, forms.ModelForm):
    blank_labels = {
        "mentor_gender_preference": _("no preference"),
        "preferred_delivery_method": _("no preference"),
    }
    sections = (
        Section(_("The person"), ("preferred_name", "legal_name", "date_of_birth")),
        Section(_("How to reach them"), ("phone", "email", "county")),
        Section(
            _("Referral"),
            ("referral_source", "intake_date", "substances_of_concern", "recovery_pathway"),
        ),
        Section(
            _("Matching with a mentor"),
            ("preferred_language", "mentor_gender_preference", "preferred_delivery_method"),
            help=_("Mentor suggestions weigh these."),
        ),
        Section(
            _("Emergency contact"),
            (
                "emergency_contact_name",
                "emergency_contact_relationship",
                "emergency_contact_phone",
            ),
        ),
    )
    substances_of_concern = MultipleChoiceJSONField(
        choices=SUBSTANCE_CHOICES, label=_("Substances of concern")
    )
    preferred_language = forms.ChoiceField(
        choices=LANGUAGE_CHOICES, initial="en", label=_("Preferred language")
    )

    class Meta:
        model = MenteeProfile
        fields = [
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
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            "intake_date": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {
            "preferred_name": _("Preferred name"),
            "legal_name": _("Legal name"),
            "date_of_birth": _("Date of birth"),
            "phone": _("Phone"),
            "email": _("Email"),
            "county": _("County"),
            "referral_source": _("Referral source"),
            "recovery_pathway": _("Recovery pathway"),
            "mentor_gender_preference": _("Would like a mentor who is"),
            "preferred_delivery_method": _("Preferred delivery method"),
            "emergency_contact_name": _("Emergency contact name"),
            "emergency_contact_relationship": _("Emergency contact relationship"),
            "emergency_contact_phone": _("Emergency contact phone"),
            "intake_date": _("Intake date"),
        }


class MenteeIntakeForm(OnceTokenForm, MenteeProfileForm):
    """The intake: the profile form with a one-time token, so that the back
    button and a second "Record intake" cannot record the person twice; and,
    when the program may already have this person, the coordinator's word that
    it is someone else (mentorship.duplicates)."""

    different_person = forms.BooleanField(
        required=False, label=_("This is a different person: record the intake")
    )
    drawn_apart = ("different_person",)  # beside the possible matches

    def duplicate_check_values(self) -> dict:
        data = self.cleaned_data
        texts = {
            key: data.get(key) or "" for key in ("preferred_name", "legal_name", "phone", "email")
        }
        return {**texts, "date_of_birth": data.get("date_of_birth")}

    def confirmed_different(self) -> bool:
        """Whether the coordinator said so; taken out of the record's fields."""
        return bool(self.cleaned_data.pop("different_person", False))


class MentorProfileForm(FormSections, NamedBlankChoices, forms.ModelForm):
    blank_labels = {"gender": _("not given")}
    sections = (
        Section(_("About you"), ("bio", "gender", "county")),
        Section(
            _("Your recovery"),
            (
                "recovery_pathways",
                "recovery_pathways_other",
                "lived_experience_areas",
                "lived_experience_other",
                "recovery_start_date",
            ),
            help=_("Matching looks for the same pathway and shared lived experience."),
        ),
        Section(
            _("How you mentor"),
            ("languages", "delivery_methods", "specializations", "accepting_new_mentees"),
        ),
    )

    lived_experience_areas = MultipleChoiceJSONField(
        choices=LivedExperience.choices, label=_("Lived experience areas")
    )
    recovery_pathways = MultipleChoiceJSONField(
        choices=RecoveryPathway.choices, label=_("Recovery pathways")
    )
    languages = MultipleChoiceJSONField(choices=LANGUAGE_CHOICES, label=_("Languages spoken"))
    delivery_methods = MultipleChoiceJSONField(
        choices=DeliveryMethod.choices, label=_("Delivery methods offered")
    )
    specializations = MultipleChoiceJSONField(
        choices=Specialization.choices, label=_("Specializations")
    )

    class Meta:
        model = MentorProfile
        fields = [
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
            "accepting_new_mentees",
        ]
        widgets = {"recovery_start_date": forms.DateInput(attrs={"type": "date"})}
        labels = {
            "recovery_pathways_other": _("Other pathway (your words)"),
            "lived_experience_other": _("Other lived experience (your words)"),
            "gender": _("Gender"),
            "county": _("County"),
            "recovery_start_date": _("Recovery start date"),
            "accepting_new_mentees": _("Accepting new mentees"),
        }
        help_texts = {
            "recovery_start_date": _("Private: only you, coordinators and admins see it."),
            "bio": _("Mentees read this."),
        }


class MentorCapacityForm(StaleCheck, RuleWords, forms.ModelForm):
    class Meta:
        model = MentorProfile
        fields = ["caseload_capacity", "accepting_new_mentees"]
        labels = {
            "caseload_capacity": _("Caseload capacity"),
            "accepting_new_mentees": _("Accepting new mentees"),
        }


class MenteeFilterForm(forms.Form):
    name = forms.CharField(required=False, label=_("Name"))
    status = forms.ChoiceField(
        required=False, label=_("Status"), choices=[("", _("any status")), *MenteeStatus.choices]
    )
    mentor = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Mentor"), empty_label=_("any mentor")
    )
    county = forms.CharField(required=False, label=_("County"))
    risk = forms.ChoiceField(required=False, label=_("Needs attention"))
    sort = forms.ChoiceField(required=False, label=_("Sort by"))

    def __init__(self, *args, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors
        risks = [(risk.key, risk.label) for risk in mentee_list_columns.risks()]
        self.fields["risk"].choices = [("", _("anyone")), *risks]
        self.fields["sort"].choices = [(s.key, s.label) for s in mentee_list_columns.sorts()]


class StatusChangeForm(FormSections, forms.Form):
    """No transition is preselected: a status changes only when someone chose
    it. Becoming active offers a mentor, assigned in the same step."""

    shown_for = {"mentor": "to_status:active", "reason": "to_status:discharged"}

    to_status = forms.ChoiceField(
        label=_("New status"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the new status.")},
    )
    mentor = forms.ModelChoiceField(
        label=_("Mentor"),
        queryset=None,
        required=False,
        empty_label=_("Choose a mentor"),
    )
    reason = forms.ChoiceField(
        label=_("Discharge reason"), required=False, choices=[("", "—"), *DischargeReason.choices]
    )
    note = forms.CharField(required=False, max_length=500, label=_("Note"))

    def __init__(self, *args, mentee: MenteeProfile, allowed: list[str], mentors=None, **kwargs):
        """`mentors` to offer when the mentee may become active and has no
        mentor now; None offers no mentor choice."""
        super().__init__(*args, **kwargs)
        name = mentee.preferred_name
        status = self.fields["to_status"]
        status.choices = [(s, MenteeStatus(s).label) for s in allowed]
        status.error_messages["invalid_choice"] = gettext(
            "Choose a status %(name)s can move to."
        ) % {"name": name}
        if MenteeStatus.DISCHARGED not in allowed:
            del self.fields["reason"]
        if mentors is None or MenteeStatus.ACTIVE not in allowed:
            del self.fields["mentor"]
        else:
            mentor = self.fields["mentor"]
            mentor.queryset = mentors
            mentor.error_messages["invalid_choice"] = gettext(
                "Choose a mentor of %(name)s's program."
            ) % {"name": name}
            mentor.help_text = gettext(
                "Needed to make %(name)s active: assigned at the same time."
            ) % {"name": name}

    def clean(self):
        data = super().clean()
        # Without JavaScript the mentor list stays in view: a mentor picked
        # before another status was chosen is ignored, not refused.
        if data.get("to_status") != MenteeStatus.ACTIVE:
            data["mentor"] = None
        return data


class AssignForm(forms.Form):
    mentor = forms.ModelChoiceField(queryset=None, label=_("Mentor"))
    end_reason = forms.ChoiceField(
        label=_("Why the current assignment ends"),
        required=False,
        choices=[("", "—"), *AssignmentEndReason.choices],
    )
    handoff_summary = forms.CharField(
        label=_("Handoff summary for the new mentor"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the new mentor should know first. They see it before anything else."),
    )

    def __init__(self, *args, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors


NO_CONSENT = "none"


class RemoteConsentForm(FormSections, forms.Form):
    """Nothing is preselected: an untouched form neither records consent nor
    withdraws it."""

    shown_for = {"on": "consent:audio_only video"}

    consent = forms.ChoiceField(
        label=_("Remote services"),
        widget=forms.RadioSelect,
        choices=[
            *RemoteConsent.choices,
            (NO_CONSENT, _("no consent: none given, or withdrawn")),
        ],
    )
    on = forms.DateField(
        label=_("Consent given on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a withdrawal, today is recorded."),
    )

    def __init__(self, *args, mentee: MenteeProfile, **kwargs):
        super().__init__(*args, **kwargs)
        self.mentee_name = mentee.preferred_name
        names = {"name": self.mentee_name}
        self.fields["consent"].label = gettext("%(name)s consents to") % names
        self.fields["consent"].error_messages["required"] = (
            gettext("Choose what %(name)s consents to, or that there is no consent.") % names
        )

    def clean(self):
        data = super().clean()
        if data.get("consent") == NO_CONSENT:
            data["consent"], data["on"] = "", None
        elif data.get("consent") and not data.get("on") and "on" not in self.errors:
            self.add_error(
                "on", gettext("Give the day %(name)s consented.") % {"name": self.mentee_name}
            )
        return data


class BreakGlassForm(RuleWords, forms.Form):
    rule_model = BreakGlassGrant

    mentee = forms.IntegerField(
        label=_("Mentee record number"),
        min_value=1,
        max_value=2**31 - 1,
        error_messages={"invalid": _("Enter the record number, digits only.")},
    )
    reason = forms.CharField(
        label=_("Why you need to open this record"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
