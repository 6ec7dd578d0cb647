from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import RuleWords, StaleCheck

from .models import RetentionSetting


class RetentionSettingForm(StaleCheck, RuleWords, forms.ModelForm):
    class Meta:
        model = RetentionSetting
        fields = ["years"]
        help_texts = {
            "years": _(
                "Whole years after a mentee is discharged or graduates (the date of that "
                "status change, in the program's calendar). Audit rows and CE records "
                "follow their own rules."
            )
        }


class PurgeForm(forms.Form):
    confirmation = forms.CharField(
        label=_("Type the record number to confirm"), max_length=20, required=False
    )
