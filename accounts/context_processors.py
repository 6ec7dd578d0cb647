from django.conf import settings

from .middleware import idle_seconds_left


def idle_warning(request) -> dict:
    """What the idle warning (templates/base.html, static/js/peerpath.js) needs
    for a signed-in user: the seconds this session has left without activity,
    the full limit, and how long before the end the warning shows."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    timeout = settings.PEERPATH_IDLE_TIMEOUT_SECONDS
    warning = settings.PEERPATH_IDLE_WARNING_SECONDS
    return {
        "idle": {
            "remaining": idle_seconds_left(request.session),
            "timeout": timeout,
            "timeout_minutes": timeout // 60,
            "warning": warning,
            "warning_minutes": warning // 60,
        }
    }
