"""The rules of supervision: supervisors and their qualification, one current
supervisor per mentor (by the database too), sessions, action items,
acknowledgement, hours per month and crisis debriefs."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from supervision import selectors, services
from supervision.models import CrisisDebrief, SupervisionSettings, SupervisorAssignment
from tests.checkins.factories import make_checkin
from tests.mentorship.factories import make_mentor
from tests.supervision.factories import designate, make_session

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 27, 5, tzinfo=UTC)  # Nov 26 in Sacramento (program-local)
TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def sup(coordinator, other_mentor):
    return designate(other_mentor, coordinator)


# --- Supervisors ------------------------------------------------------------------------


def test_a_coordinator_designates_a_mentor_with_training_due_six_months_later(
    coordinator, other_mentor
):
    supervisor = designate(other_mentor, coordinator)
    assert (supervisor.designated_on, supervisor.training_due_on) == (TODAY, date(2027, 5, 26))


def test_the_training_deadline_is_the_programs_setting(coordinator, other_mentor, program):
    SupervisionSettings.objects.create(program=program, training_deadline_months=3)
    assert designate(other_mentor, coordinator).training_due_on == date(2027, 2, 26)


def test_only_the_programs_coordinators_designate(mentor, other_mentor, outsider, admin_user):
    for by in (mentor, outsider, admin_user):
        with pytest.raises(PermissionDenied):
            designate(other_mentor, by)


def test_a_mentee_cannot_supervise(coordinator, mentee):
    with pytest.raises(ValidationError) as refused:
        designate(mentee, coordinator)
    assert refused.value.message_dict == {"user": ["Only a coordinator or a mentor may supervise."]}


@pytest.mark.parametrize(
    ("terms", "field", "message"),
    [
        ({"qualification": "certified_peer", "years_of_experience": None}, "years_of_experience",
         "A certified peer specialist supervisor states their years of experience."),
        ({"qualification": "licensed", "license_number": " "}, "license_number",
         "A licensed or registered supervisor gives their license or registration number."),
    ],
)  # fmt: skip
def test_the_qualification_is_stated(coordinator, other_mentor, terms, field, message):
    with pytest.raises(ValidationError) as refused:
        designate(other_mentor, coordinator, **terms)
    assert refused.value.message_dict == {field: [message]}


@pytest.mark.parametrize(("offset", "refused"), [(-1, False), (0, False), (1, True)])
def test_a_designation_is_not_in_the_future(coordinator, other_mentor, offset, refused):
    on = TODAY + timedelta(days=offset)
    if refused:
        with pytest.raises(ValidationError):
            designate(other_mentor, coordinator, designated_on=on)
    else:
        assert designate(other_mentor, coordinator, designated_on=on).designated_on == on


def test_designating_twice_is_refused_plainly(coordinator, sup, other_mentor):
    with pytest.raises(ValidationError) as refused:
        designate(other_mentor, coordinator)
    assert refused.value.message_dict == {"user": ["This person is already a supervisor."]}


@pytest.mark.parametrize(("days_after_due", "overdue"), [(-1, False), (0, False), (1, True)])
def test_training_is_overdue_the_day_after_it_is_due(sup, days_after_due, overdue):
    assert sup.training_overdue_on(sup.training_due_on + timedelta(days=days_after_due)) is overdue


# --- Supervisor assignments -------------------------------------------------------------


def test_a_new_supervisor_ends_the_current_one_and_keeps_the_history(
    coordinator, mentor, sup, program
):
    first = services.supervisor_assign(mentor=mentor, supervisor=sup, by=coordinator)
    other = designate(coordinator, coordinator, qualification="licensed", license_number="LMFT-1")
    second = services.supervisor_assign(mentor=mentor, supervisor=other, by=coordinator)
    first.refresh_from_db()
    assert first.ended_on == TODAY and second.ended_on is None
    assert list(SupervisorAssignment.objects.filter(mentor=mentor).current()) == [second]
    assert SupervisorAssignment.objects.filter(mentor=mentor).count() == 2
    assert services.supervisor_of(mentor) == other


def test_assigning_the_same_supervisor_again_answers_the_first_assignment(coordinator, mentor, sup):
    first = services.supervisor_assign(mentor=mentor, supervisor=sup, by=coordinator)
    assert services.supervisor_assign(mentor=mentor, supervisor=sup, by=coordinator) == first


def test_the_database_keeps_one_current_supervisor_per_mentor(coordinator, mentor, sup):
    services.supervisor_assign(mentor=mentor, supervisor=sup, by=coordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisorAssignment.objects.create(
            mentor=mentor, supervisor=sup, started_on=TODAY, assigned_by=coordinator
        )


def test_a_mentor_does_not_supervise_themselves(coordinator, other_mentor, sup):
    with pytest.raises(ValidationError) as refused:
        services.supervisor_assign(mentor=other_mentor, supervisor=sup, by=coordinator)
    assert refused.value.message_dict == {"supervisor": ["A mentor cannot supervise themselves."]}


def test_only_a_mentor_of_the_program_is_assigned(coordinator, sup, other_program):
    stranger = make_mentor(other_program, email="far@example.org")
    with pytest.raises(ValidationError):
        services.supervisor_assign(mentor=stranger, supervisor=sup, by=coordinator)


# --- Sessions ---------------------------------------------------------------------------


def test_an_individual_session_is_with_one_mentor_and_a_group_with_several(
    coordinator, sup, mentor, other_mentor, program
):
    third = make_mentor(program, email="third@example.org")
    with pytest.raises(ValidationError) as refused:
        make_session(other_mentor, [mentor, third], kind="individual")
    assert refused.value.message_dict == {"mentors": ["An individual session is with one mentor."]}
    with pytest.raises(ValidationError) as refused:
        make_session(other_mentor, [mentor], kind="group")
    assert refused.value.message_dict == {
        "mentors": ["A group session is with two or more mentors."]
    }
    session = make_session(other_mentor, [mentor, third], kind="group")
    assert set(session.mentors.all()) == {mentor, third}


def test_only_a_current_supervisor_records_a_session(mentor, other_mentor, coordinator):
    with pytest.raises(PermissionDenied):
        make_session(coordinator, [mentor])


@pytest.mark.parametrize(
    ("minutes", "ok"), [(4, False), (5, True), (6, True), (479, True), (480, True), (481, False)]
)
def test_a_session_lasts_5_to_480_minutes(sup, other_mentor, mentor, minutes, ok):
    if ok:
        assert make_session(other_mentor, [mentor], minutes=minutes).duration_minutes == minutes
    else:
        with pytest.raises(ValidationError) as refused:
            make_session(other_mentor, [mentor], minutes=minutes)
        assert refused.value.message_dict == {
            "duration_minutes": ["A session lasts 5 to 480 minutes."]
        }


@pytest.mark.parametrize(("offset", "ok"), [(-1, True), (0, True), (1, False)])
def test_a_session_is_not_in_the_future_of_the_program_day(sup, other_mentor, mentor, offset, ok):
    # At 05:00 UTC it is still Nov 26 in Sacramento: Nov 27 is tomorrow there.
    held_on = TODAY + timedelta(days=offset)
    if ok:
        make_session(other_mentor, [mentor], held_on=held_on)
    else:
        with pytest.raises(ValidationError) as refused:
            make_session(other_mentor, [mentor], held_on=held_on)
        assert refused.value.message_dict == {"held_on": ["A session cannot be in the future."]}


def test_mentees_discussed_are_only_those_of_the_sessions_mentors(
    sup, other_mentor, mentor, mentee_profile, program
):
    from tests.mentorship.factories import MenteeProfileFactory

    stranger = MenteeProfileFactory(program=program, preferred_name="Sky")
    session = make_session(other_mentor, [mentor], mentees_discussed=[mentee_profile])
    assert list(session.mentees_discussed.all()) == [mentee_profile]
    with pytest.raises(ValidationError) as refused:
        make_session(other_mentor, [mentor], mentees_discussed=[stranger])
    assert refused.value.message_dict == {
        "mentees_discussed": ["Choose only mentees of the mentors in this session."]
    }


def test_notes_are_for_the_supervisor_the_mentors_and_admins_only(
    sup, other_mentor, mentor, coordinator, admin_user, program
):
    session = make_session(other_mentor, [mentor])
    third = make_mentor(program, email="third@example.org")
    assert [session.notes_visible_to(u) for u in (other_mentor, mentor, admin_user)] == [True] * 3
    assert [session.notes_visible_to(u) for u in (coordinator, third)] == [False, False]


def test_the_mentor_ticks_off_their_action_item_once(sup, other_mentor, mentor):
    session = make_session(
        other_mentor, [mentor],
        action_items=[services.NewActionItem(mentor, "Call the housing office", TODAY)],
    )  # fmt: skip
    item = session.action_items.get()
    with pytest.raises(PermissionDenied):
        services.action_item_done(item=item, by=other_mentor)
    first = services.action_item_done(item=item, by=mentor).done_at
    assert first is not None
    assert services.action_item_done(item=item, by=mentor).done_at == first


def test_an_action_item_belongs_to_a_mentor_of_the_session(sup, other_mentor, mentor, program):
    third = make_mentor(program, email="third@example.org")
    with pytest.raises(ValidationError):
        make_session(
            other_mentor, [mentor], action_items=[services.NewActionItem(third, "Read", None)]
        )


def test_the_mentor_acknowledges_once(sup, other_mentor, mentor):
    session = make_session(other_mentor, [mentor])
    with pytest.raises(PermissionDenied):
        services.session_acknowledge(session=session, mentor=other_mentor)
    first = services.session_acknowledge(session=session, mentor=mentor).acknowledged_at
    assert services.session_acknowledge(session=session, mentor=mentor).acknowledged_at == first


# --- Hours per month --------------------------------------------------------------------


def minutes_of(mentor, day=TODAY):
    return selectors.mentor_hours(program=mentor.program, day=day).get(pk=mentor.pk)


def test_hours_count_per_mentor_per_program_month(sup, other_mentor, mentor, program):
    third = make_mentor(program, email="third@example.org")
    make_session(other_mentor, [mentor], minutes=60, held_on=date(2026, 11, 1))
    make_session(other_mentor, [mentor, third], minutes=45, held_on=date(2026, 11, 26))
    make_session(other_mentor, [mentor], minutes=90, held_on=date(2026, 10, 31))
    assert (minutes_of(mentor).minutes, minutes_of(third).minutes) == (105, 45)
    assert minutes_of(mentor, date(2026, 10, 1)).minutes == 90


@pytest.mark.parametrize(("minutes", "below"), [(119, True), (120, False), (121, False)])
def test_a_mentor_is_below_the_minimum_under_it_only(sup, other_mentor, mentor, minutes, below):
    make_session(other_mentor, [mentor], minutes=minutes)
    flagged = selectors.mentors_below_minimum(program=mentor.program, day=TODAY)
    assert (mentor in flagged) is below


def test_the_minimum_is_the_programs_setting(sup, other_mentor, mentor, program):
    SupervisionSettings.objects.create(program=program, monthly_minimum_minutes=60)
    make_session(other_mentor, [mentor], minutes=60)
    assert minutes_of(mentor).minimum == 60
    assert mentor not in selectors.mentors_below_minimum(program=program, day=TODAY)


# --- Crisis debriefs --------------------------------------------------------------------


def test_a_crisis_check_in_opens_a_debrief_due_in_three_program_days(mentee_profile, mentor):
    checkin = make_checkin(mentee_profile, mentor, crisis_flag=True, crisis_notes="x")
    debrief = CrisisDebrief.objects.get(checkin=checkin)
    # 05:00 UTC on Nov 27 is Nov 26 in Sacramento: that is the day it opens.
    assert (debrief.mentor, debrief.opened_on, debrief.due_on) == (
        mentor, TODAY, TODAY + timedelta(days=3)
    )  # fmt: skip
    checkin.save()  # saved again: still one debrief
    assert CrisisDebrief.objects.filter(checkin=checkin).count() == 1


def test_the_debrief_is_due_in_the_programs_days(mentee_profile, mentor, program):
    SupervisionSettings.objects.create(program=program, debrief_due_days=1)
    checkin = make_checkin(mentee_profile, mentor, crisis_flag=True)
    assert CrisisDebrief.objects.get(checkin=checkin).due_on == TODAY + timedelta(days=1)


def test_a_check_in_without_a_crisis_opens_none(mentee_profile, mentor):
    make_checkin(mentee_profile, mentor)
    assert not CrisisDebrief.objects.exists()


@pytest.mark.parametrize(("days_after_due", "overdue"), [(-1, False), (0, False), (1, True)])
def test_a_debrief_is_overdue_the_day_after_it_is_due(
    mentee_profile, mentor, days_after_due, overdue
):
    make_checkin(mentee_profile, mentor, crisis_flag=True)
    debrief = CrisisDebrief.objects.get()
    assert debrief.overdue_on(debrief.due_on + timedelta(days=days_after_due)) is overdue


def test_a_session_with_the_crisis_debrief_topic_closes_the_debrief(
    sup, other_mentor, mentor, mentee_profile
):
    make_checkin(mentee_profile, mentor, crisis_flag=True)
    debrief = CrisisDebrief.objects.get()
    with pytest.raises(ValidationError) as refused:
        make_session(other_mentor, [mentor], debriefs=[debrief])
    assert refused.value.message_dict == {
        "debriefs": ["A session closes a debrief only with the crisis debrief topic."]
    }
    session = make_session(other_mentor, [mentor], topics=["crisis_debrief"], debriefs=[debrief])
    debrief.refresh_from_db()
    assert debrief.session == session and debrief.closed_at is not None
    with pytest.raises(ValidationError):  # closed: not again
        make_session(other_mentor, [mentor], topics=["crisis_debrief"], debriefs=[debrief])


def test_a_new_supervision_cannot_start_before_the_current_one(coordinator, mentor, sup):
    services.supervisor_assign(mentor=mentor, supervisor=sup, by=coordinator)
    other = designate(coordinator, coordinator, qualification="licensed", license_number="L-2")
    with pytest.raises(ValidationError) as refused:
        services.supervisor_assign(
            mentor=mentor, supervisor=other, by=coordinator, started_on=TODAY - timedelta(days=1)
        )
    assert refused.value.message_dict == {
        "started_on": ["The new supervision starts after the current one did."]
    }
    # The same day is allowed: the current one ends that day.
    services.supervisor_assign(mentor=mentor, supervisor=other, by=coordinator, started_on=TODAY)


def test_an_action_item_says_what_is_to_be_done(sup, other_mentor, mentor):
    with pytest.raises(ValidationError) as refused:
        make_session(other_mentor, [mentor], action_items=[services.NewActionItem(mentor, " ")])
    assert refused.value.message_dict == {
        "action_items": ["Each action item says what is to be done, by a mentor of the session."]
    }


@pytest.mark.parametrize(("offset", "ok"), [(-1, True), (0, True), (1, False)])
def test_training_is_recorded_up_to_the_program_day(coordinator, sup, offset, ok):
    on = TODAY + timedelta(days=offset)
    if ok:
        services.supervisor_training_record(supervisor=sup, by=coordinator, completed_on=on)
        sup.refresh_from_db()
        assert sup.training_completed_on == on
    else:
        with pytest.raises(ValidationError):
            services.supervisor_training_record(supervisor=sup, by=coordinator, completed_on=on)


def test_this_month_is_the_programs_month(sup, other_mentor, mentor):
    from core.together import resolve_together
    from supervision.dashboard import _mentor

    def hours():
        (panel,) = resolve_together([_mentor(mentor)])
        return panel["hours"]

    # 06:00 UTC on Dec 1 is still Nov 30 in Sacramento: November's minutes.
    with time_machine.travel(datetime(2026, 12, 1, 6, tzinfo=UTC), tick=False):
        make_session(other_mentor, [mentor], minutes=40, held_on=date(2026, 11, 30))
        assert hours().minutes == 40
    # 09:00 UTC on Dec 1 is Dec 1 there: a new month.
    with time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=UTC), tick=False):
        assert hours().minutes == 0


def test_a_voided_crisis_check_in_needs_no_debrief(mentee_profile, mentor, coordinator):
    from checkins.services import checkin_void

    checkin = make_checkin(mentee_profile, mentor, crisis_flag=True)
    assert CrisisDebrief.objects.open().count() == 1
    checkin_void(checkin=checkin, by=mentor, reason="Logged for the wrong person")
    assert CrisisDebrief.objects.open().count() == 0
