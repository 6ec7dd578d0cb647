"""Every figure of the outcome report on a known dataset, each number worked
out here by hand; the same numbers on the page, in the CSV and the API."""

import csv
import io
import math
from datetime import date
from statistics import NormalDist

import pytest
from django.urls import reverse

from checkins.models import CheckIn, RecoveryCapitalAssessment
from mentorship.models import MenteeStatusChange
from recovery_plans.models import Goal
from reports.services import outcome_report, period_of
from tests.recovery_plans.factories import make_plan
from tests.reports.factories import barc, checkin, make_mentees

pytestmark = pytest.mark.django_db

USE_JAN = [4, 6, 2, 8, 3, 5, 7, 1, 0, 9, 4, 6]
USE_MAR = [1, 2, 2, 3, 0, 1, 2, 1, 0, 4, 1, 2]
CRAVING_JAN = [8, 7, 6, 9, 5, 7, 8, 6, 4, 9, 7, 8]
CRAVING_MAR = [4, 5, 6, 5, 3, 4, 6, 5, 4, 6, 5, 4]
PERIOD = period_of(date(2026, 1, 1), date(2026, 3, 1))
HIDDEN = "fewer than 11"


@pytest.fixture
def dataset(program, coordinator, mentor):
    active = make_mentees(program, coordinator, 12)
    discharged = make_mentees(program, coordinator, 3, status="discharged")
    graduated = make_mentees(program, coordinator, 1, status="graduated")
    MenteeStatusChange.objects.bulk_create(
        MenteeStatusChange(
            mentee=m, from_status="active", to_status=m.status,
            changed_on=date(2026, 2, 14), changed_by=coordinator,
        )
        for m in discharged + graduated
    )  # fmt: skip
    rows = []
    for n, mentee in enumerate(active):
        rows.append(checkin(mentee, mentor, date(2026, 1, 10), substance_use_days=USE_JAN[n],
                            craving_level=CRAVING_JAN[n], next_checkin_on=date(2026, 1, 17)))  # fmt: skip
        rows.append(checkin(mentee, mentor, date(2026, 3, 10), substance_use_days=USE_MAR[n],
                            craving_level=CRAVING_MAR[n]))  # fmt: skip
    for mentee in active[:3]:
        rows.append(checkin(mentee, mentor, date(2026, 2, 3), kind=CheckIn.Kind.ATTEMPT,
                            delivery_method="telephone", support_types=[]))  # fmt: skip
    # A voided check-in counts nowhere.
    rows.append(checkin(active[0], mentor, date(2026, 2, 5), substance_use_days=30,
                        voided_at=at_noon(program), voided_by=mentor, void_reason="Wrong mentee"))  # fmt: skip
    CheckIn.objects.bulk_create(rows)
    RecoveryCapitalAssessment.objects.bulk_create(
        [barc(m, mentor, date(2026, 1, 12), 40) for m in active]
        + [barc(m, mentor, date(2026, 3, 12), 48 if n < 8 else 44) for n, m in enumerate(active)]
    )
    for mentee in active[:11]:
        plan = make_plan(mentee, coordinator, goals=1, steps=0)
        Goal.objects.filter(plan=plan).update(status=Goal.Status.ACHIEVED)
    return active


def at_noon(program):
    from tests.reports.factories import at

    return at(program, date(2026, 2, 6))


def table(report, key):
    return {row.label: [c.text for c in row.cells] for row in report.figure(key).rows}


def test_every_figure_on_the_known_dataset(program, dataset):
    report = outcome_report(programs=[program], period=PERIOD)

    # 12 active, 3 discharged, 1 graduated: the two small ones hidden (two
    # hidden cells of the total: no third needed).
    assert table(report, "status") == {
        "referred": ["0"], "active": ["12"], "on hold": ["0"],
        "discharged": [HIDDEN], "graduated": [HIDDEN],
    }  # fmt: skip
    # Active at each month's end, from the history: all 16 on Jan 31 (the
    # exits were on Feb 14), 12 after.
    assert table(report, "flow") == {
        "2026-01": ["16", "0", "0", "16"],
        "2026-02": ["0", HIDDEN, HIDDEN, "12"],
        "2026-03": ["0", "0", "0", "12"],
    }  # fmt: skip
    assert table(report, "checkins_per_month") == {
        "2026-01": ["12", "12", "1.0"], "2026-02": ["0", "0", "–"], "2026-03": ["12", "12", "1.0"],
    }  # fmt: skip
    engagement = table(report, "engagement")
    # 24 contacts and 3 attempts: 24 / 27 = 88.9%.
    assert engagement["Contacts made of those attempted"] == ["89%", "12"]
    # Jan 10 to Mar 10 is 59 days, one gap per mentee.
    assert engagement["Median days between check-ins"] == ["59.0", "12"]
    # Every Jan 17 next date was missed (the next check-in was in March).
    assert engagement["Scheduled check-ins that happened on time"] == ["0%", "12"]
    # On Mar 31 every active mentee's latest check-in is 21 days old.
    assert engagement["Active mentees without a check-in for 14 days"] == ["100%", "12"]
    assert engagement["Active mentees without a check-in for 30 days"] == ["0%", "0"]
    assert table(report, "delivery") == {
        "in person": ["24", "100%"], "telephone": ["0", "0%"], "telehealth": ["0", "0%"],
    }  # fmt: skip
    assert table(report, "support")["emotional"] == ["24", "100%"]
    assert table(report, "support")["informational"] == ["0", "0%"]

    # Days of use per 30 days: January and March both have 31 days.
    first = [u * 30 / 31 for u in USE_JAN]
    latest = [u * 30 / 31 for u in USE_MAR]
    changes = [b - a for a, b in zip(first, latest, strict=True)]
    use = report.outcomes[0]
    assert use.shown and use.change.n == 12
    assert use.change.mean_first == pytest.approx(sum(first) / 12)
    assert use.change.mean_change == pytest.approx(sum(changes) / 12)
    mean = sum(changes) / 12
    sd = math.sqrt(sum((c - mean) ** 2 for c in changes) / 11)
    half = 2.2010 * sd / math.sqrt(12)  # t(0.975, 11) from the table
    assert use.change.ci_low == pytest.approx(mean - half, abs=1e-3)
    assert use.change.ci_high == pytest.approx(mean + half, abs=1e-3)
    # Signed ranks by hand: two mentees unchanged (2->2, 0->0, 1->1 is three).
    changed = [c for c in changes if abs(c) > 1e-9]
    assert use.test.n == len(changed) == 9
    assert use.test.w_plus == 0  # nobody used more
    n = len(changed)
    ranks_sum = n * (n + 1) / 2
    assert use.test.w_minus == pytest.approx(ranks_sum)
    craving = report.outcomes[1]
    assert craving.change.mean_change == pytest.approx((sum(CRAVING_MAR) - sum(CRAVING_JAN)) / 12)
    assert table(report, "outcomes")["Mean craving level (0–10)"] == [
        f"{sum(CRAVING_JAN) / 12:.1f}", f"{sum(CRAVING_MAR) / 12:.1f}",
        f"{(sum(CRAVING_MAR) - sum(CRAVING_JAN)) / 12:.1f}", "12",
    ]  # fmt: skip

    barc10 = table(report, "barc10")
    # First 40 for all 12; latest 48 for 8 and 44 for 4: mean (8*48 + 4*44) / 12.
    assert barc10["Mean total"] == ["40.0", f"{(8 * 48 + 4 * 44) / 12:.1f}"]
    # 0 of 12 at or above 47 first; 8 of 12 latest leaves 4 below: hidden.
    assert barc10["Share at or above 47"] == ["0%", HIDDEN]

    goals = table(report, "goals")
    assert goals["Health"] == ["11", "11", "100%"]
    assert goals["Home"] == ["0", "0", "–"]
    assert table(report, "linkage")["food"] == ["0", "0"]


def test_fewer_than_eleven_mentees_show_no_change(program, coordinator, mentor):
    mentees = make_mentees(program, coordinator, 10)
    CheckIn.objects.bulk_create(
        checkin(m, mentor, day, substance_use_days=n % 3, craving_level=5)
        for n, m in enumerate(mentees)
        for day in (date(2026, 1, 10), date(2026, 3, 10))
    )
    report = outcome_report(programs=[program], period=PERIOD)
    assert not report.outcomes[0].shown
    assert table(report, "outcomes")["Days of substance use per 30 days"] == [HIDDEN] * 4


def test_an_empty_program_explains_instead_of_charting(coordinator_client):
    response = coordinator_client.get(reverse("reports:outcomes"))
    assert response.status_code == 200
    assert "Nothing to chart" in response.content.decode()
    assert "<rect" not in response.content.decode()


def test_page_csv_and_api_show_the_same_numbers(program, dataset, coordinator_client):
    query = "?start=2026-01&end=2026-03"
    page = coordinator_client.get(reverse("reports:outcomes") + query).content.decode()
    assert "89%" in page and HIDDEN in page and "Wilcoxon signed-rank" in page
    response = coordinator_client.get(reverse("reports:outcomes_csv") + query)
    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["program", "first month", "last month", "figure", "row", "column", "value"]
    by_cell = {(r[3], r[4], r[5]): r[6] for r in rows[1:]}
    assert by_cell[("Engagement", "Contacts made of those attempted", "Value")] == "89%"
    assert by_cell[("Mentees by status", "discharged", "Mentees")] == HIDDEN
    api = coordinator_client.get(reverse("api:report-outcomes") + query).json()
    figures = {f["key"]: f for f in api["figures"]}
    status = {r["label"]: r["cells"][0] for r in figures["status"]["rows"]}
    assert status["active"]["value"] == 12
    assert status["discharged"] == {"value": None, "suppressed": True, "text": HIDDEN}
    use = api["outcomes"][0]
    assert use["mentees"] == 12 and use["test"] == "wilcoxon_signed_rank"
    # Nine changed, all down: statistic 0, mean 22.5, variance 9*10*19/24
    # less the ties' corrections (equal changes share ranks).
    report = outcome_report(programs=[program], period=PERIOD)
    assert use["p_value"] == round(report.outcomes[0].test.p_value, 4)
    assert use["p_value"] < 2 * NormalDist().cdf((0 - 22.5 + 0.5) / math.sqrt(71.25))


@pytest.mark.parametrize(
    ("start", "end"), [("2026-03", "2026-01"), ("2023-01", "2026-03"), ("x", "")]
)
def test_a_refused_period_shows_its_error_and_no_report(coordinator_client, start, end):
    response = coordinator_client.get(reverse("reports:outcomes"), {"start": start, "end": end})
    assert response.status_code == 200
    assert response.context["report"] is None
    api = coordinator_client.get(reverse("api:report-outcomes"), {"start": start, "end": end})
    assert api.status_code == 400


def test_on_time_is_judged_on_the_programs_day(program, coordinator, mentor):
    """A check-in at 23:30 on the scheduled day where the program is (07:30
    the next day in UTC) is on time; one at 00:30 the next day is not."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from reports.services import _Zone, _zone_figures

    zone = ZoneInfo(program.time_zone)
    early, late = make_mentees(program, coordinator, 2)
    rows = [
        checkin(m, mentor, date(2026, 1, 10), next_checkin_on=date(2026, 1, 17))
        for m in (early, late)
    ]
    rows.append(checkin(early, mentor, date(2026, 1, 17)))
    rows[-1].occurred_at = datetime(2026, 1, 17, 23, 30, tzinfo=zone)
    rows.append(checkin(late, mentor, date(2026, 1, 18)))
    rows[-1].occurred_at = datetime(2026, 1, 18, 0, 30, tzinfo=zone)
    CheckIn.objects.bulk_create(rows)
    into = _Zone()
    _zone_figures([program.pk], PERIOD, program.time_zone, into)
    # Scheduled, their mentees, on time, the mentees on time.
    assert into.on_time == [2, 2, 1, 1]
