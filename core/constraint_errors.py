"""Which database constraint refused a write, so that the refusal reaches a
person as the constraint's plain message (its `violation_error_message`),
never as its name. Services check their rules in Python first; this is for
what still reaches the database (a race, a rule a caller skipped)."""

from django.db import IntegrityError, models


def violated_constraint(exc: IntegrityError) -> str | None:
    """The name of the constraint PostgreSQL reports for this error, if any."""
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


def constraint_message(model: type[models.Model], exc: IntegrityError) -> str | None:
    """The plain message of the model's constraint that refused the write."""
    name = violated_constraint(exc)
    for constraint in model._meta.constraints:
        if constraint.name == name:
            return str(constraint.get_violation_error_message())
    return None
