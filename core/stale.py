"""Two people editing one record: the second save, on the version they
opened, is refused in plain words that say what is there now, and saves
nothing (the page's counterpart of the API's If-Match, core.api.conditional).

A form that edits such a record (core.forms.StaleCheck) carries, signed, what
the record held when it was drawn (`snapshot`), and its cleaned data hands
that to the service as `seen`. The service, holding the record's row
locked, calls `refuse_if_changed(record, seen)`: whatever came between the
page and the lock is caught there, not only what the form could see.
A page that saves its form without a service does the same through
core.service_errors.save_form.
"""

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats
from django.utils.text import Truncator, get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

STALE_FIELD = "seen_version"
SEEN = "seen"  # the key of the form's cleaned data, and the services' argument

MESSAGE = _(
    "Someone else changed this record since you opened it: %(changes)s. Nothing was saved. "
    "Your answers are below: check them against the record and save again."
)


class StaleRecord(ValidationError):
    """The record changed since the person opened it. `now` is its snapshot
    as stored, for the form's next save."""

    def __init__(self, message, now: dict[str, str]):
        super().__init__(message, code="stale")
        self.now = now


def _text(value) -> str:
    if isinstance(value, (list, tuple, set)):
        return ",".join(sorted(str(getattr(item, "pk", item)) for item in value))
    return "" if value is None else str(getattr(value, "pk", value))


def _field(record: models.Model, name: str):
    try:
        return record._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def snapshot(record: models.Model, names) -> dict[str, str]:
    """The record's stored value of each named field, as text."""
    taken = {}
    for name in names:
        field = _field(record, name)
        if field is None or not getattr(field, "editable", False):
            continue
        if field.many_to_many:
            value = list(getattr(record, name).all()) if record.pk else []
        else:
            value = field.value_from_object(record)
        taken[name] = _text(value)
    return taken


def sign(taken: dict[str, str]) -> str:
    return signing.dumps(taken, salt=STALE_FIELD)


def unsign(signed: str) -> dict[str, str] | None:
    """What a form saw, or None (nothing sent: no check)."""
    if not signed:
        return None
    try:
        seen = signing.loads(signed, salt=STALE_FIELD)
    except signing.BadSignature:  # not ours: no check, as if none was sent
        return None
    return seen if isinstance(seen, dict) else None


def shown(record: models.Model, name: str) -> str:
    """A field's value as a person reads it on the page."""
    field = _field(record, name)
    if field is None:
        return ""
    if field.many_to_many:
        value = ", ".join(str(item) for item in getattr(record, name).all())
    elif field.is_relation:
        value = str(getattr(record, name) or "")
    elif field.choices:
        stored = field.value_from_object(record)
        if isinstance(stored, (list, tuple)):
            labels = dict(field.flatchoices) | dict(getattr(field, "base_field", field).flatchoices)
            value = ", ".join(str(labels.get(item, item)) for item in stored)
        else:
            value = str(
                dict(field.flatchoices).get(stored, stored) if stored not in (None, "") else ""
            )
    else:
        stored = field.value_from_object(record)
        if isinstance(stored, bool):
            value = gettext("yes") if stored else gettext("no")
        elif isinstance(stored, (list, tuple)):
            labels = dict(getattr(getattr(field, "base_field", None), "flatchoices", []) or [])
            value = ", ".join(str(labels.get(item, item)) for item in stored)
        elif stored is None:
            value = ""
        elif hasattr(stored, "year"):
            value = formats.date_format(
                stored, "DATE_FORMAT" if not hasattr(stored, "hour") else "DATETIME_FORMAT"
            )
        else:
            value = str(stored)
    return Truncator(" ".join(value.split())).chars(80)


def changed_fields(record: models.Model, seen: dict[str, str] | None) -> tuple[list[str], dict]:
    """The fields the record holds differently from what was seen, and its snapshot now."""
    if seen is None or record.pk is None:
        return [], {}
    now = snapshot(record, seen.keys())
    return [name for name, value in now.items() if name in seen and seen[name] != value], now


def refusal(record: models.Model, changed: list[str], now: dict, labels: dict | None = None):
    labels = labels or {}
    parts = []
    for name in changed:
        label = labels.get(name)
        if label is None:
            field = _field(record, name)
            label = getattr(field, "verbose_name", name)
        label = str(label).lower()
        value = shown(record, name)
        if value:
            parts.append(gettext("%(field)s is now “%(value)s”") % {"field": label, "value": value})
        else:
            parts.append(gettext("%(field)s is now empty") % {"field": label})
    return StaleRecord(MESSAGE % {"changes": get_text_list(parts, gettext("and"))}, now)


def refuse_if_changed(record: models.Model, seen: dict[str, str] | None, labels=None) -> None:
    """For a service, with `record` as stored and its row locked: refused
    (StaleRecord) if a field the person saw has changed since."""
    changed, now = changed_fields(record, seen)
    if changed:
        raise refusal(record, changed, now, labels)


def refuse_if_changed_since_form(form) -> None:
    """For a page that saves its model form itself: lock the record's row
    and refuse if it changed since the form was drawn. Call inside a
    transaction, before form.save()."""
    seen = (getattr(form, "cleaned_data", None) or {}).get(SEEN)
    instance = form.instance
    if seen is None or instance.pk is None:
        return
    stored = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    refuse_if_changed(stored, seen, {name: form.fields[name].label for name in form.fields})
