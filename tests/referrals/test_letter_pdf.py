"""The letter as a PDF: read back with pypdf, it holds only the consented
categories and the §2.32 notice; it is the same disclosure as the printable
page, audited as its print, and refused once the consent is revoked."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AccessEvent
from core.pdf_text import latin1
from referrals import services
from referrals.consents import Recipient
from referrals.letter_pdf import notice_text
from referrals.models import Disclosure
from tests.checkins.factories import make_checkin
from tests.referrals.factories import make_consent, make_resource

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def letter(mentee_profile, mentor, program):
    mentee_profile.legal_name = "Jordan Ellis"
    mentee_profile.save(update_fields=["legal_name"])
    sierra = make_resource(program)
    make_consent(mentee_profile, categories=["attendance", "plan", "substance_use"])
    make_checkin(mentee_profile, mentor, substance_use_days=3)
    return services.letter_issue(
        mentee=mentee_profile, by=mentor, recipient=Recipient.of(sierra), purpose="linkage",
        categories=["attendance"],
    )  # fmt: skip


def test_the_pdf_holds_only_the_consented_categories_and_the_notice(mentor_client, letter):
    response = mentor_client.get(reverse("referrals:letter_pdf", args=[letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="letter-{letter.pk}.pdf"'
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response)
    assert "About Jordan Ellis" in text and "To: Sierra Recovery Center" in text
    assert "Attendance" in text and "1 check-in held" in text
    # The consent allows the plan and substance use, but this letter tells neither.
    assert "Substance use" not in text and "Recovery plan goals" not in text
    assert "days of use since" not in text and "Check-ins" not in text
    notice = " ".join(notice_text().split())
    assert "Notice to the recipient (42 CFR 2.32)" in text
    assert " ".join(notice.partition(" ")[2].split()[-30:]) in text  # the notice's last words
    assert "These rules prohibit you from using or disclosing this record" in text


def test_the_pdf_is_the_letters_disclosure_audited_as_its_print(
    mentor_client, letter, mentee_profile
):
    mentor_client.get(reverse("referrals:letter_pdf", args=[letter.pk]))
    assert Disclosure.objects.get() == letter  # no second disclosure for the same letter
    event = AccessEvent.objects.order_by("-pk").first()
    assert (event.action, event.object_type, event.object_id, event.mentee_ids) == (
        "print", "disclosure", str(letter.pk), [mentee_profile.pk],
    )  # fmt: skip


def test_a_revoked_consent_refuses_the_next_pdf(mentor_client, letter, mentee):
    url = reverse("referrals:letter_pdf", args=[letter.pk])
    assert mentor_client.get(url).status_code == 200
    services.consent_revoke(consent=letter.consent, by=mentee)
    response = mentor_client.get(url)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")


def test_the_letter_page_offers_the_pdf(mentor_client, letter):
    page = mentor_client.get(reverse("referrals:letter", args=[letter.pk])).content.decode()
    assert reverse("referrals:letter_pdf", args=[letter.pk]) in page


def test_every_category_when_the_consent_covers_all(mentor_client, mentee_profile, mentor, program):
    make_consent(mentee_profile, categories=["all"], recipient_name="County Probation")
    make_checkin(mentee_profile, mentor, substance_use_days=2, craving_level=4)
    letter = services.letter_issue(
        mentee=mentee_profile, by=mentor, recipient=Recipient(name="County Probation"),
        purpose="linkage", categories=["all"],
    )  # fmt: skip
    text = pdf_text(mentor_client.get(reverse("referrals:letter_pdf", args=[letter.pk])))
    for heading in ("Contact details", "Attendance", "Recovery plan goals", "Check-ins",
                    "Substance use reported at check-ins", "Recovery capital (BARC-10)"):  # fmt: skip
        assert heading in text
    assert "2 days of use since the previous check-in; craving 4 of 10" in text


def test_letters_beyond_latin1_lose_only_their_accent():
    assert latin1("Nguyễn “Ana” — Peña…") == 'Nguyen "Ana" - Peña...'
