"""A sender that dies mid-batch: what it already handed to the mail server is
marked sent and never mailed again; the rest waits minutes, not a quarter of
an hour; a live sender's claims never go stale."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone

from notifications import services
from notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.notifications.test_notifications import insert_for

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """Stands for SIGKILL: not an Exception, so nothing in the sender catches it."""


class DiesAfter(LocmemBackend):
    """Mails `limit` messages, then the worker dies on the next one."""

    limit = 3

    def send_messages(self, messages):
        if len(mail.outbox) >= self.limit:
            raise WorkerKilled
        return super().send_messages(messages)


@pytest.fixture
def ten_recipients(program):
    return [UserFactory(program=program) for _ in range(10)]


def test_a_crash_mid_batch_leaves_what_was_mailed_marked_sent(settings, program, ten_recipients):
    insert_for(ten_recipients, program)
    settings.EMAIL_BACKEND = f"{__name__}.DiesAfter"
    with pytest.raises(WorkerKilled):
        services.notifications_send_pending()
    states = sorted(Notification.objects.values_list("state", flat=True))
    assert states == ["sending"] * 7 + ["sent"] * 3
    # The next sender, once the claim is stale, mails only the seven.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    later = timezone.now() + services.stale_claim() + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        assert services.notifications_send_pending() == 7
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == len(set(recipients)) == 10


@pytest.mark.parametrize(
    ("after", "reclaimed"),
    [(timedelta(seconds=-1), False), (timedelta(0), False), (timedelta(seconds=1), True)],
    ids=["a second before the claim is stale", "the moment it is stale", "a second after"],
)
def test_a_dead_senders_claim_is_taken_over_after_the_stale_claim_time(
    settings, program, mentor, after, reclaimed
):
    insert_for([mentor], program)
    claimed_at = timezone.now()
    Notification.objects.update(state="sending", claimed_at=claimed_at)
    with time_machine.travel(claimed_at + services.stale_claim() + after, tick=False):
        assert services.notifications_send_pending() == (1 if reclaimed else 0)


def test_the_stale_claim_time_is_minutes_and_set_from_the_environment(settings):
    assert services.stale_claim() == timedelta(minutes=3)
    settings.PEERPATH_NOTIFICATION_STALE_CLAIM_SECONDS = 90
    assert services.stale_claim() == timedelta(seconds=90)


class SlowServer(LocmemBackend):
    """Each message takes 40 seconds (a slow mail server); `after_each` runs
    once a message is handed over."""

    traveller = None
    after_each = staticmethod(lambda: None)

    def send_messages(self, messages):
        SlowServer.traveller.shift(timedelta(seconds=40))
        sent = super().send_messages(messages)
        SlowServer.after_each()
        return sent


def test_a_slow_live_sender_renews_its_claims_so_no_one_else_takes_them(
    settings, program, ten_recipients, monkeypatch
):
    """Ten messages at 40 s each outlast the 3-minute stale time; the live
    sender renews its claims as it goes, so a second sender started four
    minutes in finds nothing to take and nothing is mailed twice."""
    insert_for(ten_recipients, program)
    settings.EMAIL_BACKEND = f"{__name__}.SlowServer"
    second_sender_took = []

    def second_sender_at_four_minutes():
        if len(mail.outbox) == 6:
            settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
            second_sender_took.append(services.notifications_send_pending())
            settings.EMAIL_BACKEND = f"{__name__}.SlowServer"

    monkeypatch.setattr(SlowServer, "after_each", staticmethod(second_sender_at_four_minutes))
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        monkeypatch.setattr(SlowServer, "traveller", traveller)
        assert services.notifications_send_pending() == 10
    assert second_sender_took == [0]
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == len(set(recipients)) == 10


def test_the_broker_gives_back_a_killed_workers_task_within_minutes(settings):
    """The visibility timeout outlasts the longest task (so a running task is
    never handed out twice) and is minutes, not an hour."""
    from django.conf import settings as django_settings

    base = __import__("config.settings.base", fromlist=["x"])
    if base.REDIS_URL:
        timeout = base.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
        assert django_settings.CELERY_TASK_TIME_LIMIT < timeout <= 15 * 60
    assert django_settings.CELERY_TASK_SOFT_TIME_LIMIT < django_settings.CELERY_TASK_TIME_LIMIT
