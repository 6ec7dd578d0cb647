"""Query parameters of the recovery plan lists."""

import django_filters

from core.api.filters import IdFilter, TextFilter

from ..models import SupportContact


class RecoveryPlanFilter(django_filters.FilterSet):
    mentee = IdFilter(label="the mentee record's id")


class GoalFilter(django_filters.FilterSet):
    plan = IdFilter(label="the plan's id")


class ActionStepFilter(django_filters.FilterSet):
    goal = IdFilter(label="the goal's id")


class PlanPartFilter(django_filters.FilterSet):
    """The parts of plans (triggers, supports, safety plans): by plan or by mentee."""

    plan = IdFilter(label="the plan's id")
    mentee = IdFilter(field_name="plan__mentee", label="the mentee record's id")


class SupportFilter(PlanPartFilter):
    kind = django_filters.ChoiceFilter(choices=SupportContact.Kind.choices)


class PlanTemplateFilter(django_filters.FilterSet):
    program = IdFilter(label="the program's id")
    name = TextFilter(lookup_expr="icontains", label="part of the template's name")
