"""The people API (/api/v1/people/): the people page's list and changes, with
the same services, rules and words. Who reaches what is in
tests/accounts/test_scoping.py and tests/test_write_proof.py; the rules'
boundaries are tested on the services in tests/accounts/test_people.py."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from accounts.models import Role, User, UserSession
from audit.models import AccessEvent
from mentorship.services import assignment_end
from tests.accounts.factories import UserFactory
from tests.accounts.test_api import api_client_for
from tests.accounts.test_api_tokens import bearer_client, knox_token_for
from tests.api_errors import api_errors
from tests.mentorship.factories import MenteeProfileFactory, assign

pytestmark = pytest.mark.django_db


def url(name: str, person=None) -> str:
    return reverse(f"api:person-{name}", args=[person.pk] if person else None)


@pytest.fixture
def admin_api(admin_user):
    return api_client_for(admin_user)


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def signed_out(client) -> bool:
    response = client.get(reverse("dashboard"))
    return response.status_code == 302 and response.url.startswith(reverse("account_login"))


# --- The list ---------------------------------------------------------------------


def test_admins_list_everyone_with_what_the_page_shows(
    admin_api, admin_user, coordinator, mentor, outsider
):
    response = admin_api.get(url("list"))
    assert ids(response) >= {admin_user.pk, coordinator.pk, mentor.pk, outsider.pk}
    row = next(r for r in response.json()["results"] if r["id"] == mentor.pk)
    assert row == {
        "id": mentor.pk,
        "email": mentor.email,
        "full_name": mentor.full_name,
        "role": "mentor",
        "program": mentor.program_id,
        "is_active": True,
        "date_joined": row["date_joined"],
        "last_login": None,
    }


def test_coordinators_read_their_programs_people_only(coordinator, mentor, outsider):
    client = api_client_for(coordinator)
    assert ids(client.get(url("list"))) == {coordinator.pk, mentor.pk}
    assert client.get(url("detail", mentor)).json()["email"] == mentor.email
    assert client.get(url("detail", outsider)).status_code == 404
    # Filtering by another program finds no one rather than leaking.
    assert ids(client.get(url("list"), {"program": outsider.program_id})) == set()


def test_filters_by_program_role_and_active(
    admin_api, admin_user, program, coordinator, mentor, outsider
):
    User.objects.filter(pk=mentor.pk).update(is_active=False)
    assert outsider.pk not in ids(admin_api.get(url("list"), {"program": program.pk}))
    assert ids(admin_api.get(url("list"), {"role": "mentor"})) == {mentor.pk}
    assert ids(admin_api.get(url("list"), {"active": "false"})) == {mentor.pk}
    assert ids(admin_api.get(url("list"), {"active": "true", "program": program.pk})) == {
        coordinator.pk
    }


@pytest.mark.parametrize(("name", "value"), [("active", "yes"), ("role", "boss")])
def test_a_filter_it_does_not_take_is_a_400_naming_it(admin_api, name, value):
    response = admin_api.get(url("list"), {name: value})
    assert response.status_code == 400 and name in api_errors(response)


def test_fifty_a_page_as_every_list(admin_api, program):
    UserFactory.create_batch(51, mentee=True, program=program)
    first = admin_api.get(url("list"), {"role": "mentee"}).json()
    assert (first["count"], len(first["results"])) == (51, 50)
    assert "role=mentee" in first["next"]
    second = admin_api.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}


# 1 the token with its user and second factor, 2 the rate limit's count (core.api.throttling),
# 3 the count and the page, in one statement (config.api_pagination).
PEOPLE_API_QUERIES = 3


@pytest.mark.parametrize("extra", [2, 20])
def test_the_list_runs_a_fixed_number_of_queries(
    admin_user, program, other_program, extra, django_assert_num_queries
):
    UserFactory.create_batch(extra, program=program)
    UserFactory.create_batch(extra, coordinator=True, program=other_program)
    client = api_client_for(admin_user)
    with django_assert_num_queries(PEOPLE_API_QUERIES):
        assert client.get(url("list")).status_code == 200


# --- Deactivate and reactivate ----------------------------------------------------


def test_deactivating_ends_every_session_and_api_token(admin_api, coordinator):
    laptop = Client()
    laptop.force_login(coordinator)
    script = bearer_client(knox_token_for(coordinator))
    operator = api_client_for(coordinator)
    assert script.get(reverse("api:user-me")).status_code == 200

    response = admin_api.post(url("deactivate", coordinator))

    assert response.status_code == 200, response.json()
    assert response.json()["is_active"] is False
    assert not UserSession.objects.filter(user=coordinator).exists()
    assert not AuthToken.objects.filter(user=coordinator).exists()
    assert signed_out(laptop)
    assert script.get(reverse("api:user-me")).status_code == 401
    assert operator.get(reverse("api:user-me")).status_code == 401


def test_a_login_made_as_the_deactivation_commits_gets_nowhere(admin_api, coordinator):
    """A sign-in or a new token racing the deactivation waits for its lock and
    is made afterwards: the deactivated person still gets nowhere with it."""
    assert admin_api.post(url("deactivate", coordinator)).status_code == 200
    late_session = Client()
    late_session.force_login(User.objects.get(pk=coordinator.pk))
    _token, raw = AuthToken.objects.create(user=coordinator)
    assert signed_out(late_session)
    assert bearer_client(raw).get(reverse("api:user-me")).status_code == 401


def test_a_mentor_with_mentees_is_refused_in_the_pages_words(admin_api, mentor, program):
    assign(MenteeProfileFactory(program=program), mentor)
    response = admin_api.post(url("deactivate", mentor))
    assert response.status_code == 400
    assert api_errors(response)["detail"] == [
        f"{mentor} mentors 1 mentee: hand the mentee over to another mentor before "
        "deactivating them."
    ]
    assert User.objects.get(pk=mentor.pk).is_active


def test_nobody_deactivates_themselves(admin_api, admin_user):
    response = admin_api.post(url("deactivate", admin_user))
    assert response.status_code == 400
    assert "cannot change your own account" in api_errors(response)["detail"][0]


def test_reactivating_lets_them_in_again_and_twice_is_refused(admin_api, coordinator):
    User.objects.filter(pk=coordinator.pk).update(is_active=False)
    response = admin_api.post(url("reactivate", coordinator))
    assert response.status_code == 200 and response.json()["is_active"] is True
    again = admin_api.post(url("reactivate", coordinator))
    assert again.status_code == 400
    assert api_errors(again)["detail"] == [f"{coordinator} is already active."]


# --- Role changes ------------------------------------------------------------------


def test_a_mentor_with_no_mentees_becomes_coordinator(admin_api, mentor):
    response = admin_api.post(url("change-role", mentor), {"role": "coordinator"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["role"] == "coordinator"
    assert User.objects.get(pk=mentor.pk).role == Role.COORDINATOR


def test_no_role_changes_to_mentee(admin_api, coordinator):
    response = admin_api.post(url("change-role", coordinator), {"role": "mentee"}, format="json")
    assert response.status_code == 400
    assert "Mentees are records, not staff" in api_errors(response)["role"][0]


def test_an_admin_made_coordinator_names_the_program(admin_api, program):
    other_admin = UserFactory(admin=True)
    missing = admin_api.post(url("change-role", other_admin), {"role": "coordinator"})
    assert missing.status_code == 400
    assert api_errors(missing) == {"program": ["Choose the program this person joins."]}
    response = admin_api.post(
        url("change-role", other_admin),
        {"role": "coordinator", "program": program.pk},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["program"] == program.pk


def test_a_role_change_needs_a_role(admin_api, mentor):
    response = admin_api.post(url("change-role", mentor), {}, format="json")
    assert response.status_code == 400 and "role" in api_errors(response)


# --- Moving to another program ----------------------------------------------------


def test_a_mentee_moves_with_a_handoff_and_it_is_in_the_audit_trail(
    admin_api, admin_user, mentee, mentor, other_program
):
    record = MenteeProfileFactory(program=mentee.program, user=mentee)
    assignment = assign(record, mentor)
    refused = admin_api.post(url("move", mentee), {"program": other_program.pk}, format="json")
    assert refused.status_code == 400
    assert "write a handoff summary" in api_errors(refused)["detail"][0]

    before = set(AccessEvent.objects.values_list("pk", flat=True))
    response = admin_api.post(
        url("move", mentee),
        {"program": other_program.pk, "handoff_summary": "Likes mornings"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["program"] == other_program.pk
    assignment.refresh_from_db()
    record.refresh_from_db()
    assert assignment.end_note == f"Moved to {other_program}. Handoff: Likes mornings"
    assert record.program == other_program
    (event,) = AccessEvent.objects.exclude(pk__in=before)
    assert (event.action, event.user_id, event.mentee_ids) == (
        "change",
        admin_user.pk,
        [record.pk],
    )


@pytest.mark.parametrize(("length", "allowed"), [(399, True), (400, True), (401, False)])
def test_the_handoff_summary_is_at_most_400_characters_in_the_services_words(
    admin_api, mentee, mentor, other_program, length, allowed
):
    assign(MenteeProfileFactory(program=mentee.program, user=mentee), mentor)
    response = admin_api.post(
        url("move", mentee),
        {"program": other_program.pk, "handoff_summary": "x" * length},
        format="json",
    )
    if allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 400
        assert api_errors(response)["detail"] == ["Keep the handoff summary to 400 characters."]


def test_a_move_needs_a_program_that_exists(admin_api, coordinator):
    response = admin_api.post(url("move", coordinator), {"program": 999999}, format="json")
    assert response.status_code == 400 and "program" in api_errors(response)


# --- Idempotency keys ----------------------------------------------------------


def test_the_same_key_again_answers_as_the_first_time(admin_api, coordinator):
    key = str(uuid.uuid4())
    first = admin_api.post(url("deactivate", coordinator), HTTP_IDEMPOTENCY_KEY=key)
    again = admin_api.post(url("deactivate", coordinator), HTTP_IDEMPOTENCY_KEY=key)
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json() == again.json()
    # Without the key, a second deactivation is the service's refusal.
    assert admin_api.post(url("deactivate", coordinator)).status_code == 400


def test_a_key_sent_with_another_person_is_refused(admin_api, coordinator, program):
    key = str(uuid.uuid4())
    other = UserFactory(coordinator=True, program=program)
    first = admin_api.post(url("deactivate", coordinator), HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 200
    response = admin_api.post(url("deactivate", other), HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400 and "Idempotency-Key" in api_errors(response)
    assert User.objects.get(pk=other.pk).is_active


def test_a_key_sent_with_another_action_is_refused(admin_api, coordinator, other_program):
    key = str(uuid.uuid4())
    first = admin_api.post(url("deactivate", coordinator), HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 200
    response = admin_api.post(
        url("move", coordinator),
        {"program": other_program.pk},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert response.status_code == 400
    assert User.objects.get(pk=coordinator.pk).program != other_program


def test_a_refused_change_keeps_its_key_for_the_corrected_one(
    admin_api, mentor, program, other_program
):
    key = str(uuid.uuid4())
    assignment = assign(MenteeProfileFactory(program=program), mentor)
    refused = admin_api.post(
        url("move", mentor), {"program": other_program.pk}, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert refused.status_code == 400
    assignment_end(assignment=assignment, ended_by=assignment.assigned_by, reason="other")
    moved = admin_api.post(
        url("move", mentor), {"program": other_program.pk}, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert moved.status_code == 200 and moved.json()["program"] == other_program.pk


def test_a_key_must_be_a_uuid(admin_api, coordinator):
    response = admin_api.post(url("deactivate", coordinator), HTTP_IDEMPOTENCY_KEY="again")
    assert response.status_code == 400
    assert api_errors(response) == {"Idempotency-Key": ["Send a UUID."]}
    assert User.objects.get(pk=coordinator.pk).is_active


# --- Who may (the full table is in test_scoping.py) -----------------------------


def test_coordinators_read_but_never_change(coordinator, mentor):
    client = api_client_for(coordinator)
    for action in ("deactivate", "reactivate", "change-role", "move"):
        assert client.post(url(action, mentor), {}, format="json").status_code == 403
    assert User.objects.get(pk=mentor.pk).is_active


def test_mentors_and_mentees_have_no_people_list(mentor, mentee):
    for person in (mentor, mentee):
        assert api_client_for(person).get(url("list")).status_code == 403
