"""No duplicates from the back button (issue: everyday use, item 1).

Every create form carries a one-time token (core.once): sent twice - back
after saving, then Save again; a double click; a retry - it makes one record,
and the second send lands on the first one's page. Without JavaScript alike:
the token is a hidden field of the form the server rendered."""

import datetime as dt
import re
import threading
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from certification.models import ContinuingEducation
from checkins.models import RecoveryCapitalAssessment
from core.models import FormSubmission
from core.once import SPENT_ELSEWHERE, Once
from mentorship import services as mentorship_services
from mentorship.models import MenteeProfile
from recovery_plans.models import ActionStep, Goal, PlanTemplate, RecoveryPlan, SupportContact
from tests.accounts.factories import program_day
from tests.mentorship.test_intake_and_logins import INTAKE
from tests.recovery_plans.factories import make_plan
from tests.services import require_postgres

pytestmark = pytest.mark.django_db


def token_of(page) -> str:
    """The token the server rendered into the form, as a browser would send it."""
    match = re.search(rb'name="once_token" value="([0-9a-f-]{36})"', page.content)
    assert match, "the form has no one-time token"
    return match.group(1).decode()


def ce_data():
    return {
        "course_title": "Ethics in peer work",
        "provider": "CCAPP",
        "completed_on": (program_day() - dt.timedelta(days=3)).isoformat(),
        "hours": "3.0",
        "category": "law_and_ethics",
    }


def barc10():
    return {"assessed_on": program_day().isoformat(), **{f"item_{n}": "4" for n in range(1, 11)}}


# name, who, the page showing the form (url, args), the post (url, args), data, model
FORMS = [
    ("intake", "coordinator", "mentorship:mentee_create", None, "mentorship:mentee_create", None, lambda: dict(INTAKE), MenteeProfile),
    ("BARC-10", "mentor", "checkins:assessment_new", "mentee", "checkins:assessment_new", "mentee", barc10, RecoveryCapitalAssessment),
    ("new plan", "mentor", "recovery_plans:start", "mentee", "recovery_plans:start", "mentee", dict, RecoveryPlan),
    ("goal", "mentor", "recovery_plans:detail", "plan", "recovery_plans:goal_add", "plan", lambda: {"domain": "purpose", "description": "Find work"}, Goal),
    ("step", "mentor", "recovery_plans:detail", "plan", "recovery_plans:step_add", "goal", lambda: {"description": "Update résumé"}, ActionStep),
    ("support", "mentor", "recovery_plans:detail", "plan", "recovery_plans:support_add", "plan", lambda: {"name": "Sam", "relationship": "sponsor", "phone": "555-0100", "kind": "person"}, SupportContact),
    ("template", "coordinator", "recovery_plans:template_list", None, "recovery_plans:template_list", None, lambda: {"name": "Ninety days"}, PlanTemplate),
    ("CE hours", "mentor", "certification:mine", None, "certification:mine", None, ce_data, ContinuingEducation),
]  # fmt: skip


@pytest.fixture
def objects(mentee_profile, mentor):
    plan = make_plan(mentee_profile, mentor, active=False)
    return {"mentee": [mentee_profile.pk], "plan": [plan.pk], "goal": [plan.goals.first().pk]}


@pytest.mark.parametrize(
    ("label", "role", "page", "page_arg", "post", "post_arg", "data", "model"),
    FORMS,
    ids=[f[0] for f in FORMS],
)
def test_a_create_form_sent_twice_makes_one_record(
    coordinator_client,
    mentor_client,
    objects,
    label,
    role,
    page,
    page_arg,
    post,
    post_arg,
    data,
    model,
):
    client = {"coordinator": coordinator_client, "mentor": mentor_client}[role]
    shown = client.get(reverse(page, args=objects[page_arg] if page_arg else None))
    assert shown.status_code == 200
    body = {**data(), "once_token": token_of(shown)}
    url = reverse(post, args=objects[post_arg] if post_arg else None)
    before = model.objects.count()

    first = client.post(url, body)
    again = client.post(url, body)  # back, then Save again

    assert first.status_code in (200, 302), first.content[:300]
    assert model.objects.count() == before + 1, label
    assert again.status_code == first.status_code
    if first.status_code == 302:
        assert again.url == first.url, "the second send lands on the first record"


def test_each_showing_of_a_form_has_a_new_token(coordinator_client):
    url = reverse("mentorship:mentee_create")
    assert token_of(coordinator_client.get(url)) != token_of(coordinator_client.get(url))


def test_the_second_send_says_the_record_was_already_there(coordinator_client):
    url = reverse("mentorship:mentee_create")
    body = {**INTAKE, "once_token": token_of(coordinator_client.get(url))}
    coordinator_client.post(url, body)
    again = coordinator_client.post(url, body, follow=True)
    assert b"was already recorded" in again.content
    assert MenteeProfile.objects.count() == 1


def test_a_refused_form_keeps_its_token_so_the_corrected_one_is_saved(coordinator_client):
    url = reverse("mentorship:mentee_create")
    token = token_of(coordinator_client.get(url))
    refused = coordinator_client.post(url, {**INTAKE, "preferred_name": "", "once_token": token})
    assert refused.status_code == 200
    assert token_of(refused) == token, "the form comes back with the token it was sent with"
    assert coordinator_client.post(url, {**INTAKE, "once_token": token}).status_code == 302
    assert MenteeProfile.objects.count() == 1


def test_a_service_that_refuses_spends_no_token(mentor, mentee_profile):
    """The token is spent in the service's transaction: a refusal rolls it back."""
    from django.core.exceptions import ValidationError

    from checkins import services

    once = Once(uuid.uuid4(), mentor.pk)
    scores = [9] * 10  # out of range: refused
    with pytest.raises(ValidationError):
        services.assessment_record(
            once=once,
            mentee=mentee_profile,
            entered_by=mentor,
            scores=scores,
            assessed_on=program_day(),
        )
    assert not FormSubmission.objects.exists()


def test_a_token_is_one_persons_and_one_forms(coordinator, program, other_program):
    from tests.accounts.factories import UserFactory

    token = uuid.uuid4()
    fields = {"preferred_name": "Riley", "intake_date": program_day()}
    mentorship_services.mentee_intake(
        program=program, created_by=coordinator, once=Once(token, coordinator.pk), **fields
    )
    someone_else = UserFactory(coordinator=True, program=program)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        mentorship_services.mentee_intake(
            program=program, created_by=someone_else, once=Once(token, someone_else.pk), **fields
        )
    assert refused.value.messages == [SPENT_ELSEWHERE]
    assert MenteeProfile.objects.count() == 1


def test_without_a_token_a_form_is_saved_as_before(coordinator_client):
    """A form sent without the hidden field (a county's script) is not refused."""
    url = reverse("mentorship:mentee_create")
    assert coordinator_client.post(url, INTAKE).status_code == 302
    assert MenteeProfile.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sends_at_the_same_moment_make_one_record(coordinator, program):
    """The second send waits on the first one's token and gets its record."""
    require_postgres()
    token = uuid.uuid4()
    arrived = threading.Barrier(2)
    real_intake = mentorship_services.mentee_intake.__wrapped__
    results, errors = [], []

    def send():
        try:
            try:
                arrived.wait(timeout=5)
            except threading.BrokenBarrierError:
                pass
            mentee = mentorship_services.mentee_intake(
                program=program,
                created_by=coordinator,
                once=Once(token, coordinator.pk),
                preferred_name="Riley",
                intake_date=program_day(),
            )
            results.append(mentee.pk)
        except Exception as exc:  # noqa: BLE001 - the test reports what went wrong
            errors.append(exc)
        finally:
            connection.close()

    assert real_intake is not None
    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert MenteeProfile.objects.count() == 1
    assert results == [MenteeProfile.objects.get().pk] * 2
