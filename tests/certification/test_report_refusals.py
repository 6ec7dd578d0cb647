"""The report's filters are read by one form for the page, its CSV and the API:
a value it refuses is shown or answered as an error naming the field, never
dropped in favour of an unfiltered report. And every cell of the CSV is safe
to open in a spreadsheet, its file name safe in the header."""

import csv
import io

import pytest
from django.urls import reverse

from certification.filters import EXPIRES_WITHIN_MAX_DAYS
from core.csv_export import FILENAME_MAX_LENGTH
from tests.accounts.test_api import api_client_for
from tests.api_errors import api_errors
from tests.certification.factories import certify
from tests.mentorship.factories import make_mentor

pytestmark = pytest.mark.django_db

REFUSED = [
    ("county", "Sacra\x00mento", "Null characters are not allowed"),
    ("status", "great", "Select a valid choice"),
    ("program", "abc", "Select a valid choice"),
    ("program", "6639009450995181523304448", "Select a valid choice"),
    ("certification_type", "999999", "Select a valid choice"),
    ("expires_within", "-1", "greater than or equal to 0"),
    ("expires_within", str(EXPIRES_WITHIN_MAX_DAYS + 1), "less than or equal to"),
    ("expires_within", "soon", "Enter a whole number"),
    ("sort", "password", "Select a valid choice"),
]


@pytest.fixture
def certified(program):
    holder = make_mentor(program, certified=False, full_name="Ana Active")
    certify(holder, expires_in_days=30)
    return holder


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.mark.parametrize(("field", "value", "message"), REFUSED)
def test_the_page_shows_a_refused_filter_and_no_rows(
    coordinator_client, certified, field, value, message
):
    response = coordinator_client.get(reverse("certification:report"), {field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert response.context["rows"] == []
    page = response.content.decode()
    assert message in page
    assert "Download CSV" not in page
    assert "Ana Active" not in page


@pytest.mark.parametrize(("field", "value", "message"), REFUSED)
def test_the_csv_refuses_a_filter_with_a_400_naming_it(
    coordinator_client, certified, field, value, message
):
    response = coordinator_client.get(reverse("certification:report_csv"), {field: value})
    assert response.status_code == 400
    body = response.content.decode()
    assert body.startswith(f"{field}: ") and message in body
    assert "Ana Active" not in body


@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize(("field", "value", "message"), REFUSED)
def test_the_api_refuses_a_filter_with_a_400_naming_it(
    coordinator, certified, field, value, message, fmt
):
    response = api_client_for(coordinator).get(
        reverse("api:report-certifications"), {field: value, "format": fmt}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert field in body and message in body
    assert "Ana Active" not in body
    if fmt == "json":
        assert list(api_errors(response)) == [field]
    else:
        assert response["Content-Type"].startswith("text/csv")
        assert [row["field"] for row in csv.DictReader(io.StringIO(body.lstrip("\ufeff")))] == [
            field
        ]


def test_a_program_the_reader_cannot_see_is_refused_not_reported_empty(
    coordinator, other_program, certified
):
    response = api_client_for(coordinator).get(
        reverse("api:report-certifications"), {"program": other_program.pk}
    )
    assert response.status_code == 400
    assert "program" in api_errors(response)


@pytest.mark.parametrize(
    ("days", "accepted"),
    [(-1, False), (0, True), (EXPIRES_WITHIN_MAX_DAYS, True), (EXPIRES_WITHIN_MAX_DAYS + 1, False)],
)
def test_expires_within_runs_from_0_to_ten_years(coordinator_client, certified, days, accepted):
    response = coordinator_client.get(reverse("certification:report"), {"expires_within": days})
    assert response.context["form"].is_valid() is accepted
    expected = ["Ana Active"] if days == EXPIRES_WITHIN_MAX_DAYS else []
    assert [row.certification.holder.full_name for row in response.context["rows"]] == expected


@pytest.mark.parametrize("sort", ["holder", "-holder", "expires_on", "-ce", "county"])
def test_every_sort_the_page_links_to_is_accepted(coordinator_client, certified, sort):
    response = coordinator_client.get(reverse("certification:report"), {"sort": sort})
    assert response.context["form"].is_valid()
    assert len(response.context["rows"]) == 1


def test_the_page_links_only_to_sorts_the_form_accepts(coordinator_client, certified):
    import re

    page = coordinator_client.get(reverse("certification:report")).content.decode()
    sorts = set(re.findall(r"sort=([-\w]+)", page))
    assert sorts
    for sort in sorts:
        response = coordinator_client.get(reverse("certification:report"), {"sort": sort})
        assert response.context["form"].is_valid(), sort


# --- CSV cells and file names ------------------------------------------------

HOSTILE_NAMES = ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def test_cells_that_would_be_formulas_are_neutralised(admin_client, program):
    for name in HOSTILE_NAMES:
        holder = make_mentor(program, certified=False, full_name=name)
        certify(holder, expires_in_days=-5, number=name)
    rows = csv_rows(admin_client.get(reverse("certification:report_csv")))
    assert sorted(row["holder"] for row in rows) == sorted("'" + name for name in HOSTILE_NAMES)
    assert {row["number"] for row in rows} == {"'" + name for name in HOSTILE_NAMES}
    # days left is a number the report computed: written as a number, not quoted
    assert {row["days_left"] for row in rows} == {"-5"}


def test_the_api_csv_neutralises_cells_too(admin_user, program):
    holder = make_mentor(program, certified=False, full_name="=1+1")
    certify(holder)
    response = api_client_for(admin_user).get(reverse("api:report-certifications") + "?format=csv")
    assert [row["holder"] for row in csv_rows(response)] == ["'=1+1"]


@pytest.mark.parametrize(
    ("county", "expected"),
    [
        ('Los Angeles"; rm', "county-Los_Angeles_rm"),
        ("San Luis\r\nObispo", "county-San_Luis_Obispo"),
        ("../../etc/passwd", "county-.._.._etc_passwd"),
        ("Ñuble", "county-_uble"),
    ],
)
def test_the_file_name_carries_only_safe_characters(admin_client, program, county, expected):
    response = admin_client.get(reverse("certification:report_csv"), {"county": county})
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    name = disposition.removeprefix('attachment; filename="').removesuffix('"')
    assert name.endswith(f"-{expected}.csv")
    assert disposition.count('"') == 2
    assert "\r" not in disposition and "\n" not in disposition and ";" not in name


def test_the_file_name_is_bounded(admin_client, program):
    response = admin_client.get(reverse("certification:report_csv"), {"county": "x" * 500})
    name = response["Content-Disposition"].removeprefix('attachment; filename="')[:-1]
    assert len(name) == FILENAME_MAX_LENGTH + len(".csv")


def test_the_csv_uses_the_words_of_the_page(admin_client, mentor):
    """Status and yes/no columns read as the page reads them, not as codes."""
    import csv as csv_module
    import io as io_module

    from certification.models import Certification
    from tests.certification.factories import certify

    Certification.objects.filter(holder=mentor).delete()
    certify(mentor, expires_in_days=75)
    response = admin_client.get(reverse("certification:report_csv"))
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    (row,) = csv_module.DictReader(io_module.StringIO(text))
    assert row["status"] == "Renewal window open"
    assert row["background_check_required"] in ("Yes", "No")
