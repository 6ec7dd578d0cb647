"""What other apps did about a plan's goals, for the plan page.

recovery_plans sits below check-ins in the layer order, so it cannot read
their tables; instead an app registers a provider here from its
AppConfig.ready(): provider(plan) -> {goal_id: [items]}, newest first, in a
fixed number of queries whatever the plan's size. The plan page shows, under
each goal, the items every provider gave for it (today: the check-ins that
discussed it)."""

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import RecoveryPlan

Provider = Callable[["RecoveryPlan"], Mapping[int, Sequence]]

_providers: list[Provider] = []


def register_goal_activity(provider: Provider) -> None:
    if provider not in _providers:  # ready() may run more than once
        _providers.append(provider)


def goal_activity(plan: "RecoveryPlan") -> dict[int, list]:
    """Each goal's items from every provider, by goal id."""
    by_goal: dict[int, list] = {}
    for provider in _providers:
        for goal_id, items in provider(plan).items():
            by_goal.setdefault(goal_id, []).extend(items)
    return by_goal
