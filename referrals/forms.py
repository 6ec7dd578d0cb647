"""Validation and normalisation only: the rules are in services."""

import csv
import io

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from checkins.models import CollateralRole
from core.forms import FormSections, NamedBlankChoices, RuleWords, Section, StaleCheck
from mentorship.choices import LANGUAGE_CHOICES, DeliveryMethod

from .choices import (
    InformationCategory,
    Purpose,
    RecipientKind,
    ReferralMode,
    ReferralStatus,
    ServiceCategory,
)
from .models import Consent, Resource

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


CONSENT_TERMS = (
    Section(_("What may be shared"), ("categories",)),
    Section(_("Who may receive it"), ("recipient_kind", "recipient_resource", "recipient_name")),
    Section(_("Why"), ("purpose", "purpose_detail")),
    Section(_("Until when"), ("expires_on", "expiry_event")),
)


class ConsentTermsForm(RuleWords, FormSections, NamedBlankChoices, forms.Form):
    """What a consent says, in the words the mentee reads."""

    # Nothing ticked: refused in the words of consent_covers_something.
    rule_model = Consent
    sections = CONSENT_TERMS

    categories = forms.MultipleChoiceField(
        label=_("What information may be shared"),
        choices=InformationCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    recipient_kind = forms.ChoiceField(
        label=_("Who may receive it"),
        choices=RecipientKind.choices,
        widget=forms.RadioSelect,
        initial=RecipientKind.NAMED,
    )
    recipient_resource = forms.ModelChoiceField(
        label=_("From the program's directory"), queryset=Resource.objects.none(), required=False
    )
    recipient_name = forms.CharField(
        label=_("Or the name of the person or organisation"), max_length=200, required=False
    )
    purpose = forms.ChoiceField(
        label=_("Why (the purpose)"), choices=Purpose.choices, widget=forms.RadioSelect
    )
    purpose_detail = forms.CharField(
        label=_("The purpose in your own words"), max_length=300, required=False
    )
    expires_on = forms.DateField(label=_("This consent ends on"), widget=DATE, required=False)
    expiry_event = forms.CharField(
        label=_("Or it ends when"),
        max_length=300,
        required=False,
        help_text=_("For example: when I finish treatment at this provider."),
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_resource"].queryset = Resource.objects.filter(program=program)  # type: ignore[attr-defined]

    def terms(self) -> dict:
        data = self.cleaned_data
        return {
            "categories": data["categories"],
            "recipient_kind": data["recipient_kind"],
            "recipient_name": data["recipient_name"],
            "recipient_resource": data["recipient_resource"],
            "purpose": data["purpose"],
            "purpose_detail": data["purpose_detail"],
            "expires_on": data["expires_on"],
            "expiry_event": data["expiry_event"],
        }


class ConsentSignForm(ConsentTermsForm):
    sections = (*CONSENT_TERMS, Section(_("Your signature"), ("signed_name",)))
    drawn_apart = ("agreed",)  # the page draws the agreement under the terms, as a checkbox

    signed_name = forms.CharField(label=_("Type your full name to sign"), max_length=200)
    agreed = forms.BooleanField(
        label=_(
            "I have read this consent. I agree that the program may share the information "
            "above with the recipient for this purpose until it ends or I revoke it."
        ),
        required=False,
    )


class ConsentRecordForm(ConsentTermsForm):
    sections = (
        *CONSENT_TERMS,
        Section(_("The signature"), ("signed_name", "signed_on", "signed_form")),
    )

    signed_name = forms.CharField(label=_("Name the mentee signed with"), max_length=200)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    signed_form = forms.FileField(
        label=_("The signed form"), help_text=_("A scan or photo: PDF, PNG or JPEG.")
    )


class RevokeForm(forms.Form):
    note = forms.CharField(label=_("Anything to add (optional)"), max_length=300, required=False)


class ReferralForm(FormSections, NamedBlankChoices, forms.Form):
    sections = (
        Section(
            _("The referral"),
            ("category", "resource", "organisation", "reason", "mode", "follow_up_on"),
        ),
        Section(
            _("What the warm handoff shares"),
            ("shared_categories", "purpose"),
            help=_("Sharing needs a consent that covers it."),
        ),
    )

    category = forms.ChoiceField(label=_("Kind of service"), choices=ServiceCategory.choices)
    resource = forms.ModelChoiceField(
        label=_("From the directory"), queryset=Resource.objects.none(), required=False
    )
    organisation = forms.CharField(
        label=_("Or the organisation's name"), max_length=200, required=False
    )
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}))
    mode = forms.ChoiceField(
        label=_("How"), choices=ReferralMode.choices, widget=forms.RadioSelect,
        initial=ReferralMode.INFORMATION_ONLY,
    )  # fmt: skip
    shared_categories = forms.MultipleChoiceField(
        label=_("What the warm handoff shares"),
        choices=InformationCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    purpose = forms.ChoiceField(
        label=_("Purpose of sharing"), choices=[("", _("none")), *Purpose.choices], required=False
    )
    follow_up_on = forms.DateField(label=_("Follow up on"), widget=DATE, required=False)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = Resource.objects.filter(program=program)  # type: ignore[attr-defined]


class ReferralStatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=ReferralStatus.choices)
    on = forms.DateField(label=_("On"), widget=DATE, required=False)
    reason = forms.CharField(label=_("Reason (when not connected)"), max_length=300, required=False)


class LetterForm(NamedBlankChoices, forms.Form):
    resource = forms.ModelChoiceField(
        label=_("Recipient from the directory"), queryset=Resource.objects.none(), required=False
    )
    recipient_name = forms.CharField(
        label=_("Or the recipient's name"), max_length=200, required=False
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=Purpose.choices, widget=forms.RadioSelect
    )
    categories = forms.MultipleChoiceField(
        label=_("What the letter tells"),
        choices=InformationCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = Resource.objects.filter(program=program)  # type: ignore[attr-defined]


class ResourceForm(StaleCheck, FormSections, forms.ModelForm):
    sections = (
        Section(_("The organisation"), ("organisation", "categories", "languages")),
        Section(_("How to reach them"), ("address", "phone", "website", "hours")),
        Section(_("New clients"), ("accepts_medi_cal", "accepting_new_clients")),
        Section(_("Notes"), ("notes", "last_verified_on")),
    )

    categories = forms.MultipleChoiceField(
        label=_("Service categories"),
        choices=ServiceCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple,
        required=False,
    )  # fmt: skip

    class Meta:
        model = Resource
        fields = [
            "organisation", "categories", "address", "phone", "website", "hours", "languages",
            "accepts_medi_cal", "accepting_new_clients", "notes", "last_verified_on",
        ]  # fmt: skip
        widgets = {"last_verified_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def validate_unique(self):
        pass  # the service says so in words (referrals.services._resource_rules)


class ResourceSearchForm(NamedBlankChoices, forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("any")), *ServiceCategory.choices], required=False
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("any")), *LANGUAGE_CHOICES], required=False
    )


IMPORT_COLUMNS = (
    "organisation", "categories", "address", "phone", "website", "hours", "languages",
    "accepts_medi_cal", "accepting_new_clients", "notes", "last_verified_on",
)  # fmt: skip
MAX_IMPORT_BYTES = 1_000_000
MAX_IMPORT_ROWS = 1000


class ResourceImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=format_lazy(
            _(
                "Columns: {columns}. Categories and languages are codes separated by ';' "
                "(e.g. treatment;mat). Yes/no columns take yes or no. Dates are YYYY-MM-DD."
            ),
            columns=", ".join(IMPORT_COLUMNS),
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from exc
        return text


def parse_resources_csv(text: str) -> tuple[list[dict], list[str]]:
    """Rows of field values, and each row's format errors ("row 3: …")."""
    reader = csv.DictReader(io.StringIO(text))
    missing = {"organisation", "categories"} - set(reader.fieldnames or [])
    if missing:
        return [], [
            gettext("The file needs the columns %(columns)s.")
            % {"columns": ", ".join(sorted(missing))}
        ]
    rows, errors = [], []
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_IMPORT_ROWS:
            errors.append(
                gettext("The file has more than %(rows)s rows.") % {"rows": MAX_IMPORT_ROWS}
            )
            break
        row = {key: (raw.get(key) or "").strip() for key in IMPORT_COLUMNS}
        fields, problems = _resource_fields(row)
        rows.append(fields)
        errors += [
            gettext("row %(number)s: %(problem)s") % {"number": number, "problem": problem}
            for problem in problems
        ]
    if not rows and not errors:
        errors.append(gettext("The file has no rows."))
    return rows, errors


def _codes(value: str) -> list[str]:
    return [code.strip() for code in value.split(";") if code.strip()]


def _resource_fields(row: dict) -> tuple[dict, list[str]]:
    problems = []
    fields: dict = {"organisation": row["organisation"]}
    fields["categories"] = _codes(row["categories"])
    unknown = set(fields["categories"]) - set(ServiceCategory.values)
    if unknown:
        problems.append(
            gettext("unknown categories %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
        )
    fields["languages"] = _codes(row["languages"])
    unknown = set(fields["languages"]) - {code for code, _label in LANGUAGE_CHOICES}
    if unknown:
        problems.append(
            gettext("unknown languages %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
        )
    for name in ("organisation", "address", "phone", "hours", "notes"):
        fields[name] = row[name]
        limit = Resource._meta.get_field(name).max_length
        if limit and len(row[name]) > limit:
            problems.append(
                gettext("%(column)s is longer than %(limit)s characters.")
                % {"column": name, "limit": limit}
            )
    website = forms.URLField(required=False, assume_scheme="https")
    try:
        fields["website"] = website.clean(row["website"])
    except forms.ValidationError:
        problems.append(gettext("the website is not a web address."))
    for name, default in (("accepts_medi_cal", False), ("accepting_new_clients", True)):
        value = row[name].casefold()
        if value in ("", "yes", "no", "true", "false", "y", "n"):
            fields[name] = default if value == "" else value in ("yes", "true", "y")
        else:
            problems.append(gettext("%(column)s is yes or no.") % {"column": name})
    try:
        fields["last_verified_on"] = forms.DateField(required=False).clean(row["last_verified_on"])
    except forms.ValidationError:
        problems.append(
            gettext("%(column)s is a date (YYYY-MM-DD).") % {"column": "last_verified_on"}
        )
    return fields, problems


class CollateralContactForm(FormSections, NamedBlankChoices, forms.Form):
    sections = (
        Section(
            _("The contact"),
            (
                "collateral_name",
                "collateral_role",
                "collateral_organisation",
                "occurred_at",
                "delivery_method",
                "duration_minutes",
                "notes",
            ),
        ),
        Section(_("What was told"), ("shared_categories", "purpose")),
    )

    # Left blank: the service's words for checkin_collateral_says_with_whom.
    collateral_name = forms.CharField(
        label=_("With whom"),
        max_length=150,
        error_messages={"required": _("Say with whom, and their role, the contact was.")},
    )
    collateral_role = forms.ChoiceField(label=_("Their role"), choices=CollateralRole.choices)
    collateral_organisation = forms.CharField(
        label=_("Their organisation"), max_length=200, required=False
    )
    occurred_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    delivery_method = forms.ChoiceField(
        label=_("How"), choices=DeliveryMethod.choices, widget=forms.RadioSelect
    )
    duration_minutes = forms.IntegerField(
        label=_("Minutes"), min_value=1, max_value=600, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    shared_categories = forms.MultipleChoiceField(
        label=_("Was anything about the mentee told to them? What"),
        help_text=_("Leave empty if nothing was told. Telling needs a consent that covers it."),
        choices=InformationCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    purpose = forms.ChoiceField(
        label=_("Purpose of what was told"),
        choices=[("", _("none")), *Purpose.choices],
        required=False,
    )
