"""Follow-up requests (issue #16 item 4): a coordinator of the program or the
mentor's supervisor asks the mentee's current mentor to follow up a check-in
or a plan; the mentor is told, answers with a note that resolves it, and the
requester is told, each once. Dates are the program's (Sacramento): the
clock stands at 05:00 UTC on Nov 27, still Nov 26 in the program."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notifications_send_pending
from supervision import services
from supervision.dashboard import _coordinator, _mentor
from supervision.models import FollowUpRequest
from tests.accounts.test_api import api_client_for
from tests.api_errors import api_errors
from tests.checkins.factories import make_checkin
from tests.recovery_plans.factories import make_plan
from tests.supervision.factories import designate

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 27, 5, tzinfo=UTC)  # Nov 26 in Sacramento (program-local)
TODAY = date(2026, 11, 26)
TEXT = "Ask about the court date PHI-MARKER"
ANSWER = "Called; the hearing moved to December PHI-MARKER"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def checkin(mentee_profile, mentor):
    return make_checkin(mentee_profile, mentor)


def ask(by, checkin, **fields):
    return services.follow_up_request(by=by, checkin=checkin, **({"text": TEXT} | fields))


def sent(kind):
    return list(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


# --- The life cycle ----------------------------------------------------------------------


def test_asked_notified_answered_and_the_requester_told_once_each(
    coordinator, mentor, checkin, settings
):
    follow_up = ask(coordinator, checkin, due_on=TODAY + timedelta(days=2))
    assert (follow_up.mentor, follow_up.requested_by, follow_up.is_open) == (
        mentor, coordinator, True,
    )  # fmt: skip
    assert sent("follow_up_requested") == [mentor.pk]
    assert sent("follow_up_answered") == []

    resolved = services.follow_up_resolve(follow_up=follow_up, by=mentor, answer=f"  {ANSWER} ")
    assert resolved.answer == ANSWER and resolved.resolved_at is not None
    assert sent("follow_up_answered") == [coordinator.pk]

    # Answered again (a second tab): the first answer stands, nobody is told twice.
    again = services.follow_up_resolve(follow_up=follow_up, by=mentor, answer="Something else")
    assert (again.answer, again.resolved_at) == (resolved.answer, resolved.resolved_at)
    assert sent("follow_up_requested") == [mentor.pk]
    assert sent("follow_up_answered") == [coordinator.pk]

    # The emails carry the kind and a link, never the words or the mentee's name.
    assert notifications_send_pending() == 2
    for email in mail.outbox:
        body = email.body + "".join(str(a[0]) for a in getattr(email, "alternatives", []))
        assert "follow-up" in body and "/notifications/" in body
        for secret in ("court", "hearing", "Jordan", checkin.mentee.preferred_name):
            assert secret not in body and secret not in email.subject
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentor.email, coordinator.email])


def test_the_mentors_supervisor_asks_on_a_plan(coordinator, mentor, other_mentor, mentee_profile):
    sup = designate(other_mentor, coordinator)
    services.supervisor_assign(mentor=mentor, supervisor=sup, by=coordinator)
    plan = make_plan(mentee_profile, mentor)
    follow_up = services.follow_up_request(by=other_mentor, plan=plan, text="Review goal 2")
    assert follow_up.plan == plan and follow_up.checkin is None
    assert follow_up.mentor == mentor and follow_up.requested_by == other_mentor


def test_the_current_mentor_is_asked_not_the_check_ins_author(
    coordinator, mentor, other_mentor, mentee_profile, checkin
):
    from mentorship.services import assignment_create

    assignment_create(
        mentee=mentee_profile, mentor=other_mentor, assigned_by=coordinator, end_reason="other"
    )
    assert ask(coordinator, checkin).mentor == other_mentor


# --- Refused, in words --------------------------------------------------------------------


def test_a_mentor_may_not_ask(mentor, checkin):
    with pytest.raises(PermissionDenied, match="supervisor or a coordinator"):
        ask(mentor, checkin)
    assert not FollowUpRequest.objects.exists()


def test_a_former_supervisor_may_not_ask(coordinator, mentor, other_mentor, checkin):
    from tests.accounts.factories import UserFactory

    sup = designate(other_mentor, coordinator)
    services.supervisor_assign(mentor=mentor, supervisor=sup, by=coordinator)
    newcomer = UserFactory(coordinator=True, program=coordinator.program, email="c2@example.org")
    services.supervisor_assign(
        mentor=mentor, supervisor=designate(newcomer, coordinator), by=coordinator
    )
    with pytest.raises(PermissionDenied):
        ask(other_mentor, checkin)


def test_a_coordinator_of_another_program_may_not_ask(outsider, checkin):
    with pytest.raises(PermissionDenied):
        ask(outsider, checkin)


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"text": "   "}, "text", "Say what to follow up."),
        ({"text": "x" * 501}, "text", "Keep it to 500 characters."),
        ({"due_on": TODAY - timedelta(days=1)}, "due_on", "The due date cannot be in the past."),
    ],
)
def test_refused_requests_say_why(coordinator, checkin, fields, field, words):
    with pytest.raises(ValidationError) as refused:
        ask(coordinator, checkin, **fields)
    assert refused.value.message_dict[field] == [words]
    assert not Notification.objects.exists()


def test_due_today_in_the_programs_calendar_is_taken(coordinator, checkin):
    # 05:00 UTC on Nov 27 is still Nov 26 in the program: today, not the past.
    assert ask(coordinator, checkin, due_on=TODAY).due_on == TODAY
    with pytest.raises(ValidationError):
        ask(coordinator, checkin, due_on=TODAY - timedelta(days=1))


def test_a_mentee_without_a_mentor_cannot_be_asked_about(coordinator, mentee_profile, checkin):
    from django.utils import timezone

    mentee_profile.assignments.update(ended_at=timezone.now(), end_reason="other")
    with pytest.raises(ValidationError, match="no current mentor"):
        ask(coordinator, checkin)


def test_an_empty_answer_is_refused_and_leaves_it_open(coordinator, mentor, checkin):
    follow_up = ask(coordinator, checkin)
    with pytest.raises(ValidationError) as refused:
        services.follow_up_resolve(follow_up=follow_up, by=mentor, answer="  ")
    assert refused.value.message_dict["answer"] == ["Write your answer: what you did or found out."]
    follow_up.refresh_from_db()
    assert follow_up.is_open and sent("follow_up_answered") == []


def test_only_the_mentor_asked_answers(coordinator, mentor, other_mentor, checkin):
    follow_up = ask(coordinator, checkin)
    for someone in (coordinator, other_mentor):
        with pytest.raises(PermissionDenied):
            services.follow_up_resolve(follow_up=follow_up, by=someone, answer=ANSWER)


def test_the_database_holds_the_shape(coordinator, mentor, checkin, mentee_profile):
    plan = make_plan(mentee_profile, mentor)
    base = {
        "program": mentee_profile.program, "mentee": mentee_profile, "mentor": mentor,
        "requested_by": coordinator, "text": "Call",
    }  # fmt: skip
    for broken in [
        {"checkin": checkin, "plan": plan},
        {},
        {"checkin": checkin, "text": ""},
        {"checkin": checkin, "answer": "Done"},
        {"checkin": checkin, "resolved_at": NOW},
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            FollowUpRequest.objects.create(**(base | broken))


# --- Pages --------------------------------------------------------------------------------


def test_a_coordinator_asks_from_the_check_in_page(coordinator_client, checkin, mentor):
    page = coordinator_client.get(reverse("checkins:detail", args=[checkin.pk])).content.decode()
    new = reverse("supervision:follow_up_new_checkin", args=[checkin.pk])
    assert new in page
    response = coordinator_client.post(new, {"text": TEXT, "due_on": TODAY.isoformat()})
    follow_up = FollowUpRequest.objects.get()
    assert response.url == reverse("supervision:follow_up_detail", args=[follow_up.pk])
    assert follow_up.mentor == mentor and follow_up.due_on == TODAY


def test_the_plan_page_offers_it_to_coordinators(coordinator_client, mentor_client, mentor,
                                                 mentee_profile):  # fmt: skip
    plan = make_plan(mentee_profile, mentor)
    new = reverse("supervision:follow_up_new_plan", args=[plan.pk])
    detail = reverse("recovery_plans:detail", args=[plan.pk])
    assert new in coordinator_client.get(detail).content.decode()
    assert new not in mentor_client.get(detail).content.decode()
    response = coordinator_client.post(new, {"text": "Review the housing goal"})
    assert response.status_code == 302 and FollowUpRequest.objects.get().plan == plan


def test_the_form_says_why_in_words(coordinator_client, checkin):
    new = reverse("supervision:follow_up_new_checkin", args=[checkin.pk])
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    page = coordinator_client.post(new, {"text": "", "due_on": yesterday}).content.decode()
    assert "Say what to follow up." in page and "The due date cannot be in the past." in page
    assert not FollowUpRequest.objects.exists()


def test_the_mentor_answers_on_the_page_and_twice_reads_the_same(
    coordinator, mentor_client, checkin
):
    follow_up = ask(coordinator, checkin)
    resolve = reverse("supervision:follow_up_resolve", args=[follow_up.pk])
    empty = mentor_client.post(resolve, {"answer": ""}).content.decode()
    assert "Write your answer: what you did or found out." in empty
    first = mentor_client.post(resolve, {"answer": ANSWER}, follow=True)
    second = mentor_client.post(resolve, {"answer": "Another"}, follow=True)
    for response in (first, second):
        page = response.content.decode()
        assert "Answered. The person who asked is told." in page and "hearing moved" in page
    follow_up.refresh_from_db()
    assert follow_up.answer == ANSWER


def test_the_list_shows_open_and_resolved(coordinator, mentor, mentor_client, checkin):
    first = ask(coordinator, checkin, text="Call again before Friday")
    second = ask(coordinator, checkin, text="Ask about the job interview")
    services.follow_up_resolve(follow_up=second, by=mentor, answer="Done")
    url = reverse("supervision:follow_up_list")
    open_page = mentor_client.get(url).content.decode()
    resolved_page = mentor_client.get(url, {"state": "resolved"}).content.decode()
    assert first.text in open_page and second.text not in open_page
    assert second.text in resolved_page and first.text not in resolved_page


def test_open_requests_are_on_both_dashboards(coordinator, mentor, checkin):
    follow_up = ask(coordinator, checkin)
    assert list(_coordinator(coordinator)["follow_ups"]) == [follow_up]
    assert list(_mentor(mentor)["follow_ups"]) == [follow_up]
    services.follow_up_resolve(follow_up=follow_up, by=mentor, answer="Done")
    assert (
        list(_coordinator(coordinator)["follow_ups"]) == [] == list(_mentor(mentor)["follow_ups"])
    )


def test_a_supervisor_sees_what_they_asked_on_their_dashboard(
    coordinator, mentor, other_mentor, checkin
):
    services.supervisor_assign(
        mentor=mentor, supervisor=designate(other_mentor, coordinator), by=coordinator
    )
    follow_up = ask(other_mentor, checkin)
    assert list(_mentor(other_mentor)["follow_ups"]) == [follow_up]


# --- The API ------------------------------------------------------------------------------


def test_the_api_life_cycle(coordinator, mentor, checkin):
    asker, answerer = api_client_for(coordinator), api_client_for(mentor)
    created = asker.post(
        reverse("api:follow-up-list"),
        {"checkin": checkin.pk, "text": TEXT, "due_on": TODAY.isoformat()},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["mentor"] == mentor.pk
    listed = answerer.get(reverse("api:follow-up-list"), {"state": "open"}).json()
    assert [row["id"] for row in listed["results"]] == [pk]
    resolve = reverse("api:follow-up-resolve", args=[pk])
    empty = answerer.post(resolve, {"answer": ""}, format="json")
    assert empty.status_code == 400
    assert api_errors(empty)["answer"] == ["Write your answer: what you did or found out."]
    first = answerer.post(resolve, {"answer": ANSWER}, format="json")
    second = answerer.post(resolve, {"answer": "Another"}, format="json")
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() and first.json()["answer"] == ANSWER
    assert answerer.get(reverse("api:follow-up-list"), {"state": "open"}).json()["count"] == 0


def test_the_api_refuses_in_words(coordinator, mentor, outsider, checkin):
    url = reverse("api:follow-up-list")
    past = (TODAY - timedelta(days=1)).isoformat()
    refused = api_client_for(coordinator).post(
        url, {"checkin": checkin.pk, "text": TEXT, "due_on": past}, format="json"
    )
    assert api_errors(refused)["due_on"] == ["The due date cannot be in the past."]
    both = api_client_for(coordinator).post(
        url, {"checkin": checkin.pk, "plan": checkin.pk, "text": TEXT}, format="json"
    )
    assert both.status_code == 400
    assert api_client_for(mentor).post(
        url, {"checkin": checkin.pk, "text": TEXT}, format="json"
    ).status_code == 403  # fmt: skip
    assert api_client_for(outsider).post(
        url, {"checkin": checkin.pk, "text": TEXT}, format="json"
    ).status_code == 404  # fmt: skip
    assert not FollowUpRequest.objects.exists()


def test_another_mentors_and_programs_requests_are_not_found(
    coordinator, mentor, other_mentor, outsider, checkin, mentee_client
):
    follow_up = ask(coordinator, checkin)
    detail = reverse("api:follow-up-detail", args=[follow_up.pk])
    for user in (other_mentor, outsider):
        assert api_client_for(user).get(detail).status_code == 404
        assert api_client_for(user).get(reverse("api:follow-up-list")).json()["count"] == 0
    assert mentee_client.get(
        reverse("supervision:follow_up_detail", args=[follow_up.pk])
    ).status_code == 404  # fmt: skip
