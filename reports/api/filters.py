"""Query parameters of the reports' lists."""

import django_filters
from django.db.models import Q

from core.api.filters import IdFilter
from core.dates import local_today

from ..follow_ups import FILTERED_STATES, Point, follow_ups_in_state


class FollowUpFilter(django_filters.FilterSet):
    mentee = IdFilter(label="the mentee record's id")
    point = django_filters.ChoiceFilter(choices=Point.choices)
    state = django_filters.ChoiceFilter(
        choices=[(s.value, s.label) for s in FILTERED_STATES],
        method="filter_state",
        label="the window's state today, on each mentee's program's calendar",
    )

    def filter_state(self, queryset, name, value):
        """Each program's today: one query for the zones of the programs listed."""
        zones = queryset.order_by().values_list("mentee__program__time_zone", flat=True).distinct()
        in_state = Q(pk__in=[])
        for zone in zones:
            in_state |= Q(mentee__program__time_zone=zone) & follow_ups_in_state(
                value, local_today(zone)
            )
        return queryset.filter(in_state)
