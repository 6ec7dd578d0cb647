import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.dates import add_months

# A report covers at most three years of months (its tables stay readable).
MAX_MONTHS = 36


def _month(value: str) -> date:
    # Four ASCII digits, a dash, two: what the month input sends (and what the
    # API's schema promises), never "2026-1" or a superscript digit.
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}", value):
        raise ValidationError(_("Give a month as YYYY-MM."))
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError) as exc:
        raise ValidationError(_("Give a month as YYYY-MM.")) from exc


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": _("YYYY-MM")})

    def to_python(self, value):
        value = super().to_python(value)
        return _month(value) if value else None

    def prepare_value(self, value):
        return f"{value.year}-{value.month:02d}" if isinstance(value, date) else value


class ReportPeriodForm(forms.Form):
    """The programs and months of the outcome report. Empty months mean the
    twelve months up to this one."""

    program = forms.TypedChoiceField(label=_("Program"), coerce=int, required=False)
    start = MonthField(label=_("From month"), required=False)
    end = MonthField(label=_("To month"), required=False)

    def __init__(self, *args, programs, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        choices = [(p.pk, p.name) for p in programs]
        if len(choices) > 1:
            choices.insert(0, ("", _("All programs")))
        self.fields["program"].choices = choices
        self.fields["program"].empty_value = None

    def clean_defaults(self) -> dict:
        """The months of an unfiltered report: the twelve up to this one."""
        end = self.today.replace(day=1)
        return {"start": add_months(end, -11), "end": end}

    def clean(self):
        data = super().clean()
        end = data.get("end") or self.today.replace(day=1)
        start = data.get("start") or add_months(end, -11)
        if start > end:
            raise ValidationError(_("The first month comes after the last."))
        if (end.year - start.year) * 12 + end.month - start.month + 1 > MAX_MONTHS:
            raise ValidationError(
                _("A report covers at most %(months)s months.") % {"months": MAX_MONTHS}
            )
        data["start"], data["end"] = start, end
        return data


class FollowUpStateForm(forms.Form):
    """The follow-up list's filter: one state of a window, or all."""

    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args, **kwargs):
        from .follow_ups import FILTERED_STATES

        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Any state"))] + [
            (state.value, state.label) for state in FILTERED_STATES
        ]
