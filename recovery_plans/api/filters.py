"""Query parameters of the recovery plan lists."""

import django_filters

from core.api.filters import IdFilter


class RecoveryPlanFilter(django_filters.FilterSet):
    mentee = IdFilter(label="the mentee record's id")


class GoalFilter(django_filters.FilterSet):
    plan = IdFilter(label="the plan's id")


class ActionStepFilter(django_filters.FilterSet):
    goal = IdFilter(label="the goal's id")
