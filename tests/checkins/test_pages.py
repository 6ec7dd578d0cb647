"""Check-in pages: logging, drafts, timeline and charts, the dashboards, and
their query budgets."""

import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from checkins.models import CheckIn
from core.models import FormDraft
from tests.accounts.factories import program_day
from tests.audit import AUDIT_EVENT_QUERIES
from tests.checkins.factories import make_checkin
from tests.mentorship.factories import MenteeProfileFactory, assign

pytestmark = pytest.mark.django_db
PACIFIC = ZoneInfo("America/Los_Angeles")


def form_data(**overrides):
    data = {
        # The form reads times in the program's time zone.
        "kind": "contact",
        "occurred_at": (timezone.localtime(timezone=PACIFIC) - timedelta(minutes=5)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "delivery_method": "in_person",
        "duration_minutes": "45",
        "support_types": ["emotional", "informational"],
        "substance_use_days": "0",
        "craving_level": "2",
        "mood": "4",
        "notes": "PHI-MARKER a long note",
        "idempotency_key": str(uuid.uuid4()),
    }
    return data | overrides


def test_mentor_logs_a_checkin_and_lands_on_the_timeline(mentor_client, mentee_profile):
    response = mentor_client.post(reverse("checkins:log", args=[mentee_profile.pk]), form_data())
    assert response.url == reverse("checkins:timeline", args=[mentee_profile.pk])
    checkin = CheckIn.objects.get()
    assert checkin.support_types == ["emotional", "informational"] and checkin.mood == 4


def test_double_posting_the_form_makes_one_checkin(mentor_client, mentee_profile):
    data = form_data()
    url = reverse("checkins:log", args=[mentee_profile.pk])
    mentor_client.post(url, data)
    mentor_client.post(url, data)
    assert CheckIn.objects.count() == 1


def test_the_form_says_when_consent_is_missing_and_links_to_record_it(
    mentor_client, mentee_profile
):
    url = reverse("checkins:log", args=[mentee_profile.pk])
    page = mentor_client.get(url).content.decode()
    assert reverse("mentorship:mentee_consent", args=[mentee_profile.pk]) in page
    response = mentor_client.post(url, form_data(delivery_method="telehealth"))
    assert "no recorded consent" in response.context["form"].errors["delivery_method"][0]


def test_the_form_starts_from_the_last_checkin(mentor_client, mentee_profile, mentor):
    make_checkin(
        mentee_profile,
        mentor,
        days_ago=3,
        delivery_method="in_person",
        duration_minutes=55,
        support_types=["instrumental"],
    )
    form = mentor_client.get(reverse("checkins:log", args=[mentee_profile.pk])).context["form"]
    assert form.initial["duration_minutes"] == 55 and form.initial["support_types"] == [
        "instrumental"
    ]


def test_a_draft_is_saved_offered_back_and_discarded(mentor_client, mentee_profile):
    url = reverse("checkins:draft", args=[mentee_profile.pk])
    response = mentor_client.post(
        url, {"notes": "PHI-MARKER half a note", "mood": "2", "support_types": ["emotional"]}
    )
    assert b"Draft saved" in response.content
    page = mentor_client.get(reverse("checkins:log", args=[mentee_profile.pk]))
    assert "We restored your unsaved draft" in page.content.decode()
    assert page.context["form"].initial["notes"] == "PHI-MARKER half a note"
    mentor_client.post(reverse("checkins:draft_discard", args=[mentee_profile.pk]))
    assert not FormDraft.objects.exists()


def test_a_draft_survives_an_idle_signout(client_for, mentor, mentee_profile):
    import time_machine

    client = client_for(mentor)
    client.post(
        reverse("checkins:draft", args=[mentee_profile.pk]), {"notes": "PHI-MARKER long story"}
    )
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        assert client.get(reverse("dashboard")).status_code == 302  # signed out
    client = client_for(mentor)
    page = client.get(reverse("checkins:log", args=[mentee_profile.pk]))
    assert page.context["form"].initial["notes"] == "PHI-MARKER long story"


def test_timeline_shows_checkins_attempts_self_checkins_and_assessments_with_charts(
    mentor_client, mentee_profile, mentor, mentee
):
    from checkins.models import RecoveryCapitalAssessment

    for days_ago, mood in [(20, 2), (13, 3), (6, 4)]:
        make_checkin(mentee_profile, mentor, days_ago=days_ago, mood=mood)
    make_checkin(
        mentee_profile,
        mentor,
        days_ago=2,
        kind="attempt",
        mood=None,
        craving_level=None,
        substance_use_days=None,
        duration_minutes=None,
    )
    make_checkin(mentee_profile, mentee, days_ago=1, kind="self", delivery_method="")
    RecoveryCapitalAssessment.objects.create(
        mentee=mentee_profile,
        entered_by=mentor,
        assessed_on=program_day() - timedelta(days=15),
        **{f"item_{n}": 5 for n in range(1, 11)},
    )
    page = mentor_client.get(
        reverse("checkins:timeline", args=[mentee_profile.pk])
    ).content.decode()
    for text in [
        "Attempted contact",
        "Self check-in",
        "BARC-10: 50 of 60",
        "Mood",
        "Craving level",
        "Days of substance use",
        "Recovery capital (BARC-10)",
        "47: linked to sustained remission",
        "as a table",
    ]:
        assert text in page, text
    assert page.count("<svg") >= 4


def test_mentor_dashboard_shows_last_contact_next_due_overdue_and_crisis(
    mentor_client, mentee_profile, mentor
):
    make_checkin(mentee_profile, mentor, days_ago=16, crisis_flag=True, crisis_notes="PHI-MARKER")
    mentee_profile.assignments.get().schedule.__class__.objects.update(
        next_due_on=program_day() - timedelta(days=2)
    )
    page = mentor_client.get(reverse("dashboard")).content.decode()
    assert "16 days ago" in page and "14+ days" in page
    assert "overdue" in page and "crisis" in page


def test_coordinator_sees_and_handles_a_crisis_from_the_dashboard(
    coordinator_client, mentee_profile, mentor
):
    checkin = make_checkin(mentee_profile, mentor, crisis_flag=True, crisis_notes="PHI-MARKER")
    watch = {
        p.name: p.data for p in coordinator_client.get(reverse("dashboard")).context["panels"]
    }["checkin_watch"]
    assert [row.pk for row in watch["crises"]] == [checkin.pk]
    coordinator_client.post(
        reverse("checkins:crisis_handled", args=[checkin.pk]),
        {"note": "Met in person", "next": "dashboard"},
    )
    checkin.refresh_from_db()
    assert checkin.crisis_handled_by is not None and not checkin.is_open_crisis


def test_coordinator_sees_overdue_checkins_and_contact_gaps(
    coordinator_client, mentee_profile, mentor
):
    from checkins.models import CheckInSchedule

    CheckInSchedule.objects.update(next_due_on=program_day() - timedelta(days=5))
    mentee_profile.assignments.update(started_on=program_day() - timedelta(days=20))
    watch = {
        p.name: p.data for p in coordinator_client.get(reverse("dashboard")).context["panels"]
    }["checkin_watch"]
    assert watch["overdue_count"] == 1 and watch["gap_count"] == 1
    assert watch["gaps"][0].days == 20


def test_mentee_sends_a_self_checkin_and_sees_their_next_checkin(mentee_client, mentee_profile):
    page = mentee_client.get(reverse("checkins:self"))
    assert "Your next check-in with your mentor" in page.content.decode()
    mentee_client.post(
        reverse("checkins:self"),
        {
            "mood": "4",
            "craving_level": "1",
            "substance_use_days": "0",
            "message_to_mentor": "PHI-MARKER ok",
            "idempotency_key": str(uuid.uuid4()),
        },
    )
    assert CheckIn.objects.get().kind == "self"


def test_mentee_does_not_read_the_mentors_notes(mentee_client, mentee_profile, mentor):
    checkin = make_checkin(mentee_profile, mentor, notes="PHI-MARKER staff note")
    page = mentee_client.get(reverse("checkins:detail", args=[checkin.pk])).content.decode()
    assert "staff note" not in page


def test_author_corrects_from_the_page_within_the_window(mentor_client, mentee_profile, mentor):
    checkin = make_checkin(mentee_profile, mentor, days_ago=1)
    data = form_data(mood="5")
    data.pop("kind")
    data.pop("idempotency_key")
    data["occurred_at"] = timezone.localtime(checkin.occurred_at, PACIFIC).strftime(
        "%Y-%m-%dT%H:%M"
    )
    response = mentor_client.post(reverse("checkins:edit", args=[checkin.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    checkin.refresh_from_db()
    assert checkin.mood == 5


def test_barc10_is_recorded_from_its_page(mentor_client, mentee_profile):
    from checkins.models import RecoveryCapitalAssessment

    data = {
        "assessed_on": program_day().isoformat(),
        **{f"item_{n}": "5" for n in range(1, 11)},
    }
    data["item_1"] = "2"
    mentor_client.post(reverse("checkins:assessment_new", args=[mentee_profile.pk]), data)
    assert RecoveryCapitalAssessment.objects.get().total == 47


# --- Query budgets ----------------------------------------------------------


def caseload_of(mentor, program, size):
    profile = mentor.mentor_profile
    profile.caseload_capacity = 50
    profile.save()
    for i in range(size):
        mentee = MenteeProfileFactory(program=program, status="active")
        assign(mentee, mentor)
        make_checkin(
            mentee,
            mentor,
            days_ago=i % 20,
            crisis_flag=i % 7 == 0,
            crisis_notes="PHI-MARKER" if i % 7 == 0 else "",
        )


@pytest.mark.parametrize("size", [5, 50])
def test_caseload_dashboard_query_count_is_constant(
    size, mentor_client, mentor, program, django_assert_num_queries
):
    caseload_of(mentor, program, size)
    # 1 session, 2 user with their program (accounts.backends), 3 every panel's
    # rows in one statement (core.together): the caseload with last contact,
    # next due and crisis; my certification: the certifications, their CE
    # requirements, the CE entries; my supervision: this month's minutes, open
    # action items, open follow-up requests. The caseload names mentees: the audit event.
    with django_assert_num_queries(3 + AUDIT_EVENT_QUERIES):
        assert mentor_client.get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize("size", [10, 100])
def test_timeline_query_count_is_constant(
    size, mentor_client, mentor, mentee_profile, django_assert_num_queries
):
    for i in range(size):
        make_checkin(mentee_profile, mentor, days_ago=size - i)
    # 1 session, 2 user, 3 mentee, 4 check-ins with authors, 5 assessments,
    # 6 referrals (referrals' timeline events), 7 mentor's access to log
    # (active assignment), 8 schedule, then the audit event
    with django_assert_num_queries(8 + AUDIT_EVENT_QUERIES):
        assert (
            mentor_client.get(reverse("checkins:timeline", args=[mentee_profile.pk])).status_code
            == 200
        )


@pytest.mark.parametrize("size", [5, 50])
def test_coordinator_watch_query_count_is_constant(
    size, coordinator_client, mentor, program, django_assert_num_queries
):
    caseload_of(mentor, program, size)
    # see tests/mentorship/test_views.py for the list of the 3 (the open follow-up requests among the panels), and the audit event
    with django_assert_num_queries(3 + AUDIT_EVENT_QUERIES):
        assert coordinator_client.get(reverse("dashboard")).status_code == 200


def test_mentee_dashboard_says_when_a_checkin_is_overdue(mentee_client, mentee_profile):
    from checkins.models import CheckInSchedule

    CheckInSchedule.objects.update(next_due_on=program_day() - timedelta(days=3))
    page = mentee_client.get(reverse("dashboard")).content.decode()
    assert "was due on" in page


@pytest.mark.parametrize("size", [5, 50])
def test_logging_a_checkin_query_count_is_constant(
    size, mentor, mentor_client, mentee_profile, django_assert_num_queries
):
    """The busiest write: the rules are checked once, in Python, and the
    database's constraints are not asked one by one (12 queries past the
    session and the user, the audit event included; 57 when the form and the
    service each asked the database about every constraint)."""
    for i in range(size):
        make_checkin(mentee_profile, mentor, days_ago=i + 1)
    from checkins.services import draft_save

    draft_save(author=mentor, mentee=mentee_profile, data={"notes": "PHI-MARKER half"})
    url = reverse("checkins:log", args=[mentee_profile.pk])
    # 1 session, 2 user, 3 the request id for the change trail, 4 the mentee
    # with whether the mentor may log (active assignment), 5 whether the plan
    # has goals to offer; the service: 6 savepoint, 7 the mentee locked with
    # the active assignment, its schedule, whether a draft is open and whether
    # the mentor's certification is in good standing (billing), 8 the same
    # check-in already made (its key, or the same values again), 9 the
    # previous check-in (days of use), 10 the insert, 11 the mentee's last
    # contact, the schedule's next due date and the draft deleted (one
    # statement), 12 release; then the audit event, which also clears the
    # request id.
    with django_assert_num_queries(12 + AUDIT_EVENT_QUERIES):
        assert mentor_client.post(url, form_data()).status_code == 302
    assert CheckIn.objects.count() == size + 1
