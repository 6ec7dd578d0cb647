"""Errors are summarised at the top of the form with links to the fields (the
GOV.UK error-summary pattern) as well as beside each field."""

import re

import pytest
from django.urls import reverse

from tests.checkins.test_pages import form_data
from tests.mentorship.test_intake_and_logins import INTAKE

pytestmark = pytest.mark.django_db


def summary_of(page: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert match, "no error summary"
    return match.group(0)


def test_an_intake_with_errors_lists_each_one_at_the_top_linked_to_its_field(coordinator_client):
    response = coordinator_client.post(
        reverse("mentorship:mentee_create"), {**INTAKE, "preferred_name": "", "email": "nope"}
    )
    page = response.content.decode()
    summary = summary_of(page)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert 'href="#id_preferred_name"' in summary and 'href="#id_email"' in summary
    # ...and beside each field too.
    assert 'id="id_preferred_name_error"' in page and 'id="id_email_error"' in page


def test_a_rule_of_the_database_reaches_the_summary_in_words(mentor_client, mentee_profile):
    response = mentor_client.post(
        reverse("checkins:log", args=[mentee_profile.pk]), form_data(duration_minutes="99999")
    )
    summary = summary_of(response.content.decode())
    assert "600" in summary and "checkin_duration" not in summary


def test_a_form_without_errors_has_no_summary(coordinator_client):
    page = coordinator_client.get(reverse("mentorship:mentee_create")).content.decode()
    assert "error-summary" not in page


def test_the_summary_is_focused_by_the_site_script_on_every_page(coordinator_client):
    """No inline script (the CSP): the site's own file, loaded by the frame."""
    from django.contrib.staticfiles import finders

    page = coordinator_client.get(reverse("dashboard")).content.decode()
    assert 'src="/static/js/peerpath.js"' in page
    script = open(finders.find("js/peerpath.js"), encoding="utf-8").read()
    assert "[data-error-summary]" in script and ".focus()" in script


def test_a_radio_group_is_linked_by_its_first_option(mentor_client, mentee_profile):
    """A group of radios has no element of the field's own id: the summary
    links to its first option, which is on the page."""
    response = mentor_client.post(
        reverse("checkins:log", args=[mentee_profile.pk]), form_data(mood="9")
    )
    page = response.content.decode()
    assert '<a href="#id_mood_0">Mood is from 1 to 5.</a>' in summary_of(page)
    assert 'id="id_mood_0"' in page


def test_the_rows_of_a_formset_are_in_the_summary(admin_client):
    """The requirements of a certification type are rows under its form:
    hours out of range in a row, or two rows of one category, are listed at
    the top too."""
    from certification.models import CertificationType

    ctype = CertificationType.objects.filter(category_requirements__isnull=False).first()
    rows = list(ctype.category_requirements.all())
    url = reverse("certification:type_edit", args=[ctype.pk])

    def post(*, hours: str, another: str = "") -> str:
        data = {
            "name": ctype.name,
            "issuing_body": ctype.issuing_body,
            "initial_training_hours": ctype.initial_training_hours,
            "cycle_months": ctype.cycle_months,
            "ce_hours_required": ctype.ce_hours_required,
            "renewal_window_days": ctype.renewal_window_days,
            "lapse_rule": ctype.lapse_rule,
            "ce_records_kept_years": ctype.ce_records_kept_years,
            "category_requirements-TOTAL_FORMS": len(rows) + 1,
            "category_requirements-INITIAL_FORMS": len(rows),
            **{
                f"category_requirements-{n}-{name}": value
                for n, row in enumerate(rows)
                for name, value in (("id", row.pk), ("category", row.category), ("hours", hours))
            },
            f"category_requirements-{len(rows)}-category": another,
            f"category_requirements-{len(rows)}-hours": "1" if another else "",
        }
        return summary_of(admin_client.post(url, data).content.decode())

    assert (
        '<a href="#id_category_requirements-0-hours">Required hours are at least 0.5.</a>'
        in post(hours="0.4")
    )
    assert "This category already has a requirement." in post(hours="2", another=rows[0].category)
