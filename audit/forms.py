from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Action
from .selectors import SearchCriteria


class AuditSearchForm(forms.Form):
    who = forms.EmailField(label=_("Staff email"), required=False)
    mentee = forms.IntegerField(label=_("Mentee number"), required=False, min_value=1)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("any")), *((a.value, a.label) for a in Action)],
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput({"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def criteria(self) -> SearchCriteria:
        if not self.is_valid():
            return SearchCriteria()
        data = self.cleaned_data
        return SearchCriteria(
            who=data["who"] or "",
            mentee_id=data["mentee"],
            action=data["action"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
