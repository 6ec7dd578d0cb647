from .navigation import links_for


def navigation(request) -> dict:
    """The links the navigation shows, by role. No queries."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": []}
    return {"nav_links": links_for(user)}
