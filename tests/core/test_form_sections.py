"""Long forms come in sections (core.forms.FormSections): every visible field
of a sectioned form is in exactly one section (or drawn apart by its page),
no section names a field that no form of its kind has, every form of ours
with more than six visible fields has sections, and the pages of the long
forms draw them as fieldsets with legends through partials/_form_fields.html."""

import re
from collections import Counter

import pytest
from django import forms
from django.apps import apps
from django.urls import reverse

from accounts.forms import ProgramForm, StyleGuideExampleForm
from certification.forms import (
    CertificationForm,
    CertificationTypeForm,
    ContinuingEducationForm,
    NewCertificationForm,
)
from checkins.forms import AssessmentForm, CheckInCorrectionForm, CheckInForm, GroupSessionForm
from core.forms import FormSections
from mentorship.forms import MenteeIntakeForm, MenteeProfileForm, MentorProfileForm
from recovery_plans.forms import GoalAddForm, GoalForm, SafetyPlanForm
from referrals.forms import (
    CollateralContactForm,
    ConsentRecordForm,
    ConsentSignForm,
    ConsentTermsForm,
    ReferralForm,
    ResourceForm,
)
from supervision.forms import ACTION_ROWS, SessionForm

OUR_APPS = ("accounts", "audit", "certification", "checkins", "core", "mentorship",
            "notifications", "operations", "recovery_plans", "referrals", "reports",
            "supervision")  # fmt: skip
LONG = 6  # a form with more visible fields than this comes in sections

# Each sectioned form, and the names its sections may hold that it lacks
# because a form of the same kind has them (they are skipped when drawn).
SECTIONED = {
    MenteeProfileForm: set(),
    MenteeIntakeForm: set(),
    MentorProfileForm: set(),
    CheckInForm: set(),
    CheckInCorrectionForm: {"kind"},  # what happened does not change
    GroupSessionForm: set(),  # its attendance rows are per mentee, drawn by the page
    AssessmentForm: set(),
    GoalForm: set(),
    GoalAddForm: set(),
    SafetyPlanForm: set(),
    CertificationForm: {"holder"},  # a new certification's
    NewCertificationForm: set(),
    CertificationTypeForm: set(),
    ContinuingEducationForm: set(),
    ProgramForm: set(),
    ConsentSignForm: set(),
    ConsentRecordForm: set(),
    ConsentTermsForm: set(),
    ReferralForm: set(),
    CollateralContactForm: set(),
    ResourceForm: set(),
    # Its action item rows are added when it is made for a supervisor.
    SessionForm: {
        f"action_{n}_{part}"
        for n in range(1, ACTION_ROWS + 1)
        for part in ("mentor", "description", "due_on")
    },
    StyleGuideExampleForm: set(),
}


def field_names(form_class) -> dict[str, forms.Field]:
    """Every field a form of this class can have: its declared and model
    fields, and those it adds when made (the BARC-10's ten statements)."""
    names = dict(form_class.base_fields)
    try:
        names |= form_class().fields
    except TypeError:  # needs arguments (a holder list): its base fields say enough
        pass
    return names


def visible(fields: dict[str, forms.Field]) -> set[str]:
    return {name for name, field in fields.items() if not field.widget.is_hidden}


@pytest.mark.parametrize("form_class", list(SECTIONED), ids=lambda c: c.__name__)
def test_every_visible_field_is_in_exactly_one_section(form_class):
    assert issubclass(form_class, FormSections) and form_class.sections
    fields = field_names(form_class)
    placed = Counter(name for section in form_class.sections for name in section.fields)
    placed.update(form_class.drawn_apart)
    assert {name: n for name, n in placed.items() if n > 1} == {}, "in two places"
    assert visible(fields) - set(placed) == set(), "in no section"
    assert set(placed) - set(fields) == SECTIONED[form_class], "not a field of the form"
    assert all(str(section.legend).strip() for section in form_class.sections)


def test_a_hidden_field_is_in_no_section():
    for form_class in SECTIONED:
        fields = field_names(form_class)
        hidden = set(fields) - visible(fields)
        named = {name for section in form_class.sections for name in section.fields}
        assert hidden & named == set(), form_class.__name__


def _our_form_classes():
    for config in apps.get_app_configs():
        if config.name in OUR_APPS:
            try:
                __import__(f"{config.name}.forms")
            except ModuleNotFoundError:
                continue
    seen, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return [c for c in seen if c.__module__.split(".")[0] in OUR_APPS]


def test_every_long_form_of_ours_has_sections():
    long_forms = [c for c in _our_form_classes() if len(visible(field_names(c))) > LONG]
    assert len(long_forms) >= 10, "the walk lost the forms"
    unsectioned = [c.__name__ for c in long_forms if not getattr(c, "sections", ())]
    assert unsectioned == []


def test_the_sections_test_knows_every_sectioned_form():
    sectioned = {c for c in _our_form_classes() if getattr(c, "sections", ())}
    assert sectioned - set(SECTIONED) == set()


# --- Pages ---------------------------------------------------------------------


def _sections_drawn(html: str) -> list[str]:
    return re.findall(r'<fieldset class="form-section"[^>]*>\s*<legend>([^<]+)</legend>', html)


def _expect(form) -> list[str]:
    return [str(section.legend) for section in form.fieldsets()]


@pytest.fixture
def plan(mentee_profile, mentor):
    from tests.recovery_plans.factories import make_plan

    return make_plan(mentee_profile, mentor)


@pytest.mark.django_db
def test_the_long_forms_pages_draw_their_sections(
    coordinator_client, mentor_client, admin_client, mentee_profile, plan, mentor
):
    from certification.models import CertificationType
    from tests.referrals.factories import make_resource

    goal = plan.goals.first()
    resource = make_resource(mentee_profile.program)
    pages = [
        (coordinator_client, reverse("mentorship:mentee_create"), MenteeIntakeForm()),
        (
            coordinator_client,
            reverse("mentorship:mentee_edit", args=[mentee_profile.pk]),
            MenteeProfileForm(instance=mentee_profile),
        ),
        (mentor_client, reverse("mentorship:mentor_profile_edit"), MentorProfileForm()),
        (mentor_client, reverse("checkins:log", args=[mentee_profile.pk]), CheckInForm()),
        (
            mentor_client,
            reverse("checkins:assessment_new", args=[mentee_profile.pk]),
            AssessmentForm(),
        ),
        (mentor_client, reverse("recovery_plans:goal_edit", args=[goal.pk]), GoalForm()),
        (mentor_client, reverse("recovery_plans:detail", args=[plan.pk]), GoalAddForm()),
        (mentor_client, reverse("recovery_plans:safety_edit", args=[plan.pk]), SafetyPlanForm()),
        (
            coordinator_client,
            reverse("certification:new"),
            NewCertificationForm(holders=mentor.__class__.objects.none()),
        ),
        (
            coordinator_client,
            reverse("certification:edit", args=[mentor.certifications.get().pk]),
            CertificationForm(),
        ),
        (mentor_client, reverse("certification:mine"), ContinuingEducationForm()),
        (admin_client, reverse("certification:type_new"), CertificationTypeForm()),
        (
            admin_client,
            reverse("certification:type_edit", args=[CertificationType.objects.first().pk]),
            CertificationTypeForm(),
        ),
        (admin_client, reverse("accounts:program_create"), ProgramForm()),
        (
            coordinator_client,
            reverse("referrals:referral_new", args=[mentee_profile.pk]),
            ReferralForm(program=mentee_profile.program),
        ),
        (
            coordinator_client,
            reverse("referrals:consent_record", args=[mentee_profile.pk]),
            ConsentRecordForm(program=mentee_profile.program),
        ),
        (
            coordinator_client,
            reverse("referrals:collateral_new", args=[mentee_profile.pk]),
            CollateralContactForm(),
        ),
        (
            coordinator_client,
            reverse("referrals:resource_edit", args=[resource.pk]),
            ResourceForm(instance=resource),
        ),
        (admin_client, reverse("accounts:style_guide"), StyleGuideExampleForm(prefix="example")),
    ]
    for client, url, form in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        drawn = _sections_drawn(html)
        assert drawn == _expect(form), url
        assert len(drawn) >= 1, url
        # Each of the form's visible fields is drawn once, inside the sections.
        for name in visible(form.fields) - set(form.drawn_apart):
            assert len(re.findall(rf'\bname="{re.escape(form.add_prefix(name))}"', html)) >= 1, (
                url,
                name,
            )


@pytest.mark.django_db
def test_a_section_for_some_answers_only_is_marked_for_them(mentor_client, mentee_profile):
    """The check-in's "How it went" is a contact's: hidden for "No, I tried"
    (peerpath.js); the minutes, a contact's too, sit in "The contact"."""
    html = mentor_client.get(reverse("checkins:log", args=[mentee_profile.pk])).content.decode()
    assert re.search(
        r'<fieldset class="form-section" data-shown-for="kind:contact">\s*<legend>How it went',
        html,
    )
    assert re.search(
        r'<div data-shown-for="kind:contact">\s*<div class="field[^"]*">\s*<label for="id_duration_minutes"',
        html,
    )


def test_a_section_help_describes_its_fieldset():
    from django.template.loader import render_to_string

    rendered = render_to_string("partials/_form_fields.html", {"form": SafetyPlanForm()})
    help_id = "id_warning_signs_section_help"
    assert f'aria-describedby="{help_id}"' in rendered
    assert f'id="{help_id}"' in rendered
    assert rendered.count("<fieldset") == len(SafetyPlanForm.sections)
