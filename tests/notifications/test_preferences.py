"""Email notification preferences: each person chooses which kinds they also
get by email; alerts that protect people always go."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Value
from django.urls import reverse

from accounts.models import User
from notifications import preferences, selectors, services
from notifications.models import Notification, NotificationPreference
from tests.accounts.factories import UserFactory
from tests.accounts.test_api import api_client_for
from tests.notifications.test_notifications import insert_for

pytestmark = pytest.mark.django_db

PROTECTED_MESSAGE = "This alert protects people: it is always sent by email too."


def insert_kind(kind, users, program, due="2026-12-01") -> int:
    return services.notifications_insert_from(
        kind=kind,
        subject_model=type(program),
        queryset=User.objects.filter(pk__in=[u.pk for u in users]),
        recipient=F("pk"),
        subject=Value(program.pk),
        due_key=Value(due),
    )


def test_every_crisis_kind_and_the_listed_alerts_are_protected():
    assert preferences.is_protected("crisis_flag")
    assert preferences.is_protected("crisis_debrief_overdue")
    assert preferences.is_protected("some_new_crisis_kind")
    assert preferences.is_protected("cert_lapsed")
    assert preferences.is_protected("break_glass")
    assert not preferences.is_protected("checkin_due")


def test_turning_off_a_protected_kind_is_refused_in_plain_words(coordinator):
    with pytest.raises(ValidationError) as refused:
        services.preferences_save(user=coordinator, emails={"crisis_flag": False})
    assert refused.value.message_dict == {"email": [PROTECTED_MESSAGE]}
    assert not NotificationPreference.objects.exists()


def test_the_database_refuses_a_protected_kind_turned_off(coordinator):
    with pytest.raises(IntegrityError), transaction.atomic():
        NotificationPreference.objects.create(user=coordinator, kind="cert_lapsed", email=False)


def test_one_row_per_person_and_kind(mentor):
    NotificationPreference.objects.create(user=mentor, kind="checkin_due", email=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        NotificationPreference.objects.create(user=mentor, kind="checkin_due", email=True)


def test_saving_twice_keeps_one_row_and_the_last_choice(mentor):
    services.preferences_save(user=mentor, emails={"checkin_due": False})
    rows = services.preferences_save(user=mentor, emails={"checkin_due": False})
    assert NotificationPreference.objects.filter(user=mentor).count() == 1
    assert next(r for r in rows if r.kind == "checkin_due").email is False
    services.preferences_save(user=mentor, emails={"checkin_due": True})
    assert NotificationPreference.objects.get(user=mentor).email is True


def test_a_kind_the_role_does_not_receive_is_refused(mentee):
    with pytest.raises(ValidationError) as refused:
        services.preferences_save(user=mentee, emails={"checkin_due": False})
    assert refused.value.message_dict == {"kind": ["You do not receive this notification."]}


def test_each_role_sees_the_kinds_it_receives(mentor, mentee):
    mentor_kinds = {row.kind for row in selectors.preference_list(user=mentor)}
    mentee_kinds = {row.kind for row in selectors.preference_list(user=mentee)}
    assert {"checkin_due", "crisis_flag"} <= mentor_kinds
    assert "plan_changed" not in mentor_kinds
    assert "plan_changed" in mentee_kinds and "checkin_due" not in mentee_kinds
    assert all(row.email for row in selectors.preference_list(user=mentor))


def test_the_sender_skips_the_email_of_an_opted_out_kind(program, mentor, coordinator):
    services.preferences_save(user=mentor, emails={"test_reminder": False})
    insert_for([mentor, coordinator], program)
    assert services.notifications_send_pending() == 1
    assert [m.to[0] for m in mail.outbox] == [coordinator.email]
    kept = Notification.objects.get(recipient=mentor)
    # Still in the bell, never mailed, never claimed again.
    assert (kept.channel, kept.state, kept.claim_token) == ("in_app", "sent", None)
    assert services.notifications_send_pending() == 0


def test_the_sender_mails_a_protected_kind_whatever_is_stored(program, coordinator):
    # Only a database written around the service could hold this row.
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE notifications_notificationpreference "
            "DROP CONSTRAINT notification_preference_protected_kinds_emailed"
        )
    NotificationPreference.objects.create(user=coordinator, kind="crisis_flag", email=False)
    insert_kind("crisis_flag", [coordinator], program)
    assert services.notifications_send_pending() == 1
    assert [m.to[0] for m in mail.outbox] == [coordinator.email]


@pytest.mark.parametrize("size", [5, 50])
def test_the_sender_costs_the_same_for_5_or_50(size, program, django_assert_num_queries):
    users = UserFactory.create_batch(size, program=program)
    for user in users[::2]:
        NotificationPreference.objects.create(user=user, kind="test_reminder", email=False)
    insert_for(users, program)
    mailed = len(users[1::2])
    # The same fixed cost for 5 or 50 (the claim, one UPDATE for every opted-out
    # row, the batch and its languages), plus the one UPDATE per email sent.
    with django_assert_num_queries(6 + mailed):
        assert services.notifications_send_pending() == mailed
    assert len(mail.outbox) == mailed


def test_the_page_saves_the_choices_and_keeps_protected_ones_on(client_for, mentor):
    client = client_for(mentor)
    page = client.get(reverse("notifications:email_preferences"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Email notifications" in html and "Always sent by email" in html
    checked = {
        row.kind: True
        for row in selectors.preference_list(user=mentor)
        if row.kind != "checkin_due"
    }
    # crisis_flag posted unchecked: a disabled field keeps its initial value.
    checked.pop("crisis_flag")
    response = client.post(reverse("notifications:email_preferences"), checked)
    assert response.status_code == 302
    rows = {row.kind: row.email for row in selectors.preference_list(user=mentor)}
    assert rows["checkin_due"] is False and rows["crisis_flag"] is True


def test_my_account_links_to_email_notifications(client_for, mentee):
    html = client_for(mentee).get(reverse("accounts:my_account")).content.decode()
    assert reverse("notifications:email_preferences") in html


@pytest.mark.parametrize("size", [5, 50])
def test_the_page_costs_the_same_whatever_is_stored(
    size, client_for, mentor, program, django_assert_num_queries
):
    insert_for([mentor], program)
    for n in range(size):
        insert_for([mentor], program, due=f"2026-12-{n % 28 + 1:02d}-{n}")
    services.preferences_save(user=mentor, emails={"checkin_due": False, "self_checkin": False})
    client = client_for(mentor)
    client.get(reverse("notifications:email_preferences"))  # session warm
    # The session, the user, the stored choices: whatever is pending or stored.
    with django_assert_num_queries(3):
        assert client.get(reverse("notifications:email_preferences")).status_code == 200


def test_the_api_lists_and_sets_the_callers_own(mentor, coordinator):
    api = api_client_for(mentor)
    listed = api.get(reverse("api:notification-preference-list")).json()
    by_kind = {row["kind"]: row for row in listed}
    assert by_kind["crisis_flag"] == {
        "kind": "crisis_flag",
        "label": "A crisis was flagged in your program",
        "email": True,
        "protected": True,
    }
    url = reverse("api:notification-preference-detail", args=["checkin_due"])
    for _ in range(2):  # the same PUT twice: the same answer, one row
        response = api.put(url, {"email": False}, format="json")
        assert response.status_code == 200
        assert response.json()["email"] is False
    assert NotificationPreference.objects.filter(user=mentor).count() == 1
    assert not NotificationPreference.objects.filter(user=coordinator).exists()
    assert api.get(url).json()["email"] is False
    assert api_client_for(coordinator).get(url).json()["email"] is True


def test_a_stale_if_match_is_refused_and_changes_nothing(mentor):
    api = api_client_for(mentor)
    url = reverse("api:notification-preference-detail", args=["checkin_due"])
    etag = api.get(url)["ETag"]
    assert api.put(url, {"email": False}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    # The same ETag again: the preference changed since it was read.
    response = api.put(url, {"email": True}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert api.get(url).json()["email"] is False


def test_a_kind_that_is_not_a_slug_is_the_apis_json_404(mentor):
    # Found by schemathesis: a no-break space as the kind.
    response = api_client_for(mentor).patch(
        "/api/v1/notification-preferences/%C2%A0/", {"email": False}, format="json"
    )
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_the_api_refuses_a_protected_kind_in_plain_words(coordinator):
    url = reverse("api:notification-preference-detail", args=["crisis_flag"])
    response = api_client_for(coordinator).patch(url, {"email": False}, format="json")
    assert response.status_code == 400
    assert PROTECTED_MESSAGE in str(response.json())
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize("size", [5, 50])
def test_the_api_list_costs_the_same(size, mentor, program, django_assert_num_queries):
    services.preferences_save(user=mentor, emails={"checkin_due": False})
    for n in range(size):
        insert_for([mentor], program, due=f"due-{n}")
    api = api_client_for(mentor)
    api.get(reverse("api:notification-preference-list"))
    # The token, the rate limit's count (core.api.throttling), the stored choices.
    with django_assert_num_queries(3):
        assert api.get(reverse("api:notification-preference-list")).status_code == 200
