"""The resource directory: coordinators maintain it, search finds by
category, language and text, entries unverified for 12 months are flagged,
and a CSV import saves every row or none."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from referrals import services
from referrals.models import Resource
from referrals.selectors import resource_search
from tests.referrals.factories import make_resource

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 27, 5, tzinfo=UTC)  # Nov 26 in Sacramento
TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_coordinators_add_entries_and_mentors_do_not(program, coordinator, mentor, outsider):
    entry = services.resource_create(
        program=program, by=coordinator, organisation=" Delta House ", categories=["housing"]
    )
    assert entry.organisation == "Delta House"
    for user in (mentor, outsider):
        with pytest.raises(PermissionDenied):
            services.resource_create(
                program=program, by=user, organisation="Other", categories=["food"]
            )


def test_an_entry_needs_a_name_a_known_category_and_no_future_verification(program, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.resource_create(
            program=program,
            by=coordinator,
            organisation="",
            categories=["spa"],
            last_verified_on=date(2026, 11, 27),
        )
    assert set(refused.value.message_dict) == {"organisation", "categories", "last_verified_on"}
    services.resource_create(
        program=program, by=coordinator, organisation="A", categories=["food"],
        last_verified_on=TODAY,
    )  # fmt: skip


def test_the_same_organisation_is_in_a_directory_once(program, coordinator, other_program):
    make_resource(program, "Delta House")
    with pytest.raises(ValidationError) as refused:
        services.resource_create(
            program=program, by=coordinator, organisation="delta house", categories=["housing"]
        )
    assert "organisation" in refused.value.message_dict
    make_resource(other_program, "Delta House")  # another program's directory


def test_search_by_category_language_and_text(program, coordinator, other_program):
    make_resource(program, "Delta House", categories=["housing"], languages=["en", "es"])
    make_resource(program, "River Clinic", categories=["mat", "primary_care"], languages=["en"])
    make_resource(program, "Food Bank", categories=["food"], notes="Tuesday produce")
    make_resource(other_program, "Fresno House", categories=["housing"], languages=["es"])

    def names(**query):
        return [r.organisation for r in resource_search(user=coordinator, **query)]

    assert names(category="housing") == ["Delta House"]
    assert names(category="mat") == ["River Clinic"]
    assert names(language="es") == ["Delta House"]
    assert names(text="produce") == ["Food Bank"]
    assert names(text="river clinic") == ["River Clinic"]
    assert names() == ["Delta House", "Food Bank", "River Clinic"]


def test_an_entry_is_flagged_twelve_months_after_its_verification(program):
    flagged_since = date(2025, 11, 26)
    on_the_day = make_resource(program, "A", last_verified_on=flagged_since)
    day_after = make_resource(program, "B", last_verified_on=date(2025, 11, 27))
    day_before = make_resource(program, "C", last_verified_on=date(2025, 11, 25))
    never = make_resource(program, "D", last_verified_on=None)
    assert on_the_day.needs_verification(TODAY)
    assert not day_after.needs_verification(TODAY)
    assert day_before.needs_verification(TODAY)
    assert never.needs_verification(TODAY)
    flagged = Resource.objects.unverified_on(TODAY).values_list("organisation", flat=True)
    assert sorted(flagged) == ["A", "C", "D"]


def test_an_import_with_one_bad_row_saves_nothing(program, coordinator):
    rows = [
        {"organisation": "Delta House", "categories": ["housing"]},
        {"organisation": "", "categories": ["food"]},
        {"organisation": "River Clinic", "categories": ["mat"]},
    ]
    with pytest.raises(ValidationError) as refused:
        services.resources_import(program=program, by=coordinator, rows=rows)
    assert refused.value.messages == ["row 3: Name the organisation."]
    assert not Resource.objects.exists()


def test_an_import_naming_an_organisation_twice_saves_nothing(program, coordinator):
    rows = [
        {"organisation": "Delta House", "categories": ["housing"]},
        {"organisation": "delta house", "categories": ["housing"]},
    ]
    with pytest.raises(ValidationError) as refused:
        services.resources_import(program=program, by=coordinator, rows=rows)
    assert refused.value.messages == ["row 3: This organisation is in the file twice."]
    assert not Resource.objects.exists()


def test_a_valid_import_saves_every_row(program, coordinator, mentor):
    rows = [
        {"organisation": "Delta House", "categories": ["housing"]},
        {"organisation": "River Clinic", "categories": ["mat"], "accepts_medi_cal": True},
    ]
    with pytest.raises(PermissionDenied):
        services.resources_import(program=program, by=mentor, rows=rows)
    services.resources_import(program=program, by=coordinator, rows=rows)
    assert Resource.objects.filter(program=program).count() == 2


def test_an_organisation_added_meanwhile_is_refused_beside_the_name(program, coordinator):
    """Two coordinators add one organisation at once: both pass the check,
    the second's insert meets the first's row and is told so in words,
    beside the organisation (resource_organisation_unique_in_program)."""
    from unittest import mock

    services.resource_create(
        program=program, by=coordinator, organisation="Delta House", categories=["housing"]
    )
    with (
        mock.patch.object(services, "_resource_rules", return_value={}),
        pytest.raises(ValidationError) as refused,
    ):
        services.resource_create(
            program=program, by=coordinator, organisation="DELTA HOUSE", categories=["food"]
        )
    assert refused.value.message_dict == {
        "organisation": ["The directory already has this organisation."]
    }
    assert Resource.objects.filter(program=program).count() == 1
