"""Query parameters of the check-in list."""

import django_filters

from core.api.filters import IdFilter

from ..models import CheckIn


class CheckInFilter(django_filters.FilterSet):
    mentee = IdFilter(label="the mentee record's id")
    kind = django_filters.ChoiceFilter(choices=CheckIn.Kind.choices)
