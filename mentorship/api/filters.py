"""Query parameters of the mentorship lists."""

import django_filters

from core.api.filters import DateFilter, IdFilter, TextFilter

from .. import selectors
from ..choices import MenteeStatus

BOOLEAN_CHOICES = [("true", "yes"), ("false", "no")]


class MentorFilter(django_filters.FilterSet):
    program = IdFilter(field_name="user__program", label="the program's id")
    accepting = django_filters.ChoiceFilter(
        choices=BOOLEAN_CHOICES,
        method="by_accepting",
        label="true: taking new mentees; false: not taking any",
    )

    def by_accepting(self, queryset, name, value):
        return queryset.filter(accepting_new_mentees=value == "true")


class MenteeFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=MenteeStatus.choices)
    mentor = IdFilter(label="current mentor's user id")
    county = TextFilter()
    name = TextFilter(label="part of the preferred or legal name")

    def filter_queryset(self, queryset):
        # The mentee page filters with the same selector: one rule for both.
        data = self.form.cleaned_data
        return selectors.filter_mentees(
            queryset,
            status=data.get("status") or "",
            mentor_id=data.get("mentor"),
            county=data.get("county") or "",
            name=data.get("name") or "",
        )


class AssignmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[("active", "active"), ("ended", "ended")], method="filter_status"
    )
    mentor = IdFilter(label="the mentor's user id")
    mentee = IdFilter(label="the mentee record's id")

    def filter_status(self, queryset, name, value):
        return queryset.filter(ended_at__isnull=value == "active")


class StatusChangeFilter(django_filters.FilterSet):
    mentee = IdFilter(label="the mentee record's id")
    to_status = django_filters.ChoiceFilter(choices=MenteeStatus.choices)
    changed_from = DateFilter(
        field_name="changed_on", lookup_expr="gte", label="changed on or after this day"
    )
    changed_until = DateFilter(
        field_name="changed_on", lookup_expr="lte", label="changed on or before this day"
    )
