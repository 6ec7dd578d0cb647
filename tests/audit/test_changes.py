"""Changes to mentee data keep before and after values, even when written by
QuerySet.update() or bulk_create, through PostgreSQL triggers."""

import pytest

from audit.models import ChangeEvent
from checkins.models import CheckIn
from tests.checkins.factories import make_checkin
from tests.services import require_postgres

pytestmark = pytest.mark.django_db


def test_a_queryset_update_of_check_ins_keeps_before_and_after(mentee_profile, mentor):
    require_postgres()
    checkin = make_checkin(mentee_profile, mentor, mood=2, duration_minutes=30)
    ChangeEvent.objects.filter(table_name="checkins_checkin").count()  # the insert is recorded
    CheckIn.objects.filter(pk=checkin.pk).update(mood=4)
    change = ChangeEvent.objects.filter(
        table_name="checkins_checkin", row_id=str(checkin.pk), operation="UPDATE"
    ).get()
    assert (change.before, change.after) == ({"mood": 2}, {"mood": 4})


def test_an_insert_keeps_the_new_row_and_an_update_that_changes_nothing_is_not_kept(
    mentee_profile, mentor
):
    require_postgres()
    checkin = make_checkin(mentee_profile, mentor, mood=2)
    insert = ChangeEvent.objects.get(table_name="checkins_checkin", operation="INSERT")
    assert insert.after["id"] == checkin.pk and insert.after["mood"] == 2
    CheckIn.objects.filter(pk=checkin.pk).update(mood=2)
    # (Logging the contact moved the mentee's last contact: that change is kept.)
    assert not ChangeEvent.objects.filter(
        table_name="checkins_checkin", operation="UPDATE"
    ).exists()


def test_a_mentee_profile_change_and_a_delete_are_kept(mentee_profile, mentor):
    require_postgres()
    from mentorship.models import MenteeProfile

    MenteeProfile.objects.filter(pk=mentee_profile.pk).update(preferred_name="Jo")
    change = ChangeEvent.objects.get(table_name="mentorship_menteeprofile", operation="UPDATE")
    assert change.before == {"preferred_name": "Jordan"}
    assert change.after == {"preferred_name": "Jo"}
    checkin = make_checkin(mentee_profile, mentor)
    CheckIn.objects.filter(pk=checkin.pk).delete()
    deleted = ChangeEvent.objects.get(table_name="checkins_checkin", operation="DELETE")
    assert deleted.before["id"] == checkin.pk and deleted.after == {}


def test_the_change_carries_the_request_id_of_the_page_that_made_it(
    coordinator_client, mentee_profile
):
    require_postgres()
    from django.urls import reverse

    response = coordinator_client.post(
        reverse("mentorship:mentee_status", args=[mentee_profile.pk]),
        {"to_status": "on_hold"},
    )
    assert response.status_code == 302
    change = ChangeEvent.objects.get(table_name="mentorship_menteeprofile", operation="UPDATE")
    assert (change.before["status"], change.after["status"]) == ("active", "on_hold")
    assert change.request_id == response["X-Request-ID"]


def _request_tag() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('peerpath.request_id', true)")
        return cursor.fetchone()[0] or ""


def test_the_request_id_is_cleared_after_every_write_audited_or_not(
    coordinator_client, mentee_profile
):
    """The connection outlives the request: a later change made outside a
    request must not carry this one's id. An audited write clears it with its
    audit event's own statement; any other write (or a refused one) by itself."""
    require_postgres()
    from django.urls import reverse

    from audit.models import AccessEvent

    # Audited: the status change records an event.
    response = coordinator_client.post(
        reverse("mentorship:mentee_status", args=[mentee_profile.pk]),
        {"to_status": "on_hold"},
    )
    assert response.status_code == 302
    assert AccessEvent.objects.filter(request_id=response["X-Request-ID"]).exists()
    assert _request_tag() == ""
    # Not audited ("stay signed in" holds nothing of a mentee's), cleared all the same.
    events = AccessEvent.objects.count()
    assert coordinator_client.post(reverse("accounts:session_keepalive")).status_code < 400
    assert AccessEvent.objects.count() == events
    assert _request_tag() == ""
