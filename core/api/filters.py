"""What every API list's FilterSet is made of.

A query parameter reaches the database only through one of these filters, so a
value PostgreSQL cannot take (a NUL byte, an integer past 64 bits) is refused
as a 400 that names the parameter, never a 500. (accounts is the lowest app:
the other apps' api/filters.py build on this.)
"""

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

# Primary keys are BigAutoField: the largest id PostgreSQL's bigint holds.
BIGINT_MAX = 2**63 - 1


class IdField(forms.IntegerField):
    """A row id: a whole number from 1 to the largest bigint."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(**kwargs)


@extend_schema_field({"type": "integer", "format": "int64", "minimum": 1, "maximum": BIGINT_MAX})
class IdFilter(django_filters.Filter):
    """Rows pointing at one id. Refuses anything but an id in the bigint range:
    "abc", "1.5", "²" and 2**64 are 400s, not an empty list or a DataError."""

    field_class = IdField


class TextFilter(django_filters.CharFilter):
    """Free text. Django's CharField already refuses a NUL byte (PostgreSQL
    cannot compare one); the text is trimmed, so a bare CR/LF filters nothing."""


class DateField(forms.DateField):
    """A day, written as the API writes one: YYYY-MM-DD."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(**kwargs)


class DateFilter(django_filters.DateFilter):
    """Rows on a side of a day (YYYY-MM-DD, the program's local date). Refuses
    anything else ("1", "2026-02-30", "27/11/2026", a NUL byte) as a 400."""

    field_class = DateField
