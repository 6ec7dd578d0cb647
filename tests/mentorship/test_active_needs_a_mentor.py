"""No risky defaults on the status form: no transition is preselected, and a
mentee becomes active only with a mentor, assigned in the same step (the
page, the service and the API alike)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentorship import services
from mentorship.models import Assignment, MenteeStatusChange
from tests.accounts.test_api import api_client_for
from tests.api_errors import api_errors
from tests.mentorship.factories import MenteeProfileFactory, assign, make_mentor
from tests.mentorship.test_transitions import mentee_in

pytestmark = pytest.mark.django_db

NO_MENTOR = "Choose a mentor to make Rosa active"


def rosa(program, status="referred"):
    mentee = mentee_in(status, program)
    type(mentee).objects.filter(pk=mentee.pk).update(preferred_name="Rosa")
    mentee.refresh_from_db()
    return mentee


# --- The service -------------------------------------------------------------


@pytest.mark.parametrize("status", ["referred", "on_hold"])
def test_becoming_active_without_a_mentor_is_refused_in_words(program, coordinator, status):
    mentee = rosa(program, status)
    with pytest.raises(ValidationError) as exc:
        services.mentee_transition(mentee=mentee, to_status="active", changed_by=coordinator)
    assert NO_MENTOR in exc.value.message_dict["mentor"][0]
    mentee.refresh_from_db()
    assert mentee.status == status and not MenteeStatusChange.objects.exists()


@pytest.mark.parametrize("status", ["referred", "on_hold"])
def test_becoming_active_with_a_mentor_assigns_them_in_the_same_step(
    program, coordinator, mentor, status
):
    mentee = rosa(program, status)
    services.mentee_transition(
        mentee=mentee, to_status="active", changed_by=coordinator, mentor=mentor
    )
    mentee.refresh_from_db()
    assert mentee.status == "active"
    assignment = mentee.assignments.active().get()
    assert (assignment.mentor, assignment.assigned_by) == (mentor, coordinator)
    # One status change, not a second one from the assignment.
    assert [(c.from_status, c.to_status) for c in mentee.status_changes.all()] == [
        (status, "active")
    ]


def test_back_from_hold_keeps_the_mentor_already_assigned(program, coordinator, mentor):
    mentee = rosa(program, "on_hold")
    assign(mentee, mentor)
    services.mentee_transition(mentee=mentee, to_status="active", changed_by=coordinator)
    mentee.refresh_from_db()
    assert mentee.status == "active" and mentee.assignments.active().get().mentor == mentor


def test_back_from_hold_naming_the_same_mentor_is_fine(program, coordinator, mentor):
    mentee = rosa(program, "on_hold")
    assign(mentee, mentor)
    services.mentee_transition(
        mentee=mentee, to_status="active", changed_by=coordinator, mentor=mentor
    )
    assert Assignment.objects.filter(mentee=mentee).count() == 1


def test_back_from_hold_naming_another_mentor_is_refused(
    program, coordinator, mentor, other_mentor
):
    mentee = rosa(program, "on_hold")
    assign(mentee, mentor)
    with pytest.raises(ValidationError) as exc:
        services.mentee_transition(
            mentee=mentee, to_status="active", changed_by=coordinator, mentor=other_mentor
        )
    assert "Rosa is assigned to Marcus Reyes" in exc.value.message_dict["mentor"][0]
    mentee.refresh_from_db()
    assert mentee.status == "on_hold"


def test_a_mentor_who_cannot_take_her_leaves_everything_as_it_was(program, coordinator):
    full = make_mentor(program, full_name="Full House", caseload_capacity=1)
    assign(MenteeProfileFactory(program=program, status="active"), full)
    mentee = rosa(program)
    with pytest.raises(ValidationError) as exc:
        services.mentee_transition(
            mentee=mentee, to_status="active", changed_by=coordinator, mentor=full
        )
    assert "Full House cannot take a new mentee" in exc.value.message_dict["mentor"][0]
    mentee.refresh_from_db()
    assert mentee.status == "referred"
    assert not mentee.assignments.exists() and not mentee.status_changes.exists()


def test_a_mentor_of_another_program_is_refused(program, other_program, coordinator):
    stranger = make_mentor(other_program)
    mentee = rosa(program)
    with pytest.raises(ValidationError) as exc:
        services.mentee_transition(
            mentee=mentee, to_status="active", changed_by=coordinator, mentor=stranger
        )
    assert "mentor" in exc.value.message_dict
    mentee.refresh_from_db()
    assert mentee.status == "referred"


def test_a_mentor_goes_only_with_becoming_active(program, coordinator, mentor):
    mentee = rosa(program, "active")
    with pytest.raises(ValidationError) as exc:
        services.mentee_transition(
            mentee=mentee, to_status="on_hold", changed_by=coordinator, mentor=mentor
        )
    assert exc.value.message_dict["mentor"] == [
        "A mentor is chosen here only when making a mentee active."
    ]


# --- The page ----------------------------------------------------------------


def status_fieldset(page: str) -> str:
    return re.search(r'id="id_to_status_group".*?</fieldset>', page, re.S).group(0)


def test_the_status_form_preselects_no_transition(coordinator_client, program):
    for status in ("referred", "active", "on_hold", "discharged"):
        mentee = rosa(program, status)
        response = coordinator_client.get(reverse("mentorship:mentee_detail", args=[mentee.pk]))
        form = response.context["status_form"]
        assert form["to_status"].value() is None
        assert "checked" not in status_fieldset(response.content.decode())


def test_the_status_form_offers_a_mentor_when_she_can_become_active(
    coordinator_client, program, mentor
):
    def offered(mentee):
        url = reverse("mentorship:mentee_detail", args=[mentee.pk])
        return "mentor" in coordinator_client.get(url).context["status_form"].fields

    assert offered(rosa(program, "referred"))
    assert offered(rosa(program, "on_hold"))
    assert not offered(rosa(program, "active"))  # already has one
    held_with_mentor = rosa(program, "on_hold")
    assign(held_with_mentor, mentor)
    assert not offered(held_with_mentor)  # keeps the mentor she has


def messages_after(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def post_status(client, mentee, data):
    return client.post(reverse("mentorship:mentee_status", args=[mentee.pk]), data, follow=True)


def test_choosing_no_status_says_so(coordinator_client, program):
    mentee = rosa(program)
    response = post_status(coordinator_client, mentee, {"note": "forgot to choose"})
    assert messages_after(response) == ["Choose the new status."]
    mentee.refresh_from_db()
    assert mentee.status == "referred"


def test_a_status_she_cannot_move_to_is_refused_in_words(coordinator_client, program):
    mentee = rosa(program)
    response = post_status(coordinator_client, mentee, {"to_status": "graduated"})
    assert messages_after(response) == ["Choose a status Rosa can move to."]


def test_active_without_a_mentor_is_refused_on_the_page(coordinator_client, program):
    mentee = rosa(program)
    response = post_status(coordinator_client, mentee, {"to_status": "active", "mentor": ""})
    [message] = messages_after(response)
    assert message.startswith(NO_MENTOR)
    mentee.refresh_from_db()
    assert mentee.status == "referred" and not mentee.assignments.exists()


def test_active_with_a_mentor_assigns_from_the_page(coordinator_client, program, mentor):
    mentee = rosa(program)
    response = post_status(coordinator_client, mentee, {"to_status": "active", "mentor": mentor.pk})
    assert messages_after(response) == ["Rosa is now active, with Marcus Reyes as mentor."]
    mentee.refresh_from_db()
    assert mentee.status == "active" and mentee.assignments.active().get().mentor == mentor


def test_a_mentor_left_chosen_for_another_status_is_ignored_on_the_page(
    coordinator_client, program, mentor
):
    """Without JavaScript the mentor list stays in view: a mentor picked and
    then a discharge chosen discharges, and assigns no one."""
    mentee = rosa(program)
    response = post_status(
        coordinator_client,
        mentee,
        {"to_status": "discharged", "reason": "moved", "mentor": mentor.pk},
    )
    assert messages_after(response) == ["Rosa is now discharged."]
    assert not mentee.assignments.exists()


def test_a_mentor_of_another_program_is_not_offered(coordinator_client, program, other_program):
    stranger = make_mentor(other_program, full_name="Far Away")
    mentee = rosa(program)
    response = post_status(
        coordinator_client, mentee, {"to_status": "active", "mentor": stranger.pk}
    )
    assert messages_after(response) == ["Choose a mentor of Rosa's program."]
    mentee.refresh_from_db()
    assert mentee.status == "referred"


# --- The API -----------------------------------------------------------------


def transition(client, mentee, body):
    return client.post(reverse("api:mentee-transition", args=[mentee.pk]), body, format="json")


def test_the_api_refuses_active_without_a_mentor(coordinator, program):
    mentee = rosa(program)
    response = transition(api_client_for(coordinator), mentee, {"to_status": "active"})
    assert response.status_code == 400
    assert NO_MENTOR in api_errors(response)["mentor"][0]


def test_the_api_makes_her_active_with_a_mentor(coordinator, program, mentor):
    mentee = rosa(program)
    response = transition(
        api_client_for(coordinator), mentee, {"to_status": "active", "mentor": mentor.pk}
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["current_mentor"]) == ("active", mentor.pk)


def test_the_api_refuses_a_mentor_it_cannot_see(coordinator, program, other_program):
    stranger = make_mentor(other_program)
    mentee = rosa(program)
    response = transition(
        api_client_for(coordinator), mentee, {"to_status": "active", "mentor": stranger.pk}
    )
    assert response.status_code == 400
    assert api_errors(response)["mentor"] == ["Choose a mentor of this mentee's program."]
    mentee.refresh_from_db()
    assert mentee.status == "referred"


def test_the_api_refuses_a_mentor_with_another_status(coordinator, program, mentor):
    mentee = rosa(program, "active")
    response = transition(
        api_client_for(coordinator), mentee, {"to_status": "on_hold", "mentor": mentor.pk}
    )
    assert response.status_code == 400
    assert "only when making a mentee active" in api_errors(response)["mentor"][0]
