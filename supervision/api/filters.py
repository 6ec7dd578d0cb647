"""Query parameters of the supervision lists."""

import django_filters

from core.api.filters import DateFilter, IdFilter

from ..choices import Qualification, SessionKind


class SupervisorFilter(django_filters.FilterSet):
    program = IdFilter(label="the program's id")
    qualification = django_filters.ChoiceFilter(choices=Qualification.choices)


class SupervisionSessionFilter(django_filters.FilterSet):
    supervisor = IdFilter(label="the supervisor's id")
    kind = django_filters.ChoiceFilter(choices=SessionKind.choices)
    held_from = DateFilter(
        field_name="held_on", lookup_expr="gte", label="held on or after this day"
    )
    held_until = DateFilter(
        field_name="held_on", lookup_expr="lte", label="held on or before this day"
    )
