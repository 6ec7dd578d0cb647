"""core.together: several querysets read in one statement come back exactly
as each would read alone (models with select_related, values, values_list,
a UNION, dates, moments, decimals, JSON), and the API's pages count and read
their rows in one statement."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext

from certification.models import CertificationType, ContinuingEducation
from checkins.models import CheckIn
from core.together import Later, fill_together, resolve_together
from mentorship.models import MenteeProfile
from tests.certification.factories import log_ce
from tests.checkins.factories import make_checkin

pytestmark = pytest.mark.django_db


def querysets(mentee_profile, mentor):
    return [
        CheckIn.objects.select_related("mentee", "author").order_by("pk"),
        CheckIn.objects.order_by("-pk").values("id", "occurred_at", "support_types", "mood"),
        ContinuingEducation.objects.order_by("pk").values_list("hours", "completed_on"),
        CertificationType.objects.order_by("pk").values_list("ce_hours_required", flat=True),
        MenteeProfile.objects.filter(pk=mentee_profile.pk)
        .annotate(kind=Value("mentee"))
        .values_list("kind", "intake_date")
        .union(
            MenteeProfile.objects.filter(pk=-1).annotate(kind=Value("none"))
            .values_list("kind", "intake_date"),
            all=True,
        ),
        CheckIn.objects.none(),
        CheckIn.objects.filter(pk__in=[]),
        CheckIn.objects.order_by("pk")[1:2],
    ]  # fmt: skip


def test_rows_read_together_are_the_rows_read_alone(mentee_profile, mentor):
    for i in range(3):
        make_checkin(mentee_profile, mentor, days_ago=i, support_types=["emotional", "ñ"])
    log_ce(mentor, hours="1.5")
    log_ce(mentor, hours="2.0")
    alone = [list(qs) for qs in querysets(mentee_profile, mentor)]
    together = querysets(mentee_profile, mentor)
    with CaptureQueriesContext(connection) as captured:
        fill_together(together)
        read = [list(qs) for qs in together]
    assert len(captured) == (1 if connection.vendor == "postgresql" else 6)
    assert read == alone
    # The values themselves, not only their equality: types and scale kept.
    checkins, values, hours, required = read[0], read[1], read[2], read[3]
    assert [c.mentee.preferred_name for c in checkins] == [
        c.mentee.preferred_name for c in alone[0]
    ]
    assert values[0]["support_types"] == ["emotional", "ñ"]
    assert values[0]["occurred_at"] == alone[1][0]["occurred_at"]
    assert values[0]["occurred_at"].tzinfo is not None
    assert hours[0] == (Decimal("1.5"), alone[2][0][1]) and str(hours[1][0]) == "2.0"
    assert all(isinstance(r, Decimal) for r in required)


def test_later_shapes_and_resolve_together_fills_dicts(mentee_profile, mentor):
    make_checkin(mentee_profile, mentor)
    later = Later(
        CheckIn.objects.all(), MenteeProfile.objects.all(), shape=lambda a, b: len(a) + len(b)
    )
    plain = CheckIn.objects.all()
    with CaptureQueriesContext(connection) as captured:
        (shaped, data) = resolve_together([later, {"n": later, "rows": plain, "x": 1}])
    assert shaped == 2 and data["n"] == 2 and data["x"] == 1
    with CaptureQueriesContext(connection) as after:
        assert len(data["rows"]) == 1
    assert len(after) == 0
    assert len(captured) == (1 if connection.vendor == "postgresql" else 2)


def test_prefetches_run_afterwards(mentee_profile, mentor):
    make_checkin(mentee_profile, mentor)
    profiles = MenteeProfile.objects.prefetch_related("checkins").order_by("pk")
    with CaptureQueriesContext(connection) as captured:
        fill_together([profiles, CheckIn.objects.all()])
        assert [len(p.checkins.all()) for p in profiles] == [1]
    assert len(captured) == (2 if connection.vendor == "postgresql" else 3)
