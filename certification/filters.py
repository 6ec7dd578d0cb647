"""The certification report's filters: one form read by the page, its CSV and
the API, so a value is refused the same way everywhere instead of dropped."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Program, User

from .models import CertificationType
from .selectors import SORTS, ReportFilters
from .status import Status

# "Expires within" reaches ten years ahead: certification cycles run two years.
EXPIRES_WITHIN_MAX_DAYS = 3650
SORT_CHOICES = [(key, key) for key in SORTS] + [(f"-{key}", f"-{key}") for key in SORTS]


class ReportFilterForm(forms.Form):
    program = forms.ModelChoiceField(
        queryset=Program.objects.none(),
        required=False,
        label=_("Program"),
        empty_label=_("all programs"),
    )
    # CharField refuses a NUL byte.
    county = forms.CharField(required=False, label=_("County"))
    certification_type = forms.ModelChoiceField(
        queryset=CertificationType.objects.all(),
        required=False,
        empty_label=_("all types"),
        label=_("Type"),
    )
    status = forms.ChoiceField(
        choices=[("", _("any status")), *Status.choices], required=False, label=_("Status")
    )
    expires_within = forms.IntegerField(
        label=_("Expires within (days)"),
        min_value=0,
        max_value=EXPIRES_WITHIN_MAX_DAYS,
        required=False,
    )
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, user: User, **kwargs):
        super().__init__(data, **kwargs)
        # A program the reader cannot see is refused, not silently reported empty.
        self.fields["program"].queryset = Program.objects.visible_to(user)

    def report_filters(self) -> ReportFilters:
        """The filters of a valid form."""
        data = self.cleaned_data
        return ReportFilters(
            program=data["program"].pk if data.get("program") else None,
            county=data.get("county") or "",
            certification_type=data["certification_type"].pk
            if data.get("certification_type")
            else None,
            status=data.get("status") or "",
            expires_within=data.get("expires_within"),
            sort=data.get("sort") or "expires_on",
        )


def read_report_filters(*, data, user: User) -> ReportFilters:
    """The report's filters from query parameters; a refused value raises a
    ValidationError naming its field."""
    form = ReportFilterForm(data, user=user)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.report_filters()


def refusal_text(exc: ValidationError) -> str:
    """One line per refused filter, for answers that are not a page."""
    return "\n".join(
        f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
    )
