from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import FormSections, Section


class EmailPreferencesForm(FormSections, forms.Form):
    """A checkbox per kind the reader's role receives: checked, it is also
    mailed. Protected kinds are shown checked and cannot be changed."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        for row in rows:
            self.fields[row.kind] = forms.BooleanField(
                label=row.label,
                required=False,
                initial=row.email,
                disabled=row.protected,
                help_text=_("Always on: this alert protects people.") if row.protected else "",
            )
        if len(rows) > 6:
            # Per form, since the kinds depend on the reader's role.
            self.sections = (  # type: ignore[misc]
                Section(
                    _("Always sent by email"),
                    tuple(row.kind for row in rows if row.protected),
                    help=_("Alerts that protect people cannot be turned off."),
                ),
                Section(
                    _("Your choice"),
                    tuple(row.kind for row in rows if not row.protected),
                    help=_("Unchecked, you still see them under the bell."),
                ),
            )

    def emails(self) -> dict[str, bool]:
        return {
            name: bool(value)
            for name, value in self.cleaned_data.items()
            if not self.fields[name].disabled
        }
