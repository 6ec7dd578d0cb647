"""Issue 12 item 22: a Spanish-speaking mentee accepts her invitation and
reads her plan in Spanish. Her coordinator works in English and invites her
from her record; she opens the link in a browser set to English (the
invitation speaks her language, not the browser's), chooses a password,
lands on her dashboard and reads, ticks and agrees to her plan, all in
Spanish, at 375 px."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.accounts.factories import TEST_PASSWORD as STAFF_PASSWORD
from tests.accounts.factories import ProgramFactory, UserFactory, enrol_totp
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.i18n.spanish import Spanish
from tests.i18n.visible import stored_text, visible_text, without
from tests.mentorship.factories import MenteeProfileFactory, assign, make_mentor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HER_PASSWORD = "una frase larga para Lucía 7"


def her_plan(mentee, mentor):
    """The plan she and her mentor wrote together, in her words."""
    from recovery_plans import services

    plan = services.plan_create(mentee=mentee, created_by=mentor)
    goal = services.goal_add(
        plan=plan, by=mentor, domain="home", description="Quiero un lugar propio."
    )
    for step in ("Llenar la solicitud de vivienda", "Visitar dos apartamentos"):
        services.step_add(goal=goal, by=mentor, description=step)
    services.trigger_add(
        plan=plan, by=mentor, description="Los domingos sola", coping=["Llamar a mi hermana"]
    )
    services.safety_plan_save(
        plan=plan, by=mentor, warning_signs="Quedarme en la cama, no contestar el teléfono."
    )
    services.plan_activate(plan=plan, activated_by=mentor)
    return plan


def assert_spanish(page, spanish: Spanish) -> None:
    """Nothing on the page is left in English (her own words taken out)."""
    left = spanish.foreign_words(without(visible_text(page.content()), stored_text()))
    assert left == [], f"{page.url}: {left}"
    assert page.locator("html").get_attribute("lang") == "es"


def test_a_spanish_speaking_mentee_accepts_her_invitation_and_reads_her_plan_in_spanish(
    live_server, browser, screenshot, assert_accessible
):
    program = ProgramFactory(name="Sacramento Peer Recovery", county="Sacramento")
    coordinator = UserFactory(
        coordinator=True, program=program, email="dana@example.org", full_name="Dana Whitfield"
    )
    secret = enrol_totp(coordinator)
    mentor = make_mentor(program, email="lena@example.org", full_name="Lena Okafor")
    mentee = MenteeProfileFactory(
        program=program,
        preferred_name="Lucía",
        email="lucia@example.org",
        preferred_language="es",
        status="active",
        created_by=coordinator,
    )
    assign(mentee, mentor, by=coordinator)
    her_plan(mentee, mentor)
    spanish = Spanish()

    # Her coordinator reads English and invites her from her record.
    desktop = browser.new_context(viewport=DESKTOP, locale="en-US")
    page = desktop.new_page()
    sign_in(page, live_server.url, coordinator.email, STAFF_PASSWORD, totp_secret=secret)
    page.goto(f"{live_server.url}/mentees/{mentee.pk}/")
    expect(page.get_by_role("heading", name="Details")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    mail.outbox.clear()
    page.get_by_role("button", name="Invite Lucía to Peerpath").click()
    expect(page.get_by_text("Invitation sent to lucia@example.org.")).to_be_visible()
    desktop.close()

    # The email speaks Spanish, and still says nothing of her health.
    (email,) = mail.outbox
    assert email.subject == "[Peerpath] Te invitamos a Peerpath"
    assert "Hola, Lucía:" in email.body and "Dana Whitfield te invitó a Peerpath" in email.body
    assert spanish.foreign_words(without(email.body, stored_text())) == []
    link = re.search(r"/invitations/accept/[^/\s]+/", email.body).group(0)

    # She opens it on her phone, whose browser is set to English.
    phone = browser.new_context(viewport=PHONE, locale="en-US")
    page = phone.new_page()
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Te damos la bienvenida a Peerpath")
    assert_spanish(page, spanish)
    assert_accessible(page)
    screenshot(page, "es-invitation-accept-375")
    expect(page.get_by_label("Tu nombre")).to_have_value("Lucía")
    page.locator("#id_password1").fill("corta")
    page.locator("#id_password2").fill("otra")
    page.get_by_role("button", name="Crear mi acceso").click()
    expect(page.get_by_role("heading", name="Hay un problema")).to_be_visible()
    assert_spanish(page, spanish)
    page.locator("#id_password1").fill(HER_PASSWORD)
    page.locator("#id_password2").fill(HER_PASSWORD)
    page.get_by_role("button", name="Crear mi acceso").click()

    # Her dashboard.
    expect(page.get_by_role("heading", level=1)).to_have_text("Hola, Lucía")
    expect(
        page.get_by_text("Te damos la bienvenida a Peerpath. Tu acceso está listo.")
    ).to_be_visible()
    expect(page.get_by_text("Tu plan está listo para que lo leas.")).to_be_visible()
    assert_spanish(page, spanish)
    assert_accessible(page)
    screenshot(page, "es-mentee-dashboard-375")

    # Her plan: she reads it, ticks a step and agrees.
    page.get_by_role("link", name="Abrir mi plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mi plan de recuperación")
    expect(page.get_by_role("heading", name="Mi plan de seguridad")).to_be_visible()
    expect(page.get_by_text("Quedarme en la cama, no contestar el teléfono.")).to_be_visible()
    expect(page.get_by_text("Línea 988 de Prevención del Suicidio y Crisis")).to_be_visible()
    assert_spanish(page, spanish)
    assert_accessible(page)
    screenshot(page, "es-mentee-plan-375")
    step = page.locator("li.step", has_text="Llenar la solicitud de vivienda")
    step.get_by_role("button", name="Marcar como hecho: Llenar la solicitud de vivienda").click()
    expect(page.locator("li.step", has_text="Llenar la solicitud de vivienda")).to_have_class(
        re.compile("step--done")
    )
    expect(page.get_by_text("1 de 2 pasos hechos", exact=True)).to_be_visible()
    page.get_by_role("button", name="Leí mi plan y estoy de acuerdo").click()
    expect(
        page.get_by_text("Gracias. Tu mentor verá que leíste tu plan y que estás de acuerdo.")
    ).to_be_visible()
    expect(page.get_by_text("dijiste que leíste este plan y que estás de acuerdo")).to_be_visible()
    assert_spanish(page, spanish)
    assert_accessible(page)
    screenshot(page, "es-mentee-plan-agreed-375")
    phone.close()
