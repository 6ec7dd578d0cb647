from django.urls import reverse

from .permissions import can_manage_programs, invitable_roles


def navigation(request) -> dict:
    """The links the navigation shows, by role. No queries."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": []}
    links = [("Dashboard", reverse("dashboard"))]
    if can_manage_programs(user):
        links.append(("Programs", reverse("accounts:program_list")))
    if invitable_roles(user):
        links.append(("Invitations", reverse("accounts:invitation_list")))
    links.append(("My account", reverse("account_email")))
    return {"nav_links": links}
