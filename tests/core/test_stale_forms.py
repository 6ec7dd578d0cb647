"""Every edit page of a record two people may edit at once (issue #14, item
5; core.stale): a form opened before someone else saved the record is
refused in plain words that say what the record holds now, and nothing of it
is saved; a form opened afresh saves. The service (or, for a page without
one, core.service_errors.save_form) checks again with the row locked, so a
change that lands between the page's check and the save is caught too.

Edit pages left out, each for its reason:
- mentorship:mentor_profile_edit, notifications:email_preferences,
  accounts:my_account: a person's own record, which only they edit.
- checkins:edit: only the check-in's author corrects it (can_correct_checkin).
- recovery_plans:review_date, accounts:person_change_role / person_move,
  certification:status, mentorship:mentee_status: one-value actions whose
  answer says what was set (and, for statuses, refuse a move the record's
  state no longer allows), not forms drawn from the record.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from core.forms import StaleCheck
from tests.page_forms import error_summary, page_form

pytestmark = pytest.mark.django_db

STALE = "Someone else changed this record since you opened it"


@dataclass(frozen=True)
class Page:
    """An edit page: who edits, the record (made from the fixtures), its
    URL, a field the person changes and a field someone else changes."""

    name: str
    editor: str  # a fixture
    record: Callable[[dict], Any]
    url: Callable[[Any], str]
    ours: tuple[str, str]  # field, the person's new value (as the form sends it)
    theirs: tuple[str, Any, str]  # field, someone else's value, how the page shows it

    def __str__(self):
        return self.name


def _goal(f):
    from tests.recovery_plans.factories import make_plan

    return make_plan(f["mentee_profile"], f["mentor"], goals=1, steps=0).goals.first()


def _safety(f):
    from recovery_plans import services
    from tests.recovery_plans.factories import make_plan

    plan = make_plan(f["mentee_profile"], f["mentor"], goals=0, steps=0, active=False)
    return services.safety_plan_save(plan=plan, by=f["mentor"], warning_signs="Not sleeping")


def _supervision(f):
    from supervision.models import SupervisionSettings

    return SupervisionSettings.objects.create(program=f["program"])


def _retention(f):
    from operations.models import RetentionSetting

    return RetentionSetting.objects.create(program=f["program"], years=7)


def _certification(f):
    from certification.models import Certification
    from tests.certification.factories import certify

    return Certification.objects.filter(holder=f["mentor"]).first() or certify(f["mentor"])


def _type(f):
    from tests.certification.factories import medi_cal

    return medi_cal()


def _resource(f):
    from tests.referrals.factories import make_resource

    return make_resource(f["program"])


PAGES = [
    Page(
        "mentee",
        "coordinator",
        lambda f: f["mentee_profile"],
        lambda r: reverse("mentorship:mentee_edit", args=[r.pk]),
        ("phone", "(916) 555-0199"),
        ("county", "Yolo", "Yolo"),
    ),
    Page(
        "goal",
        "mentor",
        _goal,
        lambda r: reverse("recovery_plans:goal_edit", args=[r.pk]),
        ("description", "Walk every morning"),
        ("target_on", date(2027, 1, 15), "Jan. 15, 2027"),
    ),
    Page(
        "safety plan",
        "mentor",
        _safety,
        lambda r: reverse("recovery_plans:safety_edit", args=[r.plan_id]),
        ("coping_steps", "Go for a run"),
        ("warning_signs", "Skipping meals", "Skipping meals"),
    ),
    Page(
        "program settings",
        "admin_user",
        lambda f: f["program"],
        lambda r: reverse("accounts:program_edit", args=[r.pk]),
        ("name", "Sacramento Peers"),
        ("overdue_grace_days", 9, "9"),
    ),
    Page(
        "supervision settings",
        "coordinator",
        _supervision,
        lambda r: reverse("supervision:settings"),
        ("monthly_minimum_minutes", "90"),
        ("debrief_due_days", 5, "5"),
    ),
    Page(
        "retention",
        "admin_user",
        _retention,
        lambda r: reverse("operations:retention_setting", args=[r.program_id]),
        ("years", "8"),
        ("years", 10, "10"),
    ),
    Page(
        "mentor capacity",
        "coordinator",
        lambda f: f["mentor"].mentor_profile,
        lambda r: reverse("mentorship:mentor_capacity_edit", args=[r.pk]),
        ("caseload_capacity", "12"),
        ("accepting_new_mentees", False, "no"),
    ),
    Page(
        "certification",
        "coordinator",
        _certification,
        lambda r: reverse("certification:edit", args=[r.pk]),
        ("number", "PSS-99999"),
        ("number", "PSS-77777", "PSS-77777"),
    ),
    Page(
        "certification type",
        "admin_user",
        _type,
        lambda r: reverse("certification:type_edit", args=[r.pk]),
        ("issuing_body", "CalMHSA (new)"),
        ("ce_hours_required", 30, "30"),
    ),
    Page(
        "resource",
        "coordinator",
        _resource,
        lambda r: reverse("referrals:resource_edit", args=[r.pk]),
        ("hours", "Mon–Fri 9–5"),
        ("phone", "916-555-0177", "916-555-0177"),
    ),
]


@pytest.fixture
def fixtures(request, program, coordinator, mentor, mentee_profile, admin_user):
    return {
        "program": program,
        "coordinator": coordinator,
        "mentor": mentor,
        "mentee_profile": mentee_profile,
        "admin_user": admin_user,
    }


def _someone_else_saves(page: Page, record) -> None:
    field, value, _ = page.theirs
    type(record)._default_manager.filter(pk=record.pk).update(**{field: value})


def _stored(page: Page, record, field: str):
    record = type(record)._default_manager.get(pk=record.pk)
    return record._meta.get_field(field).value_from_object(record)


def _refused(page: Page, record, response, before) -> None:
    assert response.status_code == 200
    messages = " ".join(item.text for item in error_summary(response.content.decode()))
    field, value, shown = page.theirs
    assert STALE in messages and "Nothing was saved" in messages
    assert shown in messages  # what the record holds now
    ours, new = page.ours
    if ours != field:
        assert _stored(page, record, ours) == before  # nothing of theirs saved
    assert _stored(page, record, field) == value  # someone else's change stands


def _saves_afresh(page: Page, record, client, url) -> None:
    form = page_form(client.get(url).content.decode(), page.ours[0])
    form[page.ours[0]] = page.ours[1]
    response = client.post(url, form)
    assert response.status_code == 302, error_summary(response.content.decode())
    assert str(_stored(page, record, page.ours[0])) == page.ours[1]


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_a_form_opened_before_someone_else_saved_is_refused_and_saves_nothing(
    page, fixtures, client_for
):
    record = page.record(fixtures)
    client = client_for(fixtures[page.editor])
    url = page.url(record)
    form = page_form(client.get(url).content.decode(), page.ours[0])
    before = _stored(page, record, page.ours[0])

    _someone_else_saves(page, record)
    form[page.ours[0]] = page.ours[1]
    _refused(page, record, client.post(url, form), before)

    _saves_afresh(page, record, client, url)


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_a_change_between_the_pages_check_and_the_save_is_refused_by_the_service(
    page, fixtures, client_for, monkeypatch
):
    """Someone else's save lands after the form was checked, before the
    service locks the row: the service refuses it in the same words; the
    form then carries the version now stored, and saving it again goes
    through."""
    record = page.record(fixtures)
    client = client_for(fixtures[page.editor])
    url = page.url(record)
    form = page_form(client.get(url).content.decode(), page.ours[0])
    before = _stored(page, record, page.ours[0])

    checked = StaleCheck.clean

    def clean_then_someone_else_saves(self):
        cleaned = checked(self)
        _someone_else_saves(page, record)
        return cleaned

    monkeypatch.setattr(StaleCheck, "clean", clean_then_someone_else_saves)
    form[page.ours[0]] = page.ours[1]
    response = client.post(url, form)
    _refused(page, record, response, before)
    monkeypatch.setattr(StaleCheck, "clean", checked)

    again = page_form(response.content.decode(), page.ours[0])
    again[page.ours[0]] = page.ours[1]
    assert client.post(url, again).status_code == 302
    assert str(_stored(page, record, page.ours[0])) == page.ours[1]
