"""Creating notifications in bulk, idempotently, and sending the email ones once."""

import logging
import smtplib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet, ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, models, transaction
from django.db.models import CharField, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts import languages

from . import preferences, selectors
from .models import Notification, NotificationPreference

logger = logging.getLogger(__name__)


# A row claimed by a sender that died is claimed again after this long. A
# live sender renews its claim every CLAIM_RENEWAL while it mails, and each
# message is bounded by EMAIL_TIMEOUT, so a live claim never goes stale; a
# crash delays the rest of its batch by minutes, not a quarter of an hour.
def stale_claim() -> timedelta:
    return timedelta(seconds=settings.PEERPATH_NOTIFICATION_STALE_CLAIM_SECONDS)


CLAIM_RENEWAL = timedelta(seconds=30)
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class NotificationSource:
    """Who to notify about what, as expressions over a queryset's model: one
    notification per row of `queryset`. `kind` is a kind's code, or an
    expression giving each row its kind (a row whose kind is NULL is skipped)."""

    queryset: QuerySet
    kind: str | Combinable
    recipient: Combinable
    subject: Combinable
    due_key: Combinable

    def rows(self, subject_type: int) -> QuerySet:
        kind = Value(self.kind) if isinstance(self.kind, str) else self.kind
        return (
            self.queryset.order_by()
            .annotate(
                n_kind=Cast(kind, output_field=CharField()),
                n_type=Value(subject_type, output_field=IntegerField()),
                n_recipient=self.recipient,
                n_subject=self.subject,
                n_due=self.due_key,
            )
            .values("n_kind", "n_type", "n_recipient", "n_subject", "n_due")
        )


def notifications_insert_from(
    *,
    subject_model: type[models.Model],
    kind: str | Combinable = "",
    queryset: QuerySet | None = None,
    recipient: Combinable | None = None,
    subject: Combinable | None = None,
    due_key: Combinable | None = None,
    sources: Sequence[NotificationSource] = (),
    also_to: QuerySet | None = None,
    recipients_of: tuple[QuerySet, str] | None = None,
    channel: str = Notification.Channel.EMAIL,
) -> int:
    """Insert one notification per row of `queryset` (or of every source, in
    one UNION ALL), in one statement.

    `recipient`, `subject` and `due_key` are expressions over the queryset's
    model. A row whose notification exists already (same kind, subject,
    recipient and due key) is left out by an anti-join on that key (the
    unique index), so a rerun with nothing new reads and inserts nothing;
    ON CONFLICT DO NOTHING stays for two workers inserting the same row at
    the same moment. Returns how many rows were new.

    The rows are computed once (a common table expression), then:
    `also_to` (users) gets a copy of every row as well, crossed with those
    users in the same statement, however many there are; with
    `recipients_of=(users, field)` a row's recipient is a key instead (a
    program's id), and the row goes to each of those users whose `field` has
    it — the program's coordinators — so what a row costs is paid once, not
    once per coordinator. In both, who was told already is read once per
    row (on PostgreSQL), not once per person.
    """
    assert also_to is None or recipients_of is None
    if queryset is not None:
        assert recipient is not None and subject is not None and due_key is not None
        sources = [NotificationSource(queryset, kind, recipient, subject, due_key), *sources]
    subject_type = ContentType.objects.get_for_model(subject_model).pk
    first, *others = (source.rows(subject_type) for source in sources)
    rows = first.union(*others, all=True) if others else first
    try:
        select_sql, select_params = rows.query.sql_with_params()
    except EmptyResultSet:  # no calendar, no rows: nothing to ask the database
        return 0
    # The rows are computed once (a materialized CTE), then each is looked up
    # on the unique index. "OFFSET 0" keeps PostgreSQL from turning NOT EXISTS
    # into a join: planned as a join, it either hashed the whole history of
    # notifications on every run, or (on a stale estimate of "none of this
    # kind yet", right after a sweep wrote thousands) scanned it once per row,
    # for minutes. A lookup per row costs what the rows do, whatever the history.
    postgres = connection.vendor == "postgresql"
    materialized, fence = ("MATERIALIZED ", " OFFSET 0") if postgres else ("", "")
    table = connection.ops.quote_name(Notification._meta.db_table)
    # A row that goes to several people (the program's coordinators, the
    # holder and every admin) is looked up once, not once per person: one
    # index scan on (kind, subject) gives who was told already under its due
    # key, and each person's copy is kept only if they are not among them.
    # The notifications of one subject and kind sit together in the unique
    # index, so that scan reads a few entries; a row for one person keeps the
    # exact lookup of its whole key.
    told = postgres and (also_to is not None or recipients_of is not None)
    told_col, told_bare = (", n_rows.n_told", ", n_told") if told else ("", "")
    if told:
        with_sql = (
            f"WITH n_found AS MATERIALIZED ({select_sql}), n_rows AS MATERIALIZED ("  # noqa: S608
            "SELECT f.n_kind, f.n_type, f.n_recipient, f.n_subject, f.n_due, "
            f"ARRAY(SELECT n.recipient_id FROM {table} n WHERE n.kind = f.n_kind "
            "AND n.subject_type_id = f.n_type AND n.subject_id = f.n_subject "
            "AND n.due_key = f.n_due) AS n_told FROM n_found f WHERE f.n_kind IS NOT NULL) "
        )
        new_only = 'NOT (r."n_recipient" = ANY(r."n_told"))'
    else:
        with_sql = f"WITH n_rows AS {materialized}({select_sql}) "
        new_only = (
            f'NOT EXISTS (SELECT 1 FROM {table} n WHERE n.kind = r."n_kind" '  # noqa: S608
            'AND n.subject_type_id = r."n_type" AND n.subject_id = r."n_subject" '
            f'AND n.recipient_id = r."n_recipient" AND n.due_key = r."n_due"{fence})'
        )
    source_sql, also_params = "n_rows", ()
    if recipients_of is not None:
        users, field = recipients_of
        to_sql, also_params = (
            users.order_by()
            .annotate(n_user=F("pk"), n_key=F(field))
            .values("n_user", "n_key")
            .query.sql_with_params()
        )
        source_sql = (
            "(SELECT n_rows.n_kind, n_rows.n_type, n_to.n_user AS n_recipient, "  # noqa: S608
            f"n_rows.n_subject, n_rows.n_due{told_col} FROM n_rows JOIN ({to_sql}) n_to "
            "ON n_to.n_key = n_rows.n_recipient)"
        )
    if also_to is not None:
        also_sql, also_params = (
            also_to.order_by().annotate(n_also=F("pk")).values("n_also").query.sql_with_params()
        )
        source_sql = (
            f"(SELECT n_kind, n_type, n_recipient, n_subject, n_due{told_bare} "  # noqa: S608
            "FROM n_rows UNION ALL SELECT n_rows.n_kind, n_rows.n_type, n_also.n_also, "
            f"n_rows.n_subject, n_rows.n_due{told_col} FROM n_rows CROSS JOIN ({also_sql}) n_also)"
        )
    now = timezone.now()
    in_app = channel == Notification.Channel.IN_APP
    # The statement starts with INSERT (the WITH is part of its query): SQLite's
    # driver reports the rows written only for a statement that does. SQLite
    # needs a WHERE on an INSERT … SELECT that has ON CONFLICT; it also keeps
    # rows without a recipient (or kind) out. Only Django-compiled SQL and a
    # quoted table name are interpolated; every value is a parameter.
    sql = (
        f"INSERT INTO {table} (kind, subject_type_id, channel, state, created_at, "  # noqa: S608
        f"sent_at, attempts, recipient_id, subject_id, due_key) {with_sql}"
        'SELECT r."n_kind", r."n_type", %s, %s, %s, %s, 0, r."n_recipient", r."n_subject", '
        f'r."n_due" FROM {source_sql} r WHERE r."n_recipient" IS NOT NULL '
        f'AND r."n_kind" IS NOT NULL AND {new_only} ON CONFLICT DO NOTHING'
    )
    constants = (
        channel,
        Notification.State.SENT if in_app else Notification.State.PENDING,
        now,
        now if in_app else None,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*select_params, *constants, *also_params))
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
        # A kind its recipient turned off stays in the bell and is not mailed:
        # one UPDATE for the whole batch. A protected kind is mailed regardless.
        opted_out = NotificationPreference.objects.filter(
            user=OuterRef("recipient"), kind=OuterRef("kind"), email=False
        )
        Notification.objects.filter(claim_token=token).filter(Exists(opted_out)).exclude(
            _protected_kinds()
        ).update(
            channel=Notification.Channel.IN_APP,
            state=Notification.State.SENT,
            sent_at=now,
            claim_token=None,
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
            except Exception as exc:  # one bad address must not stop the batch
                # Ids and kinds only: never what the reminder is about.
                logger.exception(
                    "Email for notification %s (%s) failed", notification.pk, notification.kind
                )
                failed.append(notification)
                Notification.objects.filter(pk=notification.pk, claim_token=token).update(
                    failure_reason=_failure_reason(exc)
                )
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


def _failure_reason(exc: BaseException) -> str:
    """What went wrong, as the operations page shows it: the exception's kind
    and an SMTP reply code, never its message (which may name the address)."""
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({c for c, _msg in exc.recipients.values()})
        return f"SMTP {', '.join(map(str, codes))}: recipient refused"[:100]
    if isinstance(code, int):
        return f"SMTP {code}: {type(exc).__name__}"[:100]
    return type(exc).__name__[:100]


@transaction.atomic
def notification_retry(*, notification_id: int) -> Notification:
    """Put a failed email back in the outbox with fresh attempts, and have a
    sender mail it. One that is no longer failed (a second click, another
    admin's retry) is returned as it is: the first retry is the one kept."""
    notification = Notification.objects.select_for_update().get(
        pk=notification_id, channel=Notification.Channel.EMAIL
    )
    if notification.state == Notification.State.FAILED:
        notification.state = Notification.State.PENDING
        notification.attempts = 0
        notification.claim_token = None
        notification.claimed_at = None
        notification.save(update_fields=["state", "attempts", "claim_token", "claimed_at"])
        from .tasks import send_soon  # the tasks import this module

        send_soon(cause=f"retry of notification {notification.pk}")
    return notification


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


def _protected_kinds() -> Q:
    """The notifications that are always mailed (preferences.is_protected)."""
    return Q(kind__in=sorted(preferences.ALWAYS_EMAILED)) | Q(kind__contains="crisis")


PROTECTED_MESSAGE = _("This alert protects people: it is always sent by email too.")


@transaction.atomic
def preferences_save(*, user, emails: dict[str, bool]) -> list[selectors.PreferenceRow]:
    """Set whether the user also gets each kind by email ({kind: on}), all or
    nothing. Only the user's own, only kinds their role receives; a protected
    kind cannot be turned off. One upsert: two saves racing end as the last."""
    offered = set(selectors.offered_kinds(user=user))
    unknown = sorted(code for code in emails if code not in offered)
    if unknown:
        raise ValidationError(
            {"kind": _("You do not receive this notification.")}, code="unknown_kind"
        )
    if any(not on and preferences.is_protected(code) for code, on in emails.items()):
        raise ValidationError({"email": PROTECTED_MESSAGE}, code="protected")
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=user, kind=code, email=on) for code, on in emails.items()],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["email", "updated_at"],
    )
    return selectors.preference_list(user=user)
