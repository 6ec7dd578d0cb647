"""The report as a PDF a funder can take: the programs, the months, the date
it was made, every figure's definition and every number of the page (read
back from the file with pypdf), and who exported it, recorded."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AccessEvent
from core.pdf_text import latin1
from reports.pdf import change_rows
from tests.reports.test_outcomes import dataset  # noqa: F401 (the known dataset)

pytestmark = pytest.mark.django_db

QUERY = {"start": "2026-01", "end": "2026-03"}


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def in_order(text: str, parts: list[str]) -> bool:
    """Each part found after the one before it (a table row: label, cells)."""
    at = 0
    for part in parts:
        at = text.find(" ".join(latin1(part).split()), at)
        if at < 0:
            return False
    return True


@pytest.mark.usefixtures("dataset")
def test_the_pdf_has_every_number_and_word_of_the_page(coordinator_client, program):
    page = coordinator_client.get(reverse("reports:outcomes"), QUERY)
    report = page.context["report"]
    text = pdf_text(coordinator_client.get(reverse("reports:outcomes_pdf"), QUERY))

    assert "Program outcome report" in text
    assert f"Programs {program.name}" in text
    assert "Months 2026-01 - 2026-03" in text
    assert re.search(r"Generated \d{4}-\d{2}-\d{2} \d{2}:\d{2} [+-]\d{4}", text)
    assert "Small cells: a count, mean or share" in text
    for figure in report.figures:
        assert in_order(text, [figure.title, figure.definition, *figure.columns]), figure.key
        for row in figure.rows:
            assert in_order(text, [figure.title, row.label, *(c.text for c in row.cells)]), (
                figure.key,
                row.label,
            )
    # The change and its test, as the page formats them (floatformat 2 and 4).
    assert "Wilcoxon signed-rank test" in text
    content = page.content.decode()
    for row in change_rows(report):
        assert in_order(text, [row.title, *row.cells])
        for cell in row.cells:
            assert cell in content  # the page shows the same text
    # Hidden cells say so, never their number.
    assert "fewer than 11" in text


@pytest.mark.usefixtures("dataset")
def test_the_pdf_is_named_and_recorded(coordinator_client, coordinator):
    response = coordinator_client.get(reverse("reports:outcomes_pdf"), QUERY)
    assert response["Content-Disposition"] == (
        'attachment; filename="outcomes-Sacramento_Peer_Recovery-2026-01-2026-03.pdf"'
    )
    (event,) = AccessEvent.objects.all()
    assert (event.user_id, event.action, event.object_type) == (
        coordinator.pk,
        "export",
        "outcome_report",
    )
    assert event.mentee_ids == []


def test_an_empty_program_says_why_there_is_no_chart(coordinator_client):
    text = pdf_text(coordinator_client.get(reverse("reports:outcomes_pdf"), QUERY))
    assert "Nothing to chart" in text
    assert "Not shown: fewer than 11 mentees have this measure" in text


def test_a_refused_month_is_the_pages_error_not_a_pdf(coordinator_client):
    response = coordinator_client.get(reverse("reports:outcomes_pdf"), {"start": "2026-13"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
