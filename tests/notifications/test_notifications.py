"""Notifications: created once, sent once, read by their recipient only."""

import threading

import pytest
from django.core import mail
from django.db import connection
from django.db.models import F, Value
from django.urls import reverse

from accounts.models import User
from notifications import kinds, services
from notifications.models import Notification
from tests.accounts.test_api import api_client_for
from tests.services import require_postgres

pytestmark = pytest.mark.django_db

kinds.register(kinds.Kind("test_reminder", "A test reminder", lambda pk: f"/programs/{pk}/"))


def insert_for(users, program, *, due="2026-12-01", channel="email") -> int:
    return services.notifications_insert_from(
        kind="test_reminder",
        subject_model=type(program),
        queryset=User.objects.filter(pk__in=[u.pk for u in users]),
        recipient=F("pk"),
        subject=Value(program.pk),
        due_key=Value(due),
        channel=channel,
    )


def test_a_sweep_inserts_each_notification_once(program, mentor, coordinator):
    assert insert_for([mentor, coordinator], program) == 2
    assert insert_for([mentor, coordinator], program) == 0
    assert insert_for([mentor], program, due="2026-12-08") == 1
    assert Notification.objects.count() == 3


def test_sending_twice_mails_each_notification_once(program, mentor, coordinator):
    insert_for([mentor, coordinator], program)
    assert services.notifications_send_pending() == 2
    assert services.notifications_send_pending() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentor.email, coordinator.email])
    assert set(Notification.objects.values_list("state", flat=True)) == {"sent"}


def test_email_says_the_kind_and_links_to_the_notification_only(program, mentor):
    insert_for([mentor], program)
    services.notifications_send_pending()
    (message,) = mail.outbox
    notification = Notification.objects.get()
    assert message.subject == "[Peerpath] A test reminder"
    assert f"http://127.0.0.1:8000/notifications/{notification.pk}/" in message.body
    assert "does not say more" in message.body
    assert message.alternatives and "Open it in Peerpath" in message.alternatives[0][0]


def test_in_app_notifications_are_never_mailed(program, mentor):
    insert_for([mentor], program, channel="in_app")
    assert services.notifications_send_pending() == 0
    assert mail.outbox == []
    assert Notification.objects.get().state == "sent"


def test_a_failing_email_is_retried_then_given_up(program, mentor, monkeypatch):
    insert_for([mentor], program)

    def broken(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    for _ in range(services.MAX_ATTEMPTS):
        services.notifications_send_pending()
    notification = Notification.objects.get()
    assert (notification.state, notification.attempts) == ("failed", services.MAX_ATTEMPTS)


@pytest.mark.django_db(transaction=True)
def test_two_senders_racing_on_postgresql_send_each_email_once(program, coordinator):
    require_postgres()
    users = [coordinator] + [
        User.objects.create_user(
            email=f"m{i}@example.org",
            password="x" * 12,
            full_name="M",
            role="mentor",
            program=program,
        )
        for i in range(40)
    ]
    insert_for(users, program)
    barrier = threading.Barrier(2)
    sent = []

    def sender():
        try:
            barrier.wait()
            sent.append(services.notifications_send_pending(batch_size=25))
            sent.append(services.notifications_send_pending(batch_size=25))
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(sent) == len(users)
    recipients = [m.to[0] for m in mail.outbox]
    assert sorted(recipients) == sorted(u.email for u in users)  # each exactly once


def test_recipient_opens_a_notification_which_marks_it_read(mentor_client, program, mentor):
    insert_for([mentor], program)
    notification = Notification.objects.get()
    response = mentor_client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.url == f"/programs/{program.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_nobody_else_can_open_or_read_it(coordinator_client, program, mentor, coordinator):
    insert_for([mentor], program)
    notification = Notification.objects.get()
    assert (
        coordinator_client.get(reverse("notifications:open", args=[notification.pk])).status_code
        == 404
    )
    assert (
        coordinator_client.post(reverse("notifications:read", args=[notification.pk])).status_code
        == 404
    )
    api = api_client_for(coordinator)
    assert api.get(reverse("api:notification-detail", args=[notification.pk])).status_code == 404
    assert api.post(reverse("api:notification-read", args=[notification.pk])).status_code == 404
    assert api.get(reverse("api:notification-list")).json()["count"] == 0


def test_unread_count_and_mark_all_read(mentor_client, program, mentor):
    insert_for([mentor], program)
    insert_for([mentor], program, due="2026-12-08")
    assert b"2" in mentor_client.get(reverse("notifications:unread_count")).content
    mentor_client.post(reverse("notifications:read_all"))
    assert mentor_client.get(reverse("notifications:unread_count")).content.strip() == b""


def test_api_lists_own_notifications_and_marks_read(mentor, program):
    insert_for([mentor], program)
    client = api_client_for(mentor)
    (row,) = client.get(reverse("api:notification-list")).json()["results"]
    assert row["label"] == "A test reminder" and row["read_at"] is None
    assert client.post(reverse("api:notification-read", args=[row["id"]])).json()["read_at"]
    assert client.post(reverse("api:notification-read-all")).json() == {"marked": 0}


@pytest.mark.parametrize("size", [5, 50])
def test_notification_list_query_counts_are_constant(
    size, mentor, mentor_client, program, django_assert_num_queries
):
    for day in range(size):
        insert_for([mentor], program, due=f"2026-12-{day % 28 + 1:02d}-{day}")
    # 1 session, 2 user, 3 count, 4 page
    with django_assert_num_queries(4):
        assert mentor_client.get(reverse("notifications:list")).status_code == 200
    client = api_client_for(mentor)
    # 1 token, 2 the rate limit's count (core.api.throttling), 3 count and page
    # (one statement: config.api_pagination)
    with django_assert_num_queries(3):
        assert client.get(reverse("api:notification-list")).json()["count"] == size
