"""Uploads (limits and access), the report (filters, CSV, JSON, summary), the
holder's page, the API, and query budgets."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from certification.models import Certification, CertificationDocument, ContinuingEducation
from tests.accounts.factories import program_day
from tests.accounts.test_api import api_client_for
from tests.certification.factories import certify, log_ce, medi_cal, pdf_bytes

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()


def pdf(name="certificate.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_holder_logs_hours_with_evidence_stored_outside_the_web_root(
    mentor_client, mentor, private_media, settings
):
    response = mentor_client.post(
        reverse("certification:mine"),
        {
            "course_title": "Law and ethics for peers",
            "provider": "CalMHSA",
            "completed_on": program_day().isoformat(),
            "hours": "6",
            "category": "law_and_ethics",
            "evidence": pdf(),
        },
    )
    assert response.status_code == 302
    entry = ContinuingEducation.objects.get(course_title="Law and ethics for peers")
    path = entry.evidence.path
    assert path.startswith(str(private_media))
    assert not path.startswith(str(settings.STATIC_ROOT)) and not path.startswith(
        str(settings.MEDIA_ROOT)
    )
    assert entry.approved_at is None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("big.pdf", b"%PDF" + b"0" * (1024 * 1024), "larger than 512 KB"),
        ("tool.exe", b"MZ\x90\x00", "PDF, PNG or JPEG"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "do not match"),
    ],
    ids=["too big", "wrong type", "wrong contents"],
)
def test_uploads_are_limited_in_size_and_type(mentor_client, settings, name, content, message):
    settings.PEERPATH_UPLOAD_MAX_BYTES = 512 * 1024
    response = mentor_client.post(
        reverse("certification:mine"),
        {
            "course_title": "C",
            "provider": "P",
            "completed_on": program_day().isoformat(),
            "hours": "2",
            "category": "other",
            "evidence": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["evidence"])
    assert not ContinuingEducation.objects.exists()


def test_documents_are_served_only_to_those_who_may_see_them(
    client_for, mentor, coordinator, admin_user, other_mentor, outsider, mentee
):
    cert = mentor.certifications.get()
    client_for(mentor).post(
        reverse("certification:document_upload", args=[cert.pk]),
        {"file": pdf("card.pdf"), "description": "Certificate"},
    )
    document = CertificationDocument.objects.get()
    url = reverse("certification:document", args=[document.pk])
    for user in (mentor, coordinator, admin_user):
        response = client_for(user).get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    for user in (other_mentor, outsider, mentee):
        assert client_for(user).get(url).status_code == 404


def test_evidence_is_served_only_to_those_who_may_see_it(
    client_for, mentor, coordinator, other_mentor, outsider
):
    entry = log_ce(mentor, evidence=pdf())
    url = reverse("certification:ce_evidence", args=[entry.pk])
    assert client_for(coordinator).get(url).status_code == 200
    for user in (other_mentor, outsider):
        assert client_for(user).get(url).status_code == 404


def test_my_certification_shows_status_days_left_bars_and_next_step(mentor_client, mentor):
    mentor.certifications.update(expires_on=program_day() + timedelta(days=120))
    page = mentor_client.get(reverse("certification:mine")).content.decode()
    assert (
        "active" in page
        and "120" in page
        and "law and ethics: 0 of 6 h" in page.lower().replace("Law", "law")
    )
    assert "Your renewal window opens on" in page


def test_coordinator_approves_from_the_queue(coordinator_client, mentor):
    entry = log_ce(mentor, hours="3")
    page = coordinator_client.get(reverse("certification:ce_queue")).content.decode()
    assert entry.course_title in page
    coordinator_client.post(reverse("certification:ce_approve", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.approved_at is not None


def build_report(program, other_program, coordinator, outsider):
    """Five certifications across states and programs."""
    from tests.mentorship.factories import make_mentor

    today = program_day()
    people = {
        "active": make_mentor(program, certified=False, full_name="Ana Active"),
        "window": make_mentor(program, certified=False, full_name="Wes Window"),
        "expiring": make_mentor(program, certified=False, full_name="Eve Expiring"),
        "lapsed": make_mentor(other_program, certified=False, full_name="Lou Lapsed"),
        "progress": make_mentor(other_program, certified=False, full_name="Pat Progress"),
    }
    certify(people["active"], expires_in_days=300)
    certify(people["window"], expires_in_days=75)
    certify(people["expiring"], expires_in_days=20)
    certify(people["lapsed"], expires_in_days=-5)
    certify(people["progress"], in_progress=True)
    ContinuingEducation.objects.create(
        holder=people["active"],
        course_title="Ethics",
        provider="P",
        hours=Decimal("6"),
        category="law_and_ethics",
        completed_on=today - timedelta(days=10),
        approved_by=coordinator,
        approved_at=timezone.now(),
    )
    return people


def names(response):
    return [row.certification.holder.full_name for row in response.context["rows"]]


def test_report_filters_and_summary(admin_client, program, other_program, coordinator, outsider):
    Certification.objects.all().delete()
    build_report(program, other_program, coordinator, outsider)
    url = reverse("certification:report")
    assert len(names(admin_client.get(url))) == 5
    assert names(admin_client.get(url, {"expires_within": 60})) == ["Eve Expiring"]
    assert names(admin_client.get(url, {"expires_within": 90})) == ["Eve Expiring", "Wes Window"]
    assert names(admin_client.get(url, {"status": "lapsed"})) == ["Lou Lapsed"]
    assert sorted(names(admin_client.get(url, {"program": other_program.pk}))) == [
        "Lou Lapsed",
        "Pat Progress",
    ]
    assert len(names(admin_client.get(url, {"county": program.county.upper()}))) == 3
    assert len(names(admin_client.get(url, {"certification_type": medi_cal().pk}))) == 5
    assert names(admin_client.get(url, {"sort": "holder"}))[0] == "Ana Active"
    response = admin_client.get(url)
    assert response.context["good_standing_share"] == 60
    assert dict(response.context["counts"])["expiring"] == 1


def test_coordinators_see_only_their_program_in_the_report(
    coordinator_client, program, other_program, coordinator, outsider
):
    Certification.objects.all().delete()
    build_report(program, other_program, coordinator, outsider)
    assert sorted(names(coordinator_client.get(reverse("certification:report")))) == [
        "Ana Active",
        "Eve Expiring",
        "Wes Window",
    ]


def test_report_csv_has_a_header_the_rows_and_a_telling_filename(
    admin_client, program, other_program, coordinator, outsider
):
    Certification.objects.all().delete()
    build_report(program, other_program, coordinator, outsider)
    response = admin_client.get(reverse("certification:report_csv"), {"expires_within": 60})
    disposition = response["Content-Disposition"]
    assert (
        f"peerpath-certifications-{timezone.now().date().isoformat()}-expires_within-60.csv"
        in disposition
    )
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["holder"] for r in rows] == ["Eve Expiring"]
    assert rows[0]["status"] == "Expiring" and rows[0]["days_left"] == "20"
    assert rows[0]["law_and_ethics_required"] == "6.0"


def test_report_api_gives_json_and_csv(admin_user, coordinator, program, other_program, outsider):
    Certification.objects.all().delete()
    build_report(program, other_program, coordinator, outsider)
    api = api_client_for(admin_user)
    data = api.get(reverse("api:report-certifications"), {"status": "window_open"}).json()
    assert [r["holder"] for r in data["results"]] == ["Wes Window"]
    assert data["summary"]["good_standing_share"] == 100
    response = api.get(reverse("api:report-certifications") + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert b"holder,email,program" in b"".join(response.streaming_content)


def test_mentors_and_mentees_get_no_report(mentor, mentee):
    for user in (mentor, mentee):
        assert api_client_for(user).get(reverse("api:report-certifications")).status_code == 403


def test_holders_log_ce_through_the_api_and_coordinators_approve(mentor, coordinator):
    api = api_client_for(mentor)
    response = api.post(
        reverse("api:continuing-education-list"),
        {
            "course_title": "Crisis care",
            "provider": "CalMHSA",
            "completed_on": program_day().isoformat(),
            "hours": "4",
            "category": "crisis",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    entry_id = response.json()["id"]
    assert api.post(reverse("api:continuing-education-approve", args=[entry_id])).status_code == 403
    response = api_client_for(coordinator).post(
        reverse("api:continuing-education-approve", args=[entry_id])
    )
    assert response.status_code == 200 and response.json()["approved"] is True


def test_only_admins_change_certification_types(admin_user, coordinator):
    url = reverse("api:certification-type-detail", args=[medi_cal().pk])
    assert (
        api_client_for(coordinator).patch(url, {"cycle_months": 12}, format="json").status_code
        == 403
    )
    assert (
        api_client_for(admin_user)
        .patch(url, {"renewal_window_days": 90}, format="json")
        .status_code
        == 200
    )


def test_the_seeded_types_carry_the_medi_cal_and_icrc_rules():
    from certification.models import CertificationType

    medi = medi_cal()
    assert (medi.issuing_body, medi.exam_body, medi.initial_training_hours, medi.cycle_months) == (
        "CalMHSA",
        "DHCS",
        80,
        24,
    )
    assert (
        medi.ce_hours_required == 20
        and medi.renewal_window_days == 90
        and medi.ethics_signed_at_renewal
    )
    assert [(r.category, r.hours) for r in medi.category_requirements.all()] == [
        ("law_and_ethics", 6)
    ]
    assert not medi.background_check_required and medi.lapse_rule == "refresher"
    icrc = CertificationType.objects.get(name="IC&RC Peer Recovery (PR)")
    assert icrc.cycle_months == 24 and icrc.ce_hours_required == 20


# --- Query budgets ------------------------------------------------------------------


def many_certifications(program, n):
    from accounts.models import User

    holders = User.objects.bulk_create(
        User(email=f"r{i}@example.org", full_name=f"R {i}", role="mentor", program=program)
        for i in range(n)
    )
    today = program_day()
    ctype = medi_cal()
    Certification.objects.bulk_create(
        Certification(
            holder=h,
            certification_type=ctype,
            training_completed_on=today - timedelta(days=800),
            exam_passed_on=today - timedelta(days=790),
            issued_on=today - timedelta(days=700),
            cycle_started_on=today - timedelta(days=700),
            expires_on=today + timedelta(days=i % 400 - 20),
        )
        for i, h in enumerate(holders)
    )
    ContinuingEducation.objects.bulk_create(
        ContinuingEducation(
            holder=h,
            course_title="C",
            provider="P",
            hours=Decimal("2"),
            category="other",
            completed_on=today - timedelta(days=30),
        )
        for h in holders
    )


@pytest.mark.parametrize("size", [10, 500])
def test_report_query_count_is_constant(
    size, admin_client, admin_user, program, django_assert_num_queries
):
    many_certifications(program, size)
    # 1 session, 2 user with the MFA check (accounts.backends), 3 programs for the filter,
    # 4 types for the filter, 5 the programs' time zones, 6 the summary by status, 7 the
    # page of certifications with holders and types, 8 their CE requirements, 9 their
    # holders' CE entries
    with django_assert_num_queries(9):
        assert admin_client.get(reverse("certification:report")).status_code == 200
    api = api_client_for(admin_user)
    # 1 token, 2 and 3 the rate limits' counts (the user's and the exports',
    # core.api.throttling), 4 time zones, 5 summary, 6 page, 7 requirements,
    # 8 CE entries
    with django_assert_num_queries(8):
        data = api.get(reverse("api:report-certifications")).json()
    assert len(data["results"]) == min(size, 50) and data["count"] == size
    # 1 session, 2 user with the MFA check, 3 time zones, 4 types, 5 their
    # requirements, 6 the cursor's transaction (a savepoint here, in a test's),
    # 7 its plan for every row (SET LOCAL), 8 the certifications with their CE
    # hours (one cursor, whatever the size), 9 the savepoint's release
    with django_assert_num_queries(9):
        response = admin_client.get(reverse("certification:report_csv"))
        assert len(b"".join(response.streaming_content).splitlines()) == size + 1


@pytest.mark.parametrize("size", [10, 100])
def test_certification_and_ce_api_lists_query_counts_are_constant(
    size, admin_user, program, django_assert_num_queries
):
    many_certifications(program, size)
    api = api_client_for(admin_user)
    # 1 token, 2 the rate limit's count (core.api.throttling), 3 count and page of
    # certifications (one statement: config.api_pagination), 4 requirements, 5 CE of the
    # page's holders
    with django_assert_num_queries(5):
        assert api.get(reverse("api:certification-list")).status_code == 200
    # 1 token, 2 the rate limit's count (core.api.throttling), 3 count and page of CE
    with django_assert_num_queries(3):
        assert api.get(reverse("api:continuing-education-list")).status_code == 200
