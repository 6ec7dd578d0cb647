from accounts.models import Role
from core.dashboard import Panel, register

from . import selectors


def _my_certifications(user) -> dict:
    return {"certifications": selectors.certifications_of(holder=user)}


register(
    Panel(
        "my_certifications",
        frozenset({Role.MENTOR}),
        "certification/partials/_panel_mine.html",
        _my_certifications,
        order=30,
    )
)
