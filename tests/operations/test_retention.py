"""Retention of closed cases (issue 18, item 7): the program's years, the
monthly list of cases past them, the boundary day in the program's calendar,
the admin's typed confirmation, and what a purge deletes and keeps."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.chain import verify
from audit.models import AccessEvent, ChangeEvent
from core.dates import program_today
from mentorship.models import MenteeProfile
from operations import retention
from operations.models import RetentionCandidate, RetentionSetting
from tests.mentorship.factories import MenteeProfileFactory

pytestmark = pytest.mark.django_db


def closed(program, closed_on: date, *, status="discharged") -> MenteeProfile:
    return MenteeProfileFactory(
        program=program,
        status=status,
        discharge_reason="completed" if status == "discharged" else "",
        status_changed_on=closed_on,
    )


def listed_ids() -> set[int]:
    return set(RetentionCandidate.objects.values_list("mentee_id", flat=True))


# --- the rule's dates


def test_due_on_the_same_day_years_later_and_february_29_on_march_1():
    assert retention.due_since(date(2019, 5, 10), 7) == date(2026, 5, 10)
    assert retention.due_since(date(2020, 2, 29), 7) == date(2027, 3, 1)
    assert retention.is_due(date(2019, 5, 10), 7, date(2026, 5, 10))
    assert not retention.is_due(date(2019, 5, 10), 7, date(2026, 5, 9))
    assert not retention.is_due(date(2020, 2, 29), 7, date(2027, 2, 28))
    assert retention.is_due(date(2020, 2, 29), 7, date(2027, 3, 1))


def test_the_boundary_day_in_the_programs_calendar(program, coordinator):
    """Closed exactly 7 years ago today (the program's today): listed, kept
    seven full years. Closed a day later: not yet. A day earlier: listed."""
    today = program_today(program)
    exactly = retention.years_back(today, 7)
    on_the_day = closed(program, exactly)
    day_after = closed(program, exactly + timedelta(days=1), status="graduated")
    day_before = closed(program, exactly - timedelta(days=1), status="graduated")
    still_open = MenteeProfileFactory(program=program, status="active", status_changed_on=exactly)
    assert retention.list_candidates() == 2
    assert listed_ids() == {on_the_day.pk, day_before.pk}
    assert day_after.pk not in listed_ids() and still_open.pk not in listed_ids()
    row = RetentionCandidate.objects.get(mentee=on_the_day)
    assert (row.closed_on, row.due_since) == (exactly, today)


def test_the_programs_own_years(program, other_program, coordinator):
    RetentionSetting.objects.create(program=program, years=3)
    three_years = closed(program, retention.years_back(program_today(program), 3))
    elsewhere = closed(other_program, retention.years_back(program_today(other_program), 3))
    retention.list_candidates()
    assert listed_ids() == {three_years.pk}  # the other program keeps 7 (the default)
    assert elsewhere.pk not in listed_ids()


def test_the_listing_is_set_based_in_constant_queries(program, other_program, coordinator):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            retention.list_candidates()
        return len(queries)

    old = retention.years_back(program_today(program), 8)
    closed(program, old)
    small = count()
    for n in range(12):
        closed(program if n % 2 else other_program, old - timedelta(days=n))
    assert count() == small
    assert RetentionCandidate.objects.count() == 13


def test_the_job_is_scheduled_monthly_and_returns_ids_only():
    from django.conf import settings

    from operations.jobs import scheduled_jobs
    from operations.tasks import list_retention_candidates

    entry = settings.CELERY_BEAT_SCHEDULE["list-retention-candidates"]
    assert entry["task"] == "operations.tasks.list_retention_candidates"
    job = next(j for j in scheduled_jobs() if j.name == "list-retention-candidates")
    assert timedelta(days=28) <= job.period <= timedelta(days=31)
    assert list_retention_candidates.run() == 0


# --- the purge


def test_a_purge_needs_the_typed_record_number(admin_user, program):
    case = closed(program, date(2010, 1, 4))
    for typed in ("", "yes", str(case.pk + 1)):
        with pytest.raises(ValidationError) as refused:
            retention.retention_purge(mentee_id=case.pk, by=admin_user, confirmation=typed)
        assert refused.value.message_dict["confirmation"] == [
            f"Type the record number {case.pk} to confirm the purge."
        ]
    assert MenteeProfile.objects.filter(pk=case.pk).exists()


def test_a_case_not_past_retention_is_not_purged(admin_user, program):
    today = program_today(program)
    recent = closed(program, retention.years_back(today, 7) + timedelta(days=1))
    reopened = MenteeProfileFactory(
        program=program, status="active", status_changed_on=date(2010, 1, 4)
    )
    for case in (recent, reopened):
        with pytest.raises(ValidationError) as refused:
            retention.retention_purge(mentee_id=case.pk, by=admin_user, confirmation=str(case.pk))
        assert refused.value.messages == [
            f"Record {case.pk} is not past its program's retention: nothing was purged."
        ]
        assert MenteeProfile.objects.filter(pk=case.pk).exists()


def test_a_second_confirmation_answers_like_the_first(admin_user, program):
    case = closed(program, date(2010, 1, 4))
    assert retention.retention_purge(mentee_id=case.pk, by=admin_user, confirmation=str(case.pk))
    assert not retention.retention_purge(
        mentee_id=case.pk, by=admin_user, confirmation=str(case.pk)
    )


def test_a_purge_deletes_the_case_and_keeps_the_audit_trail_and_ce_records():
    from certification.models import Certification, ContinuingEducation
    from checkins.models import CheckIn, GroupSession
    from recovery_plans.models import RecoveryPlan
    from referrals.models import Consent, Disclosure, Referral
    from supervision.models import SupervisionSession
    from tests.write_proof_data import build_case

    case = build_case()
    admin = case.users["admin"]
    mentee_id = case.args["mentee"][0]
    profile = MenteeProfile.objects.get(pk=mentee_id)
    MenteeProfile.objects.filter(pk=mentee_id).update(
        status="graduated", status_changed_on=date(2015, 6, 1)
    )
    retention.list_candidates()
    assert mentee_id in listed_ids()
    ce_before = ContinuingEducation.objects.count()
    certs_before = Certification.objects.count()
    sessions_before = SupervisionSession.objects.count()
    changes_before = ChangeEvent.objects.count()

    response = case.clients["admin"].post(
        reverse("operations:retention_purge", args=[mentee_id]), {"confirmation": str(mentee_id)}
    )
    assert response.status_code == 302

    assert not MenteeProfile.objects.filter(pk=mentee_id).exists()
    for model in (CheckIn, RecoveryPlan, Referral):
        assert not model.objects.filter(mentee_id=mentee_id).exists()
    assert not Consent.objects.filter(mentee_id=mentee_id).exists()
    assert not Disclosure.objects.filter(mentee_id=mentee_id).exists()
    assert mentee_id not in listed_ids()
    # The mentor's records stay: CE, certifications, the supervision session.
    assert ContinuingEducation.objects.count() == ce_before
    assert Certification.objects.count() == certs_before
    assert SupervisionSession.objects.count() == sessions_before
    # Their sign-in keeps no name, address or password, and never opens again.
    login = case.users["mentee"]
    login.refresh_from_db()
    assert not login.is_active and not login.has_usable_password()
    assert login.full_name == f"Purged record {mentee_id}"
    assert login.email == f"purged-{login.pk}@purged.invalid"
    # The peer support group the mentee attended stays, without them.
    group = GroupSession.objects.get(pk=case.args["group"][0])
    assert not group.attendance.filter(mentee_id=mentee_id).exists()
    # The audit trail keeps every row, records the purge, and still verifies.
    purge = AccessEvent.objects.filter(action="delete", object_type="mentee").get()
    assert purge.mentee_ids == [mentee_id] and purge.user_id == admin.pk
    assert ChangeEvent.objects.count() > changes_before  # the deletions' before-values
    assert verify()[1] is None
    assert profile.preferred_name not in purge.reason


# --- the pages


def test_the_page_lists_candidates_by_record_number_only(admin_client, program):
    case = closed(program, date(2010, 1, 4))
    retention.list_candidates()
    page = admin_client.get(reverse("operations:retention")).content.decode()
    assert f"Record {case.pk}" in page
    assert reverse("mentorship:mentee_detail", args=[case.pk]) in page
    assert case.preferred_name not in page and case.legal_name not in page


def test_the_purge_button_without_the_number_purges_nothing(admin_client, program):
    case = closed(program, date(2010, 1, 4))
    response = admin_client.post(
        reverse("operations:retention_purge", args=[case.pk]), {"confirmation": ""}, follow=True
    )
    assert f"Type the record number {case.pk} to confirm the purge." in response.content.decode()
    assert MenteeProfile.objects.filter(pk=case.pk).exists()


def test_an_admin_sets_a_programs_years(admin_client, program):
    url = reverse("operations:retention_setting", args=[program.pk])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"years": "10"}).status_code == 302
    assert RetentionSetting.objects.get(program=program).years == 10
    refused = admin_client.post(url, {"years": "31"})
    assert refused.status_code == 200
    assert "Keep closed cases between 1 and 30 years." in refused.content.decode()
    assert RetentionSetting.objects.get(program=program).years == 10


@pytest.mark.parametrize("size", [2, 12])
def test_the_page_has_a_query_budget(admin_client, program, other_program, size):
    for n in range(size):
        closed(program if n % 2 else other_program, date(2010, 1, 4) + timedelta(days=n))
    retention.list_candidates()
    admin_client.get(reverse("operations:retention"))  # session and caches warm
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get(reverse("operations:retention")).status_code == 200
    assert len(queries) <= 8, [q["sql"] for q in queries]
