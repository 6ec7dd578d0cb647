"""Validation and normalisation only: the rules are in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.forms import FormSections, NamedBlankChoices, RuleWords, Section, StaleCheck
from mentorship.models import MenteeProfile

from .choices import Qualification, SessionFormat, SessionKind, Topic
from .models import CrisisDebrief, SupervisionSession, SupervisionSettings, Supervisor
from .services import NewActionItem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACTION_ROWS = 3


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name or obj.email


class _PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name or obj.email


class _MenteeChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.preferred_name


class SupervisorDesignateForm(RuleWords, NamedBlankChoices, forms.Form):
    rule_model = Supervisor

    user = _PersonChoice(label=_("Who supervises"), queryset=User.objects.none())
    qualification = forms.ChoiceField(
        label=_("Qualification"), choices=Qualification.choices, widget=forms.RadioSelect
    )
    years_of_experience = forms.IntegerField(
        label=_("Years of experience as a peer specialist"), min_value=0, max_value=60,
        required=False,
    )  # fmt: skip
    license_number = forms.CharField(
        label=_("License or registration number"), max_length=60, required=False
    )
    designated_on = forms.DateField(label=_("Designated on"), widget=DATE, required=False)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                program=program, role__in=[Role.COORDINATOR, Role.MENTOR], is_active=True
            )
            .exclude(supervisor__ended_on__isnull=True, supervisor__isnull=False)
            .order_by("full_name")
        )


class TrainingForm(forms.Form):
    completed_on = forms.DateField(label=_("Supervisor training completed on"), widget=DATE)


class AssignForm(NamedBlankChoices, forms.Form):
    mentor = _PersonChoice(label=_("Mentor"), queryset=User.objects.none())
    supervisor = forms.ModelChoiceField(label=_("Supervisor"), queryset=Supervisor.objects.none())
    started_on = forms.DateField(label=_("From"), widget=DATE, required=False)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            program=program, role=Role.MENTOR, is_active=True
        ).order_by("full_name")
        self.fields["supervisor"].queryset = (  # type: ignore[attr-defined]
            Supervisor.objects.current().filter(program=program).select_related("user")
        )


class SettingsForm(StaleCheck, RuleWords, forms.ModelForm):
    class Meta:
        model = SupervisionSettings
        fields = [
            "monthly_minimum_minutes",
            "debrief_due_days",
            "training_deadline_months",
            "approvals_required",
        ]


class SessionForm(RuleWords, FormSections, NamedBlankChoices, forms.Form):
    rule_model = SupervisionSession

    kind = forms.ChoiceField(
        label=_("Individual or group"), choices=SessionKind.choices, widget=forms.RadioSelect,
        initial=SessionKind.INDIVIDUAL,
    )  # fmt: skip
    mentors = _PeopleChoice(
        label=_("Mentors supervised"), queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=480)
    format = forms.ChoiceField(
        label=_("Format"), choices=SessionFormat.choices, widget=forms.RadioSelect
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple
    )
    debriefs = forms.ModelMultipleChoiceField(
        label=_("Crisis debriefs this session closes"), queryset=CrisisDebrief.objects.none(),
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("With the crisis debrief topic."),
    )  # fmt: skip
    mentees_discussed = _MenteeChoice(
        label=_("Mentees discussed"), queryset=MenteeProfile.objects.none(),
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Links to their records; write no names in the notes."),
    )  # fmt: skip
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 5}), required=False,
        help_text=_("Seen by you, the mentors of the session and admins only."),
    )  # fmt: skip

    def __init__(self, *args, supervisor, **kwargs):
        super().__init__(*args, **kwargs)
        program = supervisor.program
        mentors = User.objects.filter(program=program, role=Role.MENTOR, is_active=True).exclude(
            pk=supervisor.user_id
        )
        self.fields["mentors"].queryset = mentors.order_by("full_name")  # type: ignore[attr-defined]
        self.fields["debriefs"].queryset = (  # type: ignore[attr-defined]
            CrisisDebrief.objects.open().filter(program=program).select_related("mentor")
        )
        self.fields["debriefs"].label_from_instance = lambda d: (
            _(  # type: ignore[attr-defined]
                "%(mentor)s · crisis of %(day)s, due %(due)s"
            )
            % {"mentor": d.mentor.full_name, "day": d.opened_on, "due": d.due_on}
        )
        self.fields["mentees_discussed"].queryset = (  # type: ignore[attr-defined]
            MenteeProfile.objects.filter(
                program=program,
                assignments__ended_at__isnull=True,
                assignments__mentor__in=mentors,
            ).order_by("preferred_name")
        )
        choices = [("", _("Choose a mentor")), *((m.pk, m.full_name) for m in mentors)]
        for n in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{n}_mentor"] = forms.TypedChoiceField(
                label=_("Action item %(n)s: mentor") % {"n": n}, choices=choices, coerce=int,
                required=False, empty_value=None,
            )  # fmt: skip
            self.fields[f"action_{n}_description"] = forms.CharField(
                label=_("Action item %(n)s: what") % {"n": n}, max_length=300, required=False
            )
            self.fields[f"action_{n}_due_on"] = forms.DateField(
                label=_("Action item %(n)s: due on") % {"n": n}, widget=DATE, required=False
            )

    sections = (
        Section(_("Who and when"), ("kind", "mentors", "held_on", "duration_minutes", "format")),
        Section(_("What was covered"), ("topics", "debriefs", "mentees_discussed", "notes")),
        Section(
            _("Action items"),
            tuple(
                f"action_{n}_{part}"
                for n in range(1, ACTION_ROWS + 1)
                for part in ("mentor", "description", "due_on")
            ),
            help=_("Each mentor ticks off their own."),
        ),
    )

    def action_items(self) -> list[NewActionItem]:
        mentors = {m.pk: m for m in self.cleaned_data.get("mentors") or []}
        items = []
        for n in range(1, ACTION_ROWS + 1):
            text = (self.cleaned_data.get(f"action_{n}_description") or "").strip()
            mentor_id = self.cleaned_data.get(f"action_{n}_mentor")
            if not text and mentor_id is None:
                continue
            mentor = mentors.get(mentor_id) or User(pk=mentor_id or 0)
            items.append(NewActionItem(mentor, text, self.cleaned_data.get(f"action_{n}_due_on")))
        return items

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "mentors": list(data["mentors"]),
            "held_on": data["held_on"],
            "duration_minutes": data["duration_minutes"],
            "format": data["format"],
            "topics": data["topics"],
            "debriefs": list(data["debriefs"]),
            "mentees_discussed": list(data["mentees_discussed"]),
            "notes": data["notes"],
            "action_items": self.action_items(),
        }


class FollowUpRequestForm(forms.Form):
    # Not required here: the service refuses an empty request in its words.
    text = forms.CharField(
        label=_("What to follow up"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: call again before Friday; ask about the court date."),
    )  # fmt: skip
    due_on = forms.DateField(
        label=_("Due on (optional)"), widget=DATE, required=False,
        help_text=_("Today or later, in the program's calendar."),
    )  # fmt: skip


class FollowUpResolveForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you did or found out. It resolves the request."),
    )  # fmt: skip


class ApprovalDecisionForm(forms.Form):
    """Approve or reject (the button pressed), with a comment; or, for the
    person who asked, withdraw."""

    DECISIONS = ("approve", "reject", "withdraw")

    decision = forms.ChoiceField(
        choices=[(d, d) for d in DECISIONS],
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose approve or reject.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to approve or reject: the person who asked reads it."),
    )
