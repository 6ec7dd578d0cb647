"""Query parameters of the check-in list."""

import django_filters

from core.api.filters import DateFilter, IdFilter
from mentorship.choices import DeliveryMethod

from ..models import CheckIn


class CheckInFilter(django_filters.FilterSet):
    mentee = IdFilter(label="the mentee record's id")
    kind = django_filters.ChoiceFilter(choices=CheckIn.Kind.choices)


class RecoveryCapitalFilter(django_filters.FilterSet):
    mentee = IdFilter(label="the mentee record's id")
    assessed_from = DateFilter(
        field_name="assessed_on", lookup_expr="gte", label="assessed on or after this day"
    )
    assessed_until = DateFilter(
        field_name="assessed_on", lookup_expr="lte", label="assessed on or before this day"
    )


class ScheduleFilter(django_filters.FilterSet):
    mentee = IdFilter(field_name="assignment__mentee", label="the mentee record's id")
    due_until = DateFilter(
        field_name="next_due_on", lookup_expr="lte", label="next check-in due on or before this day"
    )


class GroupSessionFilter(django_filters.FilterSet):
    facilitator = IdFilter(label="the facilitator's user id")
    delivery_method = django_filters.ChoiceFilter(choices=DeliveryMethod.choices)
    held_from = DateFilter(
        field_name="occurred_at", lookup_expr="date__gte", label="held on or after this day"
    )
    held_until = DateFilter(
        field_name="occurred_at", lookup_expr="date__lte", label="held on or before this day"
    )
