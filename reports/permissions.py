def can_see_outcome_report(user) -> bool:
    """Coordinators (their program) and admins (any program)."""
    return user.is_authenticated and (user.is_admin or user.is_coordinator)
