"""One designed account page (profile, email, password, two-factor, API
access), the site's frame on 403, 404 and 500, and the admins' menu."""

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_the_account_page_gathers_every_setting_with_its_action(coordinator, client_for):
    # The coordinator fixture has the second factor already (staff must).
    page = client_for(coordinator).get(reverse("accounts:my_account")).content.decode()
    for heading in [
        "Profile",
        "Sign-in email",
        "Password",
        "Two-factor authentication",
        "API access",
    ]:
        assert f">{heading}</h2>" in page
    for name in ["account_email", "account_change_password", "mfa_index", "accounts:api_tokens"]:
        assert reverse(name) in page
    assert coordinator.email in page and "On</span>" in page


def test_a_mentee_sees_no_api_section_and_the_menu_leads_here(mentee_client):
    response = mentee_client.get(reverse("accounts:my_account"))
    page = response.content.decode()
    assert "API access" not in page and "Off</span>" in page
    assert f'href="{reverse("accounts:my_account")}"' in page  # "My account" in the menu


@pytest.mark.parametrize(
    ("link", "admin_sees", "coordinator_sees"),
    [("certification:types", True, False), ("certification:ce_queue", True, True)],
)
def test_admins_reach_certification_types_and_the_ce_queue_from_the_menu(
    admin_client, coordinator_client, link, admin_sees, coordinator_sees
):
    href = f'href="{reverse(link)}"'
    assert (href in admin_client.get(reverse("dashboard")).content.decode()) is admin_sees
    assert (href in coordinator_client.get(reverse("dashboard")).content.decode()) is (
        coordinator_sees
    )


@override_settings(DEBUG=False)
def test_a_404_has_the_site_frame_and_a_way_back(coordinator_client):
    response = coordinator_client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page and 'class="site-header"' in page
    assert "Back to your dashboard" in page and "Sign out" in page


def test_a_403_says_why_in_the_site_frame(mentor_client):
    response = mentor_client.get(reverse("accounts:program_list"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "You cannot do this" in page and 'class="site-header"' in page
    assert "Back to your dashboard" in page


def test_a_500_has_the_site_frame_without_needing_the_database():
    response = defaults.server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in page and "/static/css/peerpath.css" in page
    assert "Back to your dashboard" in page


def test_the_menu_folds_behind_a_button_only_with_the_script(coordinator_client):
    """Without JavaScript the button stays hidden and the menu wraps; the site
    script shows it and folds the menu on a phone (static/js/peerpath.js)."""
    from django.contrib.staticfiles import finders

    page = coordinator_client.get(reverse("dashboard")).content.decode()
    assert 'class="nav-toggle" aria-expanded="false" aria-controls="main-nav" hidden' in page
    assert 'id="main-nav"' in page
    script = open(finders.find("js/peerpath.js"), encoding="utf-8").read()
    assert "nav--open" in script and "aria-expanded" in script
