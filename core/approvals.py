"""Actions a program may put behind an approval: activating a recovery plan,
discharging a mentee and graduating one.

The approval requests live in supervision, above mentorship and
recovery_plans, so those two cannot import them. They ask the gate that
supervision registers here from its AppConfig.ready(), as the dashboards'
panels and the report's figures are registered. With no gate (or the
program's setting off) every action takes effect at once, as it always did.

How a gated service works:

- Called by a person while its program requires approval, it checks all its
  own rules, then asks the gate for a request (`request`) instead of acting,
  and returns its subject marked with that request (`approval_request_of`
  tells a view which of the two happened). Nothing else changes.
- On approval, supervision calls the same service again with `approval=` the
  locked request, inside the approval's transaction: the service re-checks
  every rule at that moment and acts, or refuses with a plain message and the
  approval fails with nothing changed.
"""

from collections.abc import Sequence
from typing import Any, Protocol

PLAN_ACTIVATION = "plan_activation"
MENTEE_DISCHARGE = "mentee_discharge"
MENTEE_GRADUATION = "mentee_graduation"
ACTIONS = (PLAN_ACTIVATION, MENTEE_DISCHARGE, MENTEE_GRADUATION)


class Gate(Protocol):
    def required(self, program) -> bool:
        """Whether the program's actions need approval now."""
        ...

    def request(self, *, action: str, mentee, requested_by, details: dict, plan=None) -> Any:
        """The open request for this action on this subject: made now, or the
        one already waiting (a second click); refused (ValidationError) when
        one is waiting with different details."""
        ...

    def open_requests(self, *, mentee, plan=None) -> Sequence[Any]:
        """The requests waiting for approval about this mentee (or plan)."""
        ...


_gate: Gate | None = None


def register(gate: Gate) -> None:
    global _gate
    _gate = gate


def required(program) -> bool:
    return _gate is not None and _gate.required(program)


def request(*, action: str, mentee, requested_by, details: dict, plan=None) -> Any:
    if _gate is None:  # pragma: no cover - required() said no gate needs no request
        raise RuntimeError("No approval gate is registered.")
    return _gate.request(
        action=action, mentee=mentee, requested_by=requested_by, details=details, plan=plan
    )


def open_requests(*, mentee, plan=None) -> Sequence[Any]:
    if _gate is None:
        return []
    return _gate.open_requests(mentee=mentee, plan=plan)


def check_performs(approval, *, action: str, mentee_id: int, plan_id: int | None = None) -> None:
    """A service called with `approval=` acts only for the request it names."""
    if (
        approval.action != action
        or approval.mentee_id != mentee_id
        or (plan_id is not None and approval.plan_id != plan_id)
    ):
        raise ValueError(f"approval {approval.pk} is not for this {action}")


def serialized(approval_request) -> dict:
    """The request as the API answers it (a 202 from an action that waits)."""
    from core.api.approvals import ApprovalRequestSerializer

    return ApprovalRequestSerializer(approval_request).data


def mark(subject, approval_request):
    """The subject a gated service returns instead of acting."""
    subject.approval_request = approval_request
    return subject


def approval_request_of(result) -> Any:
    """The request a service made instead of acting, or None if it acted."""
    return getattr(result, "approval_request", None)
