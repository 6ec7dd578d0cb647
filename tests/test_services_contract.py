"""One contract for every app's services: keyword-only arguments, and every
service that writes runs in one transaction (so a failure part-way leaves
nothing behind, and its locks last until it is done)."""

import importlib
import inspect
import re

import pytest

APPS = ["accounts", "notifications", "certification", "mentorship", "recovery_plans", "checkins"]
WRITES = re.compile(
    r"\.(save|create|update|delete|bulk_create|update_or_create|get_or_create|set)\("
)


def public_services():
    for app in APPS:
        module = importlib.import_module(f"{app}.services")
        for name, function in vars(module).items():
            if (
                inspect.isfunction(function)
                and function.__module__.startswith(f"{app}.services")
                and not name.startswith("_")
            ):
                yield pytest.param(function, id=f"{app}.{name}")


@pytest.mark.parametrize("service", list(public_services()))
def test_services_take_keyword_arguments_only(service):
    positional = [
        p.name
        for p in inspect.signature(service).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
    ]
    assert positional == [], f"{service.__qualname__} takes {positional} by position"


# Public functions of a services module that only read or compute.
# Reads, or a computation over values given (next_due_on: the schedule's rule).
READS = {"stale_claim", "invitation_for_token", "next_due_on"}
# One SQL statement, atomic by itself (a savepoint around it would cost every
# sweep two more queries).
SINGLE_STATEMENT = {"notifications_insert_from"}


@pytest.mark.parametrize("service", list(public_services()))
def test_services_that_write_run_in_one_transaction(service):
    if service.__name__ in READS:
        assert not WRITES.search(inspect.getsource(service)), f"{service.__name__} writes"
        return
    if service.__name__ in SINGLE_STATEMENT:
        assert inspect.getsource(service).count("cursor.execute(") == 1
        return
    source = inspect.getsource(inspect.unwrap(service))
    decorated = getattr(service, "__wrapped__", None) is not None
    assert decorated or "transaction.atomic" in source, (
        f"{service.__qualname__} writes outside transaction.atomic"
    )
