"""Lean list serializers render each row exactly as DRF's own
to_representation would, and refuse what is not lean."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from rest_framework import serializers

from checkins.api.serializers import CheckInForMenteeSerializer, CheckInListSerializer
from checkins.selectors import checkin_rows
from core.api.serializers import LeanListSerializer
from mentorship.api.serializers import MenteeListSerializer
from mentorship.models import MenteeProfile
from mentorship.selectors import mentee_rows
from tests.checkins.factories import make_checkin
from tests.mentorship.factories import MenteeProfileFactory

pytestmark = pytest.mark.django_db


def drf_rows(serializer_class, rows):
    """What DRF's generic ModelSerializer.to_representation gives."""
    serializer = serializer_class()
    return [serializers.ModelSerializer.to_representation(serializer, row) for row in rows]


def lean_rows(serializer_class, rows):
    return list(serializer_class(rows, many=True).data)


@pytest.mark.parametrize("zone", ["UTC", "America/Los_Angeles"])
def test_checkin_rows_are_drfs(zone, coordinator, mentor, mentee_profile):
    make_checkin(mentee_profile, mentor, days_ago=2, next_checkin_on=timezone.localdate())
    make_checkin(
        mentee_profile,
        mentor,
        kind="attempt",
        mood=None,
        craving_level=None,
        substance_use_days=None,
        duration_minutes=None,
        support_types=[],
    )
    make_checkin(
        mentee_profile,
        mentor,
        crisis_flag=True,
        crisis_notes="PHI-MARKER",
        crisis_handled_at=timezone.now() - timedelta(minutes=3),
    )
    rows = list(checkin_rows(user=coordinator))
    with timezone.override(ZoneInfo(zone)):
        for serializer_class in (CheckInListSerializer, CheckInForMenteeSerializer):
            assert lean_rows(serializer_class, rows) == drf_rows(serializer_class, rows)


def test_mentee_rows_are_drfs(coordinator, program, mentor, mentee_profile):
    MenteeProfileFactory(program=program, county="")
    rows = list(mentee_rows(user=coordinator))
    assert len(rows) == 2
    assert lean_rows(MenteeListSerializer, rows) == drf_rows(MenteeListSerializer, rows)
    assert {row["current_mentor"] for row in lean_rows(MenteeListSerializer, rows)} == {
        mentor.pk,
        None,
    }


def test_a_list_row_reads_no_more_than_the_list_loads(
    coordinator, mentor, mentee_profile, django_assert_num_queries
):
    for days in range(3):
        make_checkin(mentee_profile, mentor, days_ago=days)
    with django_assert_num_queries(1):
        lean_rows(CheckInListSerializer, checkin_rows(user=coordinator))
    with django_assert_num_queries(1):
        lean_rows(MenteeListSerializer, mentee_rows(user=coordinator))


class WithAMethodField(LeanListSerializer):
    shout = serializers.SerializerMethodField()

    class Meta:
        model = MenteeProfile
        fields = ["id", "shout"]

    def get_shout(self, mentee):
        return mentee.preferred_name.upper()


class WithADottedSource(LeanListSerializer):
    program_name = serializers.CharField(source="program.name")

    class Meta:
        model = MenteeProfile
        fields = ["id", "program_name"]


@pytest.mark.parametrize("serializer_class", [WithAMethodField, WithADottedSource])
def test_what_is_not_lean_is_refused(serializer_class, mentee_profile):
    with pytest.raises(ImproperlyConfigured):
        serializer_class(mentee_profile).data  # noqa: B018


def test_the_lists_are_part_of_their_details_which_keep_every_field():
    from checkins.api.serializers import CheckInSerializer
    from mentorship.api.serializers import MenteeProfileSerializer

    for lean, detail, only_in_detail in [
        (CheckInListSerializer, CheckInSerializer, {"notes", "crisis_notes", "goals_discussed"}),
        (MenteeListSerializer, MenteeProfileSerializer, {"legal_name", "phone", "email"}),
    ]:
        assert set(lean.Meta.fields) < set(detail.Meta.fields)
        assert only_in_detail <= set(detail.Meta.fields) - set(lean.Meta.fields)
