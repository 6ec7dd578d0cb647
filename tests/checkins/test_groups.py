"""Peer support groups (issue 16, item 6): logged once for many mentees;
each who came gets a check-in of kind group that counts as contact."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from checkins.models import CheckIn, CheckInSchedule, GroupAttendance, GroupSession
from checkins.services import NewAttendee, group_session_log
from core.dates import program_date
from core.once import Once
from tests.checkins.factories import make_checkin
from tests.checkins.group_factories import caseload, log_group

pytestmark = pytest.mark.django_db


def test_each_who_came_gets_a_group_check_in_and_the_absent_none(program, coordinator, mentor):
    a, b, c = caseload(program, mentor, coordinator, 3)
    group = log_group(mentor, [a, b, c], statuses={b.pk: "left_early", c.pk: "absent"})
    checkins = CheckIn.objects.filter(group_session=group)
    assert {ci.mentee_id for ci in checkins} == {a.pk, b.pk}
    assert all(ci.kind == "group" and ci.mentor_id == mentor.pk for ci in checkins)
    # The group's notes stay on the group.
    assert not checkins.filter(notes__contains="GROUP-NOTES").exists()
    assert GroupAttendance.objects.get(mentee=c).checkin is None
    # It counts as contact: the last contact and the schedule move.
    a.refresh_from_db()
    assert a.last_contact_at == group.occurred_at
    assert CheckIn.objects.filter(mentee=a).contacts().count() == 1
    schedule = CheckInSchedule.objects.get(assignment__mentee=a)
    # Due a cadence after the group's day in the program's calendar.
    assert schedule.next_due_on == program_date(group.occurred_at, a.program) + timedelta(
        days=schedule.cadence_days
    )
    c.refresh_from_db()
    assert c.last_contact_at is None


def test_an_earlier_group_leaves_a_later_contact_in_place(program, coordinator, mentor):
    (a,) = caseload(program, mentor, coordinator, 1)
    later = make_checkin(a, mentor)
    log_group(mentor, [a], occurred_at=timezone.now() - timedelta(days=3))
    a.refresh_from_db()
    assert a.last_contact_at == later.occurred_at


def test_an_individual_note_goes_on_the_attendees_check_in(program, coordinator, mentor):
    (a,) = caseload(program, mentor, coordinator, 1)
    group = group_session_log(
        by=mentor, attendees=[NewAttendee(a, "present", "Spoke up first")],
        occurred_at=timezone.now(), duration_minutes=60, delivery_method="in_person",
        topic="Boundaries",
    )  # fmt: skip
    assert group.checkins.get().notes == "Spoke up first"


def test_another_mentors_mentee_is_refused_and_nothing_is_written(
    program, coordinator, mentor, other_mentor
):
    mine = caseload(program, mentor, coordinator, 2)
    (theirs,) = caseload(program, other_mentor, coordinator, 1)
    with pytest.raises(ValidationError, match="your own caseload"):
        log_group(mentor, [*mine, theirs])
    assert not GroupSession.objects.exists() and not CheckIn.objects.exists()


def test_a_coordinator_logs_for_the_programs_mentees_but_not_anothers(
    program, other_program, coordinator, mentor, outsider
):
    mentees = caseload(program, mentor, coordinator, 2)
    assert log_group(coordinator, mentees).checkins.count() == 2
    with pytest.raises(ValidationError):
        log_group(outsider, mentees)


def test_a_mentee_cannot_log_a_group(program, coordinator, mentor, mentee):
    mentees = caseload(program, mentor, coordinator, 1)
    with pytest.raises(PermissionDenied):
        log_group(mentee, mentees)


@pytest.mark.parametrize(
    ("statuses", "message"),
    [("absent", "at least one mentee present"), ("maybe", "present, left early or absent")],
)
def test_the_attendance_words(program, coordinator, mentor, statuses, message):
    (a,) = caseload(program, mentor, coordinator, 1)
    with pytest.raises(ValidationError, match=message):
        log_group(mentor, [a], statuses={a.pk: statuses})


def test_a_mentee_is_listed_once_and_someone_is_listed(program, coordinator, mentor):
    (a,) = caseload(program, mentor, coordinator, 1)
    with pytest.raises(ValidationError, match="each mentee once"):
        log_group(mentor, [a, a])
    with pytest.raises(ValidationError, match="who was in the group"):
        log_group(mentor, [])


@pytest.mark.parametrize(("minutes", "ok"), [(0, False), (1, True), (600, True), (601, False)])
def test_minutes_boundaries(program, coordinator, mentor, minutes, ok):
    (a,) = caseload(program, mentor, coordinator, 1)
    if ok:
        assert log_group(mentor, [a], duration_minutes=minutes).duration_minutes == minutes
    else:
        with pytest.raises(ValidationError, match="1 to 600"):
            log_group(mentor, [a], duration_minutes=minutes)


@pytest.mark.parametrize(("length", "ok"), [(499, True), (500, True), (501, False)])
def test_an_individual_note_is_at_most_500_characters(program, coordinator, mentor, length, ok):
    (a,) = caseload(program, mentor, coordinator, 1)
    attendee = NewAttendee(a, "present", "x" * length)
    kwargs = dict(occurred_at=timezone.now(), duration_minutes=60,
                  delivery_method="in_person", topic="T")  # fmt: skip
    if ok:
        group_session_log(by=mentor, attendees=[attendee], **kwargs)
    else:
        with pytest.raises(ValidationError, match="500"):
            group_session_log(by=mentor, attendees=[attendee], **kwargs)


def test_the_future_is_refused_and_now_is_not(program, coordinator, mentor):
    (a,) = caseload(program, mentor, coordinator, 1)
    with pytest.raises(ValidationError, match="future"):
        log_group(mentor, [a], occurred_at=timezone.now() + timedelta(minutes=1))
    log_group(mentor, [a], occurred_at=timezone.now())


def test_a_topic_is_needed(program, coordinator, mentor):
    (a,) = caseload(program, mentor, coordinator, 1)
    with pytest.raises(ValidationError, match="topic"):
        log_group(mentor, [a], topic="")


def test_remote_consent_is_per_attendee(program, coordinator, mentor):
    consenting = caseload(
        program, mentor, coordinator, 1, remote_consent="video",
        remote_consent_on=timezone.localdate(), remote_consent_recorded_by=coordinator,
    )  # fmt: skip
    (not_consenting,) = caseload(program, mentor, coordinator, 1)
    with pytest.raises(ValidationError, match="no recorded consent"):
        log_group(mentor, [*consenting, not_consenting], delivery_method="telehealth")
    group = log_group(
        mentor, [*consenting, not_consenting], delivery_method="telehealth",
        statuses={not_consenting.pk: "absent"},
    )  # fmt: skip
    assert group.checkins.count() == 1


def test_the_co_facilitator_is_another_person_of_the_program(
    program, coordinator, mentor, other_mentor, outsider
):
    (a,) = caseload(program, mentor, coordinator, 1)
    for co in (mentor, outsider):
        with pytest.raises(ValidationError, match="co-facilitator"):
            log_group(mentor, [a], co_facilitator=co)
    assert log_group(mentor, [a], co_facilitator=other_mentor).co_facilitator == other_mentor


def test_a_closed_case_is_refused(program, coordinator, mentor):
    (a,) = caseload(program, mentor, coordinator, 1)
    a.status = "on_hold"
    a.save(update_fields=["status"])
    log_group(mentor, [a])
    a.status = "graduated"
    a.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="closed"):
        log_group(mentor, [a])


def test_the_same_key_or_form_token_twice_gives_the_first_group(program, coordinator, mentor):
    import uuid

    mentees = caseload(program, mentor, coordinator, 2)
    key = uuid.uuid4()
    first = log_group(mentor, mentees, idempotency_key=key)
    assert log_group(mentor, mentees, idempotency_key=key).pk == first.pk
    once = Once(uuid.uuid4(), mentor.pk)
    second = log_group(mentor, mentees, once=once)
    assert log_group(mentor, mentees, once=once).pk == second.pk
    assert GroupSession.objects.count() == 2 and CheckIn.objects.count() == 4


def test_another_persons_key_is_refused(program, coordinator, mentor):
    import uuid

    mentees = caseload(program, mentor, coordinator, 1)
    key = uuid.uuid4()
    log_group(mentor, mentees, idempotency_key=key)
    with pytest.raises(ValidationError, match="another group session"):
        log_group(coordinator, mentees, idempotency_key=key)


def test_a_group_check_in_is_made_only_by_its_group(program, coordinator, mentor):
    from checkins.services import checkin_log

    (a,) = caseload(program, mentor, coordinator, 1)
    with pytest.raises(ValidationError, match="logging the group"):
        checkin_log(author=mentor, mentee=a, kind="group", occurred_at=timezone.now(),
                    delivery_method="in_person")  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(mentee=a, author=mentor, kind="group",
                               occurred_at=timezone.now(), delivery_method="in_person")  # fmt: skip


def test_voiding_a_group_check_in_moves_the_last_contact_back(program, coordinator, mentor):
    from checkins.services import checkin_void

    (a,) = caseload(program, mentor, coordinator, 1)
    group = log_group(mentor, [a])
    checkin_void(checkin=group.checkins.get(), by=mentor, reason="Was not there")
    a.refresh_from_db()
    assert a.last_contact_at is None


@pytest.mark.parametrize("size", [5, 50])
def test_logging_a_group_takes_the_same_queries_for_5_and_50(
    size, program, coordinator, mentor, django_assert_num_queries
):
    mentees = caseload(program, mentor, coordinator, size)
    # 1 savepoint, 2 lock the attendees, 3 the group, 4 the mentor's
    # certification (billable), 5 the check-ins, 6 the attendance, 7 the last
    # contacts, 8 the schedules, 9 release (the program is the mentor's, read).
    with django_assert_num_queries(9):
        log_group(mentor, mentees)
    assert CheckIn.objects.count() == size


def test_the_demo_has_a_group_per_mentor_with_two_mentees_and_is_idempotent():
    from django.core.management import call_command

    from tests.certification.factories import seeded_types

    seeded_types()
    call_command("seed_demo")
    groups = GroupSession.objects.count()
    assert groups and CheckIn.objects.filter(kind="group").exists()
    call_command("seed_demo")
    assert GroupSession.objects.count() == groups


def test_a_group_check_in_is_voided_not_corrected(client_for, program, coordinator, mentor):
    from django.urls import reverse

    (a,) = caseload(program, mentor, coordinator, 1)
    checkin = log_group(mentor, [a]).checkins.get()
    client = client_for(mentor)
    assert client.get(reverse("checkins:edit", args=[checkin.pk])).status_code == 403
    api = reverse("api:checkin-detail", args=[checkin.pk])
    assert client.patch(api, {"notes": "x"}, content_type="application/json").status_code == 403
    assert client.get(reverse("checkins:detail", args=[checkin.pk])).status_code == 200
