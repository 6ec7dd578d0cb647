from accounts.models import Role
from core.dashboard import Panel, register

from . import selectors


def _my_certifications(user) -> dict:
    return {"certifications": selectors.certifications_of_later(holder=user)}


def _alerts(user) -> dict:
    return selectors.certification_alerts_later(user=user)


register(
    Panel(
        "certification_alerts",
        frozenset({Role.ADMIN, Role.COORDINATOR}),
        "certification/partials/_panel_alerts.html",
        _alerts,
        order=20,
    )
)
register(
    Panel(
        "my_certifications",
        frozenset({Role.MENTOR}),
        "certification/partials/_panel_mine.html",
        _my_certifications,
        order=30,
    )
)
