"""Creating notifications in bulk, idempotently, and sending the email ones once."""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, models, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import Combinable
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts import languages

from .models import Notification

logger = logging.getLogger(__name__)


# A row claimed by a sender that died is claimed again after this long. A
# live sender renews its claim every CLAIM_RENEWAL while it mails, and each
# message is bounded by EMAIL_TIMEOUT, so a live claim never goes stale; a
# crash delays the rest of its batch by minutes, not a quarter of an hour.
def stale_claim() -> timedelta:
    return timedelta(seconds=settings.PEERPATH_NOTIFICATION_STALE_CLAIM_SECONDS)


CLAIM_RENEWAL = timedelta(seconds=30)
MAX_ATTEMPTS = 5


def notifications_insert_from(
    *,
    kind: str,
    subject_model: type[models.Model],
    queryset: QuerySet,
    recipient: Combinable,
    subject: Combinable,
    due_key: Combinable,
    channel: str = Notification.Channel.EMAIL,
) -> int:
    """Insert one notification per row of `queryset`, in one statement.

    `recipient`, `subject` and `due_key` are expressions over the queryset's
    model. Rows that exist already (same kind, subject, recipient and due key)
    are skipped by the database, so running a sweep twice, or on two workers at
    once, inserts each notification once. Returns how many rows were new.
    """
    rows = (
        queryset.order_by()
        .annotate(n_recipient=recipient, n_subject=subject, n_due=due_key)
        .values("n_recipient", "n_subject", "n_due")
    )
    select_sql, select_params = rows.query.sql_with_params()
    subject_type = ContentType.objects.get_for_model(subject_model)
    now = timezone.now()
    in_app = channel == Notification.Channel.IN_APP
    table = connection.ops.quote_name(Notification._meta.db_table)
    # SQLite needs a WHERE on an INSERT … SELECT that has ON CONFLICT; it also
    # keeps rows without a recipient out. Only Django-compiled SQL and a quoted
    # table name are interpolated; every value travels as a parameter.
    sql = (
        f"INSERT INTO {table} (kind, subject_type_id, channel, state, created_at, sent_at, "  # noqa: S608
        "attempts, recipient_id, subject_id, due_key) "
        'SELECT %s, %s, %s, %s, %s, %s, 0, r."n_recipient", r."n_subject", r."n_due" '
        f'FROM ({select_sql}) r WHERE r."n_recipient" IS NOT NULL '
        "ON CONFLICT DO NOTHING"
    )
    constants = (
        kind,
        subject_type.pk,
        channel,
        Notification.State.SENT if in_app else Notification.State.PENDING,
        now,
        now if in_app else None,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*constants, *select_params))
        return max(cursor.rowcount, 0)


@transaction.atomic
def notify(
    *,
    kind: str,
    recipients,
    subject: models.Model,
    due_key: str,
    channel: str = Notification.Channel.EMAIL,
) -> int:
    """Notify a few people about one thing (an event, not a sweep). Returns how
    many notifications are new: sending the same again adds none."""
    now = timezone.now()
    in_app = channel == Notification.Channel.IN_APP
    subject_type = ContentType.objects.get_for_model(subject)
    rows = [
        Notification(
            recipient_id=getattr(recipient, "pk", recipient),
            kind=kind,
            subject_type=subject_type,
            subject_id=subject.pk,
            due_key=due_key,
            channel=channel,
            state=Notification.State.SENT if in_app else Notification.State.PENDING,
            created_at=now,
            sent_at=now if in_app else None,
        )
        for recipient in recipients
    ]
    same = Notification.objects.filter(
        kind=kind, subject_type=subject_type, subject_id=subject.pk, due_key=due_key
    )
    before = same.count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return same.count() - before


def notifications_send_pending(*, batch_size: int = 200) -> int:
    """Send pending email notifications; each is sent once, however many run.

    Rows are claimed first — locked with SKIP LOCKED where the database has it,
    then moved to `sending` by a conditional UPDATE under this run's token — and
    only the claimed rows are mailed. Returns how many were sent.
    """
    token, now = uuid.uuid4(), timezone.now()
    claimable = Q(state=Notification.State.PENDING) | Q(
        state=Notification.State.SENDING, claimed_at__lt=now - stale_claim()
    )
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(claimable, channel=Notification.Channel.EMAIL)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        Notification.objects.filter(claimable, pk__in=ids).update(
            state=Notification.State.SENDING,
            claimed_at=now,
            claim_token=token,
            attempts=F("attempts") + 1,
        )
    claimed = list(Notification.objects.filter(claim_token=token).select_related("recipient"))
    if not claimed:
        return 0
    sent, failed = 0, []
    renewed_at = timezone.now()
    # Each email in its reader's language: one query for the whole batch.
    spoken = languages.for_users({n.recipient_id: n.recipient for n in claimed}.values())
    with get_connection() as mail:
        for notification in claimed:
            try:
                with translation.override(spoken[notification.recipient_id]):
                    email = _email_for(notification)
                mail.send_messages([email])
            except Exception:  # one bad address must not stop the batch
                # Ids and kinds only: never what the reminder is about.
                logger.exception(
                    "Email for notification %s (%s) failed", notification.pk, notification.kind
                )
                failed.append(notification)
                continue
            # Marked sent the moment the backend has it: a crash after this
            # line resends nothing, a crash before it resends this one email.
            Notification.objects.filter(pk=notification.pk, claim_token=token).update(
                state=Notification.State.SENT, sent_at=timezone.now(), claim_token=None
            )
            sent += 1
            if timezone.now() - renewed_at >= CLAIM_RENEWAL:
                renewed_at = timezone.now()
                Notification.objects.filter(
                    claim_token=token, state=Notification.State.SENDING
                ).update(claimed_at=renewed_at)
    retry = [n.pk for n in failed if n.attempts < MAX_ATTEMPTS]
    Notification.objects.filter(pk__in=retry).update(
        state=Notification.State.PENDING, claim_token=None
    )
    Notification.objects.filter(pk__in=[n.pk for n in failed if n.pk not in retry]).update(
        state=Notification.State.FAILED, claim_token=None
    )
    return sent


def _email_for(notification: Notification) -> EmailMultiAlternatives:
    # What the email may say: the kind of reminder and a link. Never a name of
    # a mentee, a note, a substance or a crisis detail.
    context = {
        "notification": notification,
        "label": notification.label,
        "link": f"{settings.SITE_URL}{notification.get_absolute_url()}",
        "recipient_name": notification.recipient.get_short_name(),
    }
    message = EmailMultiAlternatives(
        subject=f"[Peerpath] {notification.label}",
        body=render_to_string("emails/notifications/reminder.txt", context),
        to=[notification.recipient.email],
    )
    message.attach_alternative(
        render_to_string("emails/notifications/reminder.html", context), "text/html"
    )
    return message


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    # One conditional UPDATE: the first reading is the one kept, however many race.
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    notification.refresh_from_db(fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.visible_to(user).unread().update(read_at=timezone.now())
