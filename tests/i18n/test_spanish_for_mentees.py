"""Issue 12 item 22: everything a mentee whose preferred language is Spanish
reads is Spanish: every page she opens, her forms' errors, the pages before
she signs in, and her emails. What is left in English is listed, by page."""

import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from tests.i18n.spanish import Spanish
from tests.i18n.visible import stored_text, visible_text, without
from tests.i18n.walk import anonymous_client, pages_of
from tests.write_proof_data import build_case

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def spanish():
    return Spanish()


@pytest.fixture
def case(tmp_path):
    with override_settings(PEERPATH_PRIVATE_MEDIA_ROOT=tmp_path):
        case = build_case()
    from mentorship.models import MenteeProfile

    MenteeProfile.objects.filter(user=case.users["mentee"]).update(preferred_language="es")
    return case


def english_in(text: str, spanish: Spanish) -> list[str]:
    return spanish.foreign_words(without(text, stored_text()))


def report(problems: dict) -> str:
    """One line a page: the words left in English, each once."""
    return "\n".join(
        f"{label}: {' '.join(dict.fromkeys(words))}" for label, words in problems.items() if words
    )


def test_the_checker_finds_an_english_sentence_and_passes_a_spanish_one(spanish):
    assert spanish.foreign_words("Your plan changed since you agreed to it.") != []
    assert spanish.foreign_words("Tu plan de recuperación cambió desde que lo aceptaste.") == []
    # Month names pass in a Spanish date only.
    assert spanish.foreign_words("Tu próximo check-in: jueves, 26 de noviembre.") == []
    assert spanish.foreign_words("Tu próximo check-in: 26 nov 2026.") == []
    assert spanish.foreign_words("Tu próximo check-in: Nov 26, 2026.") == ["Nov"]


def test_the_checker_takes_out_the_mentees_own_data(case, spanish):
    from recovery_plans.models import Goal

    Goal.objects.filter(plan__mentee__user=case.users["mentee"]).update(
        description="Find a job near home"
    )
    assert english_in("Meta: Find a job near home", spanish) == []
    assert english_in("Meta: Find a job far from home", spanish) == [
        "Find",
        "job",
        "far",
        "from",
        "home",
    ]


def test_every_page_a_mentee_opens_is_in_spanish(case, spanish):
    client = case.clients["mentee"]
    _her_plan_changed_since_she_agreed(case)
    problems = {}
    for label, url, status in pages_of("mentee", case):
        response = client.get(url)
        assert response.status_code == status, f"{label} {url}: {response.status_code}"
        assert response["Content-Language"] == "es", label
        problems[label] = english_in(visible_text(response.content.decode()), spanish)
    assert report(problems) == ""


def _her_plan_changed_since_she_agreed(case):
    from recovery_plans import services
    from recovery_plans.models import RecoveryPlan

    plan = RecoveryPlan.objects.get(pk=case.args["plan"][0])
    services.plan_acknowledge(plan=plan, user=case.users["mentee"])
    services.support_add(plan=plan, by=case.users["mentor"], name="Ana")


def test_her_plan_before_and_after_she_agrees_and_when_it_changes(case, spanish):
    from recovery_plans import services
    from recovery_plans.models import RecoveryPlan

    client = case.clients["mentee"]
    plan = RecoveryPlan.objects.get(pk=case.args["plan"][0])
    url = reverse("recovery_plans:detail", args=[plan.pk])
    seen = [client.get(url), client.get(reverse("dashboard"))]
    response = client.post(
        reverse("recovery_plans:acknowledge", args=[plan.pk]),
        {"as_read": plan.change_mark},
        follow=True,
    )
    seen += [response, client.get(reverse("dashboard"))]
    services.support_add(plan=plan, by=case.users["mentor"], name="Ana")
    seen += [client.get(url), client.get(reverse("dashboard"))]
    problems = [english_in(visible_text(r.content.decode()), spanish) for r in seen]
    assert [r.status_code for r in seen] == [200] * len(seen)
    assert problems == [[]] * len(seen)


def test_her_self_check_in_its_errors_and_its_thanks_are_in_spanish(case, spanish):
    client = case.clients["mentee"]
    url = reverse("checkins:self")
    refused = client.post(url, {"mood": "9", "craving_level": "", "substance_use_days": "-1"})
    too_many = client.post(
        url,
        {
            "mood": "3",
            "craving_level": "2",
            "substance_use_days": "30",
            "idempotency_key": "7d8b1f4e-4c3a-4d8e-9a55-0c8f0f5d6b21",
        },
    )
    sent = client.post(
        url,
        {
            "mood": "3",
            "craving_level": "2",
            "substance_use_days": "0",
            "idempotency_key": "0d0c6a5e-2b8f-4d1e-8f0a-6b7c9d2e1f30",
        },
        follow=True,
    )
    for response in (refused, too_many):
        assert response.status_code == 200
        assert "error-summary" in response.content.decode()
    assert "días" in too_many.content.decode()
    seen = {"refused": refused, "too many days": too_many, "sent": sent}
    problems = {
        label: english_in(visible_text(r.content.decode()), spanish) for label, r in seen.items()
    }
    assert problems == dict.fromkeys(seen, [])


def test_the_pages_before_she_signs_in_speak_her_browsers_language(case, spanish):
    client = anonymous_client("es-MX,es;q=0.9,en;q=0.5")
    problems = {}
    for label, url, status in pages_of("anonymous", case):
        if label == "accounts:invitation_accept":
            continue  # a staff invitation: the next test has a mentee's
        response = client.get(url)
        assert response.status_code == status, label
        left = english_in(visible_text(response.content.decode()), spanish)
        if left:
            problems[label] = left
    failed = client.post(reverse("account_login"), {"login": "nobody@example.org", "password": "x"})
    left = english_in(visible_text(failed.content.decode()), spanish)
    if left:
        problems["failed sign-in"] = left
    assert problems == {}
    english = anonymous_client("en-US,en;q=0.9").get(reverse("account_login"))
    assert english["Content-Language"] == "en"


def _invite_a_spanish_speaker(case):
    from mentorship import services
    from tests.mentorship.factories import MenteeProfileFactory

    profile = MenteeProfileFactory(
        program=case.users["coordinator"].program,
        preferred_name="Lucía",
        email="lucia@example.org",
        preferred_language="es",
        created_by=case.users["coordinator"],
    )
    mail.outbox.clear()
    services.mentee_invite(
        mentee=profile, invited_by=case.users["coordinator"], site_url="http://testserver"
    )
    return mail.outbox[-1]


def test_her_invitation_email_and_page_are_in_spanish_whatever_her_browser(case, spanish):
    email = _invite_a_spanish_speaker(case)
    html = email.alternatives[0][0]
    problems = {
        "subject": english_in(email.subject, spanish),
        "text": english_in(email.body, spanish),
        "html": english_in(visible_text(html), spanish),
    }
    link = re.search(r"/invitations/accept/[^/\s]+/", email.body).group(0)
    client = anonymous_client("en-US,en;q=0.9")
    page = client.get(link)
    assert page.status_code == 200 and page["Content-Language"] == "es"
    problems["page"] = english_in(visible_text(page.content.decode()), spanish)
    refused = client.post(link, {"full_name": "Lucía", "password1": "short", "password2": "other"})
    assert "error-summary" in refused.content.decode()
    problems["page with errors"] = english_in(visible_text(refused.content.decode()), spanish)
    assert problems == dict.fromkeys(problems, [])


def test_her_reminder_email_is_in_spanish_and_says_nothing_of_her_health(case, spanish):
    from notifications.services import notifications_send_pending
    from recovery_plans import services
    from recovery_plans.models import RecoveryPlan

    plan = RecoveryPlan.objects.get(pk=case.args["plan"][0])
    services.plan_acknowledge(plan=plan, user=case.users["mentee"])
    services.support_add(plan=plan, by=case.users["mentor"], name="Ana")
    mail.outbox.clear()
    notifications_send_pending()
    (email,) = [m for m in mail.outbox if m.to == [case.users["mentee"].email]]
    html = email.alternatives[0][0]
    assert english_in(email.subject, spanish) == []
    assert english_in(email.body, spanish) == []
    assert english_in(visible_text(html), spanish) == []
    for text in (email.subject, email.body, html):
        assert "PHI-MARKER" not in text and "recuperación" not in text
    # Staff keep English mail.
    mentor_mail = [m for m in mail.outbox if m.to == [case.users["mentor"].email]]
    assert all("Hello" in m.body for m in mentor_mail)


def test_her_password_reset_email_is_in_spanish_whatever_the_browser_that_asked(case, spanish):
    mail.outbox.clear()
    client = anonymous_client("en-US,en;q=0.9")
    response = client.post(reverse("account_reset_password"), {"email": "mentee@example.org"})
    assert response.status_code == 302
    (email,) = mail.outbox
    # allauth names the site by its host.
    assert english_in(email.subject.replace("testserver", ""), spanish) == []
    assert english_in(email.body.replace("testserver", ""), spanish) == []
    # Staff keep English.
    mail.outbox.clear()
    anonymous_client("es").post(reverse("account_reset_password"), {"email": "mentor@example.org"})
    (staff_email,) = mail.outbox
    assert spanish.foreign_words(staff_email.body) != []
