"""Query parameters of the certification API lists."""

import django_filters

from core.api.filters import IdFilter, TextFilter

from ..models import CECategory, LapseRule

CE_STATES = [
    ("pending", "waiting for approval"),
    ("approved", "approved"),
    ("rejected", "rejected"),
    ("voided", "voided"),
]


class CertificationTypeFilter(django_filters.FilterSet):
    name = TextFilter(lookup_expr="icontains", label="part of the name")
    lapse_rule = django_filters.ChoiceFilter(choices=LapseRule.choices)


class CertificationFilter(django_filters.FilterSet):
    holder = IdFilter(label="the holder's user id")
    certification_type = IdFilter(label="the certification type's id")


class ContinuingEducationFilter(django_filters.FilterSet):
    holder = IdFilter(label="the holder's user id")
    category = django_filters.ChoiceFilter(choices=CECategory.choices)
    state = django_filters.ChoiceFilter(choices=CE_STATES, method="in_state")

    def in_state(self, queryset, name, value):
        if value == "voided":
            return queryset.filter(voided_at__isnull=False)
        queryset = queryset.filter(voided_at__isnull=True)
        if value == "approved":
            return queryset.filter(approved_at__isnull=False)
        if value == "rejected":
            return queryset.filter(rejected_at__isnull=False)
        return queryset.filter(approved_at__isnull=True, rejected_at__isnull=True)


class CertificationDocumentFilter(django_filters.FilterSet):
    certification = IdFilter(label="the certification's id")
