"""The rules of a check-in."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from checkins import services
from checkins.models import CheckIn
from core.models import FormDraft
from mentorship.services import mentee_record_remote_consent
from notifications.models import Notification
from tests.accounts.factories import program_day
from tests.checkins.factories import make_checkin

pytestmark = pytest.mark.django_db

NOTE = "PHI-MARKER: talked about the weekend"


def a_moment_ago_today(mentee) -> datetime:
    """An hour ago, but never on yesterday's date in the mentee's program: the
    day-counting rules below must read the same at any hour."""
    now = timezone.now()
    midnight = datetime.combine(
        program_day(), datetime.min.time(), tzinfo=ZoneInfo(mentee.program.time_zone)
    )
    return max(now - timedelta(hours=1), min(midnight + timedelta(seconds=30), now))


def log(mentee, author, **fields):
    values = {
        "occurred_at": a_moment_ago_today(mentee),
        "delivery_method": "in_person",
        "duration_minutes": 40,
        "mood": 4,
        "craving_level": 3,
        "substance_use_days": 0,
        "notes": NOTE,
        "support_types": ["emotional"],
    }
    return services.checkin_log(author=author, mentee=mentee, **(values | fields))


def test_the_same_idempotency_key_twice_makes_one_checkin(mentee_profile, mentor):
    key = uuid.uuid4()
    first = log(mentee_profile, mentor, idempotency_key=key)
    second = log(mentee_profile, mentor, idempotency_key=key)
    assert first.pk == second.pk
    assert CheckIn.objects.count() == 1


def test_a_key_of_someone_elses_checkin_is_refused(mentee_profile, mentor, coordinator):
    key = uuid.uuid4()
    log(mentee_profile, mentor, idempotency_key=key)
    with pytest.raises(ValidationError):
        log(mentee_profile, coordinator, idempotency_key=key)


def test_only_the_assigned_mentor_or_a_coordinator_logs(
    mentee_profile, mentor, coordinator, other_mentor, outsider, mentee
):
    log(mentee_profile, mentor)
    log(mentee_profile, coordinator)
    for user in (other_mentor, outsider, mentee):
        with pytest.raises(PermissionDenied):
            log(mentee_profile, user)


def test_the_mentor_at_the_time_is_recorded(mentee_profile, mentor, coordinator):
    assert log(mentee_profile, coordinator).mentor == mentor


def test_a_checkin_cannot_be_in_the_future(mentee_profile, mentor):
    with pytest.raises(ValidationError) as exc:
        log(mentee_profile, mentor, occurred_at=timezone.now() + timedelta(hours=2))
    assert "occurred_at" in exc.value.message_dict


@pytest.mark.parametrize(("method", "consent", "allowed"), [
    ("in_person", "", True),
    ("telephone", "", False),
    ("telehealth", "", False),
    ("telephone", "audio_only", True),
    ("telehealth", "audio_only", False),
    ("telehealth", "video", True),
    ("telephone", "video", True),
])  # fmt: skip
def test_remote_checkins_need_recorded_consent(mentee_profile, mentor, method, consent, allowed):
    if consent:
        mentee_record_remote_consent(mentee=mentee_profile, recorded_by=mentor, consent=consent)
    if allowed:
        assert log(mentee_profile, mentor, delivery_method=method).delivery_method == method
    else:
        with pytest.raises(ValidationError) as exc:
            log(mentee_profile, mentor, delivery_method=method)
        assert "consent" in exc.value.message_dict["delivery_method"][0]


def test_consent_is_recorded_with_date_and_who(mentee_profile, mentor):
    mentee_record_remote_consent(mentee=mentee_profile, recorded_by=mentor, consent="video")
    mentee_profile.refresh_from_db()
    assert mentee_profile.remote_consent_recorded_by == mentor
    assert mentee_profile.remote_consent_on == program_day()


def test_an_attempt_by_phone_needs_no_consent_and_records_only_method_and_time(
    mentee_profile, mentor
):
    attempt = log(mentee_profile, mentor, kind="attempt", delivery_method="telephone")
    assert attempt.kind == "attempt"
    assert (
        attempt.mood,
        attempt.craving_level,
        attempt.substance_use_days,
        attempt.duration_minutes,
    ) == (
        None,
        None,
        None,
        None,
    )


def test_days_of_use_cannot_exceed_the_days_since_the_last_checkin(mentee_profile, mentor):
    # Five program days exactly, at any hour: the earlier one five days before
    # the moment the new one is logged at (the same time of day in the program).
    five_days_before = a_moment_ago_today(mentee_profile) - timedelta(days=5)
    make_checkin(mentee_profile, mentor, occurred_at=five_days_before)
    with pytest.raises(ValidationError):
        log(mentee_profile, mentor, substance_use_days=6)
    assert log(mentee_profile, mentor, substance_use_days=5).substance_use_days == 5
    with pytest.raises(ValidationError) as exc:
        # The previous one was a moment ago, today: no day has passed since.
        log(mentee_profile, mentor, substance_use_days=1, occurred_at=timezone.now())
    assert "substance_use_days" in exc.value.message_dict


def test_without_earlier_checkins_days_count_from_intake(mentee_profile, mentor):
    mentee_profile.intake_date = program_day() - timedelta(days=3)
    mentee_profile.save()
    with pytest.raises(ValidationError):
        log(mentee_profile, mentor, substance_use_days=4)
    assert log(mentee_profile, mentor, substance_use_days=3)


def test_the_author_corrects_within_seven_days_and_not_after(mentee_profile, mentor, coordinator):
    checkin = log(mentee_profile, mentor)
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        services.checkin_correct(checkin=checkin, editor=mentor, mood=5)
    with pytest.raises(PermissionDenied):
        services.checkin_correct(checkin=checkin, editor=coordinator, mood=1)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        with pytest.raises(ValidationError):
            services.checkin_correct(checkin=checkin, editor=mentor, mood=1)
    checkin.refresh_from_db()
    assert checkin.mood == 5


def test_a_contact_moves_the_schedule_to_its_next_date_or_the_cadence(mentee_profile, mentor):
    schedule = mentee_profile.assignments.get().schedule
    log(mentee_profile, mentor, occurred_at=timezone.now())
    schedule.refresh_from_db()
    assert schedule.next_due_on == program_day() + timedelta(days=7)
    next_date = program_day() + timedelta(days=3)
    log(
        mentee_profile,
        mentor,
        next_checkin_on=next_date,
        occurred_at=timezone.now(),
        substance_use_days=0,
    )
    schedule.refresh_from_db()
    assert schedule.next_due_on == next_date


def test_an_attempt_leaves_the_schedule_alone(mentee_profile, mentor):
    schedule = mentee_profile.assignments.get().schedule
    before = schedule.next_due_on
    log(mentee_profile, mentor, kind="attempt")
    schedule.refresh_from_db()
    assert schedule.next_due_on == before


def test_every_new_assignment_gets_a_schedule_at_the_program_cadence(mentee_profile, program):
    schedule = mentee_profile.assignments.get().schedule
    assert schedule.cadence_days == program.default_checkin_cadence_days
    assert schedule.next_due_on == program_day() + timedelta(days=7)


def test_submitting_deletes_the_draft(mentee_profile, mentor):
    services.draft_save(author=mentor, mentee=mentee_profile, data={"notes": NOTE})
    log(mentee_profile, mentor)
    assert not FormDraft.objects.exists()


def test_the_sender_is_queued_when_the_crisis_checkin_commits(
    mentee_profile, mentor, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(
        "notifications.tasks.send_pending_notifications.delay", lambda: queued.append("sender")
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        log(mentee_profile, mentor, crisis_flag=True, crisis_notes="PHI-MARKER safety plan used")
    assert len(callbacks) == 1 and queued == ["sender"]


def test_a_rolled_back_crisis_checkin_queues_nothing(
    mentee_profile, mentor, django_capture_on_commit_callbacks, monkeypatch
):
    from django.db import transaction

    queued = []
    monkeypatch.setattr(
        "notifications.tasks.send_pending_notifications.delay", lambda: queued.append("sender")
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            log(mentee_profile, mentor, crisis_flag=True, crisis_notes="PHI-MARKER")
            raise RuntimeError("the request failed after the save")
    assert callbacks == [] and queued == []
    assert not CheckIn.objects.exists() and not Notification.objects.exists()


def test_a_crisis_needs_notes(mentee_profile, mentor):
    with pytest.raises(ValidationError) as exc:
        log(mentee_profile, mentor, crisis_flag=True, crisis_notes="")
    assert "crisis_notes" in exc.value.message_dict


def test_crisis_alert_tells_every_coordinator_once(mentee_profile, mentor, coordinator, program):
    from tests.accounts.factories import UserFactory

    second = UserFactory(coordinator=True, program=program)
    checkin = log(mentee_profile, mentor, crisis_flag=True, crisis_notes="PHI-MARKER")
    # Written with the check-in; alerting again adds nothing.
    assert services.crisis_alert(checkin_id=checkin.pk) == 0
    recipients = set(
        Notification.objects.filter(kind="crisis_flag").values_list("recipient", flat=True)
    )
    assert recipients == {coordinator.pk, second.pk}


def test_coordinator_marks_a_crisis_handled(mentee_profile, mentor, coordinator):
    checkin = log(mentee_profile, mentor, crisis_flag=True, crisis_notes="PHI-MARKER")
    with pytest.raises(PermissionDenied):
        services.crisis_mark_handled(checkin=checkin, handled_by=mentor, note="called")
    services.crisis_mark_handled(
        checkin=checkin, handled_by=coordinator, note="Called 988 together"
    )
    assert not checkin.is_open_crisis
    with pytest.raises(ValidationError):
        services.crisis_mark_handled(checkin=checkin, handled_by=coordinator, note="again")


def test_self_checkin_is_marked_and_tells_the_mentor_in_app(mentee_profile, mentee, mentor):
    checkin = services.self_checkin_submit(
        user=mentee,
        mood=4,
        craving_level=2,
        substance_use_days=0,
        message_to_mentor="PHI-MARKER hi",
    )
    assert (checkin.kind, checkin.author, checkin.mentor) == ("self", mentee, mentor)
    note = Notification.objects.get(kind="self_checkin")
    assert (note.recipient, note.channel) == (mentor, "in_app")


def test_mentors_cannot_send_self_checkins(mentor):
    with pytest.raises(PermissionDenied):
        services.self_checkin_submit(user=mentor, mood=3, craving_level=0, substance_use_days=0)


def test_closed_cases_take_no_checkins(mentee_profile, mentor, coordinator):
    from mentorship.services import mentee_transition

    mentee_transition(mentee=mentee_profile, to_status="graduated", changed_by=coordinator)
    mentee_profile.refresh_from_db()
    with pytest.raises(ValidationError):
        log(mentee_profile, coordinator)


def test_barc10_refuses_bad_scores_future_dates_and_outsiders(mentee_profile, mentor, other_mentor):
    from checkins.models import RecoveryCapitalAssessment

    good = [4] * 10
    for scores in ([4] * 9, [0] + [4] * 9, [7] + [4] * 9):
        with pytest.raises(ValidationError):
            services.assessment_record(mentee=mentee_profile, entered_by=mentor, scores=scores)
    with pytest.raises(ValidationError):
        services.assessment_record(
            mentee=mentee_profile,
            entered_by=mentor,
            scores=good,
            assessed_on=program_day() + timedelta(days=1),
        )
    with pytest.raises(PermissionDenied):
        services.assessment_record(mentee=mentee_profile, entered_by=other_mentor, scores=good)
    assert not RecoveryCapitalAssessment.objects.exists()
    assert (
        services.assessment_record(mentee=mentee_profile, entered_by=mentor, scores=good).total
        == 40
    )


def test_a_crisis_is_not_marked_handled_without_a_note(mentee_profile, mentor, coordinator):
    checkin = log(mentee_profile, mentor, crisis_flag=True, crisis_notes="PHI-MARKER")
    with pytest.raises(ValidationError):
        services.crisis_mark_handled(checkin=checkin, handled_by=coordinator, note="  ")
    assert checkin.is_open_crisis


def test_the_same_author_mentee_and_minute_is_the_same_checkin(mentee_profile, mentor):
    """Back after saving restores what was typed but not the hidden key: the
    second Save gets the first check-in back (tests/browser: back and resubmit)."""
    at = a_moment_ago_today(mentee_profile).replace(second=0, microsecond=0)
    first = log(mentee_profile, mentor, occurred_at=at, idempotency_key=uuid.uuid4())
    again = log(mentee_profile, mentor, occurred_at=at, idempotency_key=uuid.uuid4())
    assert again.pk == first.pk
    a_minute_later = log(
        mentee_profile, mentor, occurred_at=at + timedelta(minutes=1), idempotency_key=uuid.uuid4()
    )
    assert a_minute_later.pk != first.pk
    assert CheckIn.objects.count() == 2


def test_a_voided_checkin_at_that_minute_does_not_stand_in(mentee_profile, mentor):
    at = a_moment_ago_today(mentee_profile).replace(second=0, microsecond=0)
    first = log(mentee_profile, mentor, occurred_at=at)
    services.checkin_void(checkin=first, by=mentor, reason="Wrong person")
    assert log(mentee_profile, mentor, occurred_at=at).pk != first.pk


def test_another_checkin_in_the_same_minute_is_saved(mentee_profile, mentor):
    """A crisis logged right after a routine check-in, in the same minute."""
    at = a_moment_ago_today(mentee_profile).replace(second=0, microsecond=0)
    first = log(mentee_profile, mentor, occurred_at=at)
    crisis = log(
        mentee_profile, mentor, occurred_at=at, crisis_flag=True, crisis_notes="Felt unsafe"
    )
    assert crisis.pk != first.pk and crisis.crisis_flag
