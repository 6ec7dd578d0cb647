"""Rules about a person that other apps know and accounts cannot ask.

accounts sits below mentorship in the import graph, so it cannot count a
mentor's mentees before deactivating them. Apps above it register here from
their AppConfig.ready():

- a *refusal*: called with the locked person and the change asked for
  (`Change`), it answers a plain reason the change cannot happen, or "";
- an *after-change* step: called inside the same transaction once the change
  is saved (for example, a new mentor gets a mentor profile).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    """What is asked of a person: "deactivate", "reactivate", "role" (then
    `role` is the new one) or "move" (then `program` is the new one, and
    `handoff_summary` what the mentee's next mentor should know)."""

    action: str
    role: str = ""
    program: Any = None
    handoff_summary: str = ""


Refusal = Callable[..., str]
AfterChange = Callable[..., None]

_refusals: dict[str, Refusal] = {}
_after_change: dict[str, AfterChange] = {}


def register_refusal(name: str, check: Refusal) -> None:
    """`check(person, change=Change, by=User) -> str`: a reason, or ""."""
    _refusals[name] = check


def register_after_change(name: str, step: AfterChange) -> None:
    """`step(person, change=Change, by=User) -> None`."""
    _after_change[name] = step


def refusals(person, *, change: Change, by) -> list[str]:
    reasons = (check(person, change=change, by=by) for check in _refusals.values())
    return [reason for reason in reasons if reason]


def after_change(person, *, change: Change, by) -> None:
    for step in _after_change.values():
        step(person, change=change, by=by)
