"""Query parameters of the supervision lists."""

import django_filters

from core.api.filters import DateFilter, IdFilter

from ..choices import ApprovalAction, ApprovalStatus, Qualification, SessionKind


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


class FollowUpRequestFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        choices=[("open", "open"), ("resolved", "resolved")],
        method="filter_state",
        label="open (not answered yet) or resolved",
    )
    mentee = IdFilter(label="the mentee's id")
    mentor = IdFilter(label="the id of the mentor asked")
    checkin = IdFilter(label="the check-in's id")
    plan = IdFilter(label="the recovery plan's id")
    due_until = DateFilter(
        field_name="due_on", lookup_expr="lte", label="due on or before this day"
    )

    def filter_state(self, queryset, name, value):
        return queryset.open() if value == "open" else queryset.resolved()


class ApprovalRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ApprovalStatus.choices)
    action = django_filters.ChoiceFilter(choices=ApprovalAction.choices)
    mentee = IdFilter(label="the mentee's id")
    mentor = IdFilter(label="the mentor's id (the mentee's mentor when it was asked)")
    requested_by = IdFilter(label="the id of the person who asked")
    requested_from = DateFilter(
        field_name="requested_at__date", lookup_expr="gte", label="asked on or after this day"
    )
