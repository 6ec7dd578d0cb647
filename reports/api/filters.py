"""Query parameters of the reports' lists."""

import django_filters

from core.api.filters import IdFilter

from ..follow_ups import Point


class FollowUpFilter(django_filters.FilterSet):
    mentee = IdFilter(label="the mentee record's id")
    point = django_filters.ChoiceFilter(choices=Point.choices)
