"""Long forms keep a draft as the check-in form does (core.drafts): what was
typed comes back when the page is opened again, to its author only; saving
the form clears it, and an autosave that arrives after the Save does not
bring it back; "Discard draft" drops it. Files and one-time tokens are never
kept. (Who may post to a draft URL at all: the scoping tables.)"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import FormDraft
from tests.accounts.factories import UserFactory, enrol_totp, program_day
from tests.mentorship.test_intake_and_logins import INTAKE

pytestmark = pytest.mark.django_db

PHI = "PHI-MARKER she said the weekends are the hardest"
RESTORED = "We restored your unsaved draft"
MENTOR_PROFILE = {
    "bio": "Hello",
    "languages": ["en", "es"],
    "recovery_pathways": ["smart"],
    "delivery_methods": ["telehealth"],
    "accepting_new_mentees": "on",
    "county": "Yolo",
}


@dataclass(frozen=True)
class Form:
    name: str
    form: str  # the URL its form posts to
    draft: str  # its draft URL
    arg: str | None  # what the URLs take: "mentee", "plan", "goal"
    author: str  # who writes it (a fixture)
    other: str  # someone else who may use the same form (a fixture)
    typed: dict  # half a form, with PHI in `text`
    text: str
    valid: dict = field(default_factory=dict)  # a whole form, saved
    shown_on: str = ""  # the page it is on, when not its own
    context: str = "form"  # the form's name on that page


def assessment() -> dict:
    return {"assessed_on": program_day().isoformat(), **{f"item_{n}": "4" for n in range(1, 11)}}


def hours() -> dict:
    return {
        "course_title": "Motivational interviewing",
        "provider": "CalMHSA",
        "completed_on": program_day().isoformat(),
        "hours": "2",
        "category": "other",
    }


FORMS = [
    Form(
        "intake",
        "mentorship:mentee_create",
        "mentorship:mentee_create_draft",
        None,
        "coordinator",
        "second_coordinator",
        {"preferred_name": PHI, "substances_of_concern": ["opioids", "alcohol"]},
        "preferred_name",
        valid=INTAKE,
    ),
    Form(
        "assessment",
        "checkins:assessment_new",
        "checkins:assessment_draft",
        "mentee",
        "mentor",
        "coordinator",
        {"item_1": "5", "item_2": "3", "assessed_on": PHI},
        "assessed_on",
    ),
    Form(
        "goal",
        "recovery_plans:goal_edit",
        "recovery_plans:goal_draft",
        "goal",
        "mentor",
        "coordinator",
        {"domain": "home", "description": PHI, "status": "in_progress"},
        "description",
        valid={"domain": "home", "description": "Find a room", "status": "in_progress"},
    ),
    Form(
        "new goal",
        "recovery_plans:goal_add",
        "recovery_plans:goal_add_draft",
        "plan",
        "mentor",
        "coordinator",
        {"domain": "purpose", "description": PHI},
        "description",
        valid={"domain": "purpose", "description": "Volunteer on Saturdays"},
        shown_on="recovery_plans:detail",
        context="goal_form",
    ),
    Form(
        "safety plan",
        "recovery_plans:safety_edit",
        "recovery_plans:safety_draft",
        "plan",
        "mentor",
        "coordinator",
        {"warning_signs": PHI, "people_to_call": "Ana"},
        "warning_signs",
        valid={"warning_signs": "Skipping meals", "professionals": "988"},
    ),
    Form(
        "continuing education",
        "certification:mine",
        "certification:ce_draft",
        None,
        "mentor",
        "other_mentor",
        {"course_title": PHI, "hours": "1.5"},
        "course_title",
    ),
    Form(
        "new certification",
        "certification:new",
        "certification:new_draft",
        None,
        "coordinator",
        "second_coordinator",
        {"number": PHI, "issued_on": "2026-01-05"},
        "number",
    ),
    Form(
        "mentor profile",
        "mentorship:mentor_profile_edit",
        "mentorship:mentor_profile_draft",
        None,
        "mentor",
        "other_mentor",
        {"bio": PHI, "languages": ["en", "es"], "county": "Yolo"},
        "bio",
        valid=MENTOR_PROFILE,
    ),
]


def new_certification() -> dict:
    """A certification of a seeded type the mentor (made for `args`) holds not yet."""
    from accounts.models import User
    from certification.models import CertificationType
    from tests.certification.factories import seeded_types

    seeded_types()
    holder = User.objects.get(email="mentor@example.org")
    kind = CertificationType.objects.exclude(certifications__holder=holder).first()
    issued = program_day() - timedelta(days=30)
    return {"holder": holder.pk, "certification_type": kind.pk, "issued_on": issued}


def valid(form: Form) -> dict:
    if form.name == "assessment":
        return assessment()
    if form.name == "continuing education":
        return hours()
    if form.name == "new certification":
        return new_certification()
    return dict(form.valid)


@pytest.fixture
def second_coordinator(program):
    user = UserFactory(coordinator=True, program=program, email="second.coordinator@example.org")
    enrol_totp(user)
    return user


@pytest.fixture
def args(mentee_profile, mentor):
    from tests.recovery_plans.factories import make_plan

    plan = make_plan(mentee_profile, mentor)
    return {"mentee": [mentee_profile.pk], "plan": [plan.pk], "goal": [plan.goals.first().pk]}


@pytest.fixture
def people(request):
    return request.getfixturevalue


@pytest.fixture
def clients(people, client_for):
    return lambda name: client_for(people(name))


def urls(form: Form, args: dict) -> tuple[str, str, str]:
    arg = args[form.arg] if form.arg else None
    page = reverse(form.shown_on, args=[args["plan"][0]]) if form.shown_on else None
    own = reverse(form.form, args=arg)
    return own, reverse(form.draft, args=arg), page or own


def autosave(client, url: str, values: dict, page: str = "") -> str:
    response = client.post(url, {**values, **({"draft_page": page} if page else {})})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
def test_a_draft_comes_back_after_navigating_away_to_its_author_only(form, args, clients, people):
    own, draft_url, page = urls(form, args)
    author, other = clients(form.author), clients(form.other)
    assert "Draft saved at" in autosave(author, draft_url, form.typed)
    assert author.get(reverse("dashboard")).status_code == 200  # away, and back
    response = author.get(page)
    html = response.content.decode()
    assert RESTORED in html and PHI in html
    initial = response.context[form.context].initial
    assert {key: initial[key] for key in form.typed} == form.typed
    # Someone else who may use the same form gets none of it.
    response = other.get(page)
    assert RESTORED not in response.content.decode() and PHI not in response.content.decode()
    # Their own draft is theirs: it leaves the author's as it was.
    autosave(other, draft_url, {form.text: "another draft"})
    assert FormDraft.objects.get(form=own, author=people(form.author)).data[form.text] == PHI


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
def test_saving_the_form_clears_its_draft_and_a_late_autosave_keeps_nothing(form, args, clients):
    own, draft_url, page = urls(form, args)
    author = clients(form.author)
    opened = author.get(page)
    token = str(opened.context["goal_draft" if form.context == "goal_form" else "draft"].page)
    autosave(author, draft_url, form.typed, token)
    saved = author.post(own, {**valid(form), "draft_page": token})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    draft = FormDraft.objects.get(form=own)
    assert draft.finished and draft.data == {}
    assert RESTORED not in author.get(page).content.decode()
    # An autosave the same page sent just before Save, arriving after it.
    assert "already saved" in autosave(author, draft_url, form.typed, token)
    draft.refresh_from_db()
    assert draft.finished and draft.data == {}
    assert PHI not in author.get(page).content.decode()
    # The next one typed on a new page is kept again.
    autosave(author, draft_url, form.typed, "a3c1e0c2-1d7b-4d0e-9a55-4a2f0d3e9b10")
    assert RESTORED in author.get(page).content.decode()


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
def test_discarding_a_draft_drops_it(form, args, clients):
    own, draft_url, page = urls(form, args)
    author = clients(form.author)
    autosave(author, draft_url, form.typed)
    response = author.post(draft_url, {"draft": "discard"})
    assert response.status_code == 302 and response.url == page
    assert not FormDraft.objects.filter(form=own).exists()
    assert RESTORED not in author.get(page).content.decode()


def test_a_draft_keeps_no_file_no_token_and_no_confirmation(mentor_client, coordinator_client):
    from tests.certification.factories import pdf_upload

    mentor_client.post(
        reverse("certification:ce_draft"),
        {**hours(), "evidence": pdf_upload("e.pdf"), "once_token": "not kept"},
    )
    data = FormDraft.objects.get(form=reverse("certification:mine")).data
    assert "evidence" not in data and "once_token" not in data
    assert data["course_title"] == "Motivational interviewing"
    coordinator_client.post(
        reverse("mentorship:mentee_create_draft"), {**INTAKE, "different_person": "on"}
    )
    data = FormDraft.objects.get(form=reverse("mentorship:mentee_create")).data
    assert (
        "different_person" not in data
        and data["substances_of_concern"] == INTAKE["substances_of_concern"]
    )
    # A restored intake gets a new one-time token: it saves a new record.
    page = coordinator_client.get(reverse("mentorship:mentee_create"))
    assert page.context["form"]["once_token"].value()


def test_an_intake_draft_survives_an_idle_signout(client_for, coordinator):
    import time_machine

    client = client_for(coordinator)
    autosave(client, reverse("mentorship:mentee_create_draft"), {"preferred_name": PHI})
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        assert client.get(reverse("dashboard")).status_code == 302  # signed out
    client = client_for(coordinator)
    page = client.get(reverse("mentorship:mentee_create"))
    assert page.context["form"].initial["preferred_name"] == PHI


def test_an_empty_draft_is_not_offered(coordinator_client):
    autosave(coordinator_client, reverse("mentorship:mentee_create_draft"), {})
    assert (
        RESTORED not in coordinator_client.get(reverse("mentorship:mentee_create")).content.decode()
    )
