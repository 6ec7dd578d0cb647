import zoneinfo

from django import forms
from django.contrib.auth import password_validation
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import FormSections, NamedBlankChoices, RuleWords, Section, StaleCheck

from .counties import CALIFORNIA_COUNTIES
from .models import Program, Role

US_TIME_ZONES = sorted(tz for tz in zoneinfo.available_timezones() if tz.startswith("America/"))
US_TIME_ZONES += ["Pacific/Honolulu"]


class ProgramForm(StaleCheck, RuleWords, FormSections, forms.ModelForm):
    time_zone = forms.ChoiceField(choices=[(tz, tz) for tz in US_TIME_ZONES], label=_("Time zone"))
    sections = (
        Section(_("The program"), ("name", "state", "county", "time_zone")),
        Section(_("Check-ins"), ("default_checkin_cadence_days", "overdue_grace_days")),
        Section(
            _("Who may work with mentees"), ("min_months_in_recovery", "coordinators_may_cover")
        ),
    )

    class Meta:
        model = Program
        fields = [
            "name",
            "state",
            "county",
            "time_zone",
            "default_checkin_cadence_days",
            "overdue_grace_days",
            "min_months_in_recovery",
            "coordinators_may_cover",
        ]
        labels = {
            "name": _("Name"),
            "state": pgettext_lazy("US state", "State"),
            "county": _("County"),
            "overdue_grace_days": _("Overdue grace days"),
        }
        help_texts = {"county": _("In California, one of the 58 counties (e.g. Sacramento).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].widget.attrs["list"] = "california-counties"
        self.california_counties = CALIFORNIA_COUNTIES

    def clean_state(self) -> str:
        state = self.cleaned_data["state"].strip().upper()
        if len(state) != 2 or not state.isalpha():
            raise forms.ValidationError(_("Use the two-letter state code, e.g. CA."))
        return state


class InvitationForm(NamedBlankChoices, forms.Form):
    blank_labels = {"program": _("none (an admin)")}

    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(max_length=150, required=False, label=_("Name (optional)"))
    role = forms.ChoiceField(choices=(), label=_("Role"))
    program = forms.ModelChoiceField(
        queryset=Program.objects.none(), required=False, label=_("Program")
    )

    def __init__(self, *args, roles: list[str], programs, fixed_program=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]
        self.fixed_program = fixed_program
        if fixed_program is not None:
            del self.fields["program"]
        else:
            self.fields["program"].queryset = programs
            self.fields["program"].help_text = _("Leave empty for an admin.")

    def clean(self):
        """A coordinator invites into their own program. Whether a program
        is needed is the service's rule (invitation_create)."""
        cleaned = super().clean()
        if self.fixed_program is not None:
            cleaned["program"] = self.fixed_program
        return cleaned


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(max_length=150, label=_("Your name"))
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters; not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            from .models import User

            probe = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=80,
        label=_("Name"),
        help_text=_("What will use it, such as “nightly export” or “reporting laptop”."),
    )


class StyleGuideExampleForm(FormSections, NamedBlankChoices, forms.Form):
    """The example form of the style guide (accounts.views.style_guide): it
    saves nothing."""

    sections = (
        Section(_("Contact"), ("name", "contact", "days"), help=_("Who to reach, how and when.")),
    )

    name = forms.CharField(
        max_length=80, label=_("Name"), help_text=_("As the person likes to be called.")
    )
    contact = forms.ChoiceField(
        label=_("Best way to reach them"),
        choices=[
            *BLANK_CHOICE_DASH,
            ("phone", _("Phone")),
            ("text", _("Text")),
            ("email", _("Email")),
        ],
    )
    days = forms.MultipleChoiceField(
        label=_("Days that suit"),
        required=False,
        choices=[("mon", _("Monday")), ("wed", _("Wednesday")), ("fri", _("Friday"))],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every day that works."),
    )


class PeopleFilterForm(forms.Form):
    program = forms.ModelChoiceField(
        queryset=Program.objects.none(), required=False, label=_("Program")
    )
    role = forms.ChoiceField(
        choices=[("", _("Any role")), *Role.choices], required=False, label=_("Role")
    )
    active = forms.ChoiceField(
        choices=[("", _("Active or not")), ("yes", _("Active")), ("no", _("Deactivated"))],
        required=False,
        label=_("Active"),
    )

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["program"].empty_label = _("Any program")

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "program_id": data["program"].pk if data["program"] else None,
            "role": data["role"],
            "active": {"yes": True, "no": False}.get(data["active"]),
        }


class RoleChangeForm(forms.Form):
    # Every role, so that the service says plainly why mentee is refused.
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))
    program = forms.ModelChoiceField(
        queryset=Program.objects.all(), required=False, label=_("Program")
    )


class MoveForm(forms.Form):
    program = forms.ModelChoiceField(queryset=Program.objects.all(), label=_("Program"))
    handoff_summary = forms.CharField(required=False, label=_("Handoff summary"))
