from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.constraints import PlainConstraints

from . import kinds
from .preferences import ALWAYS_EMAILED


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NotificationQuerySet":
        """Everyone sees their own notifications, and only those."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(PlainConstraints, models.Model):
    """One reminder or alert for one person about one thing.

    Unique on (kind, subject, recipient, due key): a sweep that runs twice, a
    retry or a second worker inserts nothing new, so nothing is sent twice.
    Every notification shows in the app; email ones are also mailed.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("email")
        IN_APP = "in_app", _("in-app only")

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    # No index of their own: the (recipient, read_at) index serves the
    # recipient, and the subject type is looked up only with its kind (the
    # unique key). Sweeps insert thousands of rows; each index costs each row.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    kind = models.CharField(max_length=40)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    # The due date, or the threshold crossed, that makes this reminder distinct
    # from the next one about the same subject (e.g. "2026-11-27", "14d:2026-11-01").
    due_key = models.CharField(max_length=40)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Which sender run claimed the row: each run sends only what it claimed.
    claim_token = models.UUIDField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Why the last attempt to mail it failed, in the mail server's terms
    # ("SMTP 550", "SMTPServerDisconnected"): never the address or the text.
    # A database default: the sweeps insert rows with INSERT … SELECT.
    failure_reason = models.CharField(max_length=100, blank=True, default="", db_default="")

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id", "recipient", "due_key"],
                name="notification_once_per_kind_subject_recipient_due",
                violation_error_message=_("This reminder was already sent."),
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["email", "in_app"]),
                name="notification_channel_valid",
                violation_error_message=_("A notification goes by email or in the app."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "sending", "sent", "failed"]),
                name="notification_state_valid",
                violation_error_message=_("Unknown notification state."),
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["state", "channel"]),
        ]

    def __str__(self) -> str:
        return f"{self.label} for {self.recipient_id}"

    def get_absolute_url(self) -> str:
        return reverse("notifications:open", args=[self.pk])

    # Set by selectors.name_mentees for the in-app list: (mentee id, name).
    mentee: tuple[int, str] | None = None

    @property
    def label(self) -> str:
        return kinds.label(self.kind)

    def target_url(self) -> str:
        kind = kinds.get(self.kind)
        return kind.target_url(self.subject_id) if kind else reverse("notifications:list")


class NotificationPreferenceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NotificationPreferenceQuerySet":
        """Everyone sees their own preferences, and only those."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class NotificationPreference(PlainConstraints, models.Model):
    """Whether one person also gets one kind of notification by email. No row
    means yes. Only one row per person and kind; a protected kind
    (preferences.ALWAYS_EMAILED, or any kind about a crisis) is never off."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40)
    email = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NotificationPreferenceQuerySet.as_manager()

    constraint_fields = {
        "notification_preference_protected_kinds_emailed": "email",
        "notification_preference_once_per_user_kind": "kind",
    }

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                name="notification_preference_once_per_user_kind",
                violation_error_message=_("You already have a preference for this notification."),
            ),
            models.CheckConstraint(
                condition=Q(email=True)
                | ~(Q(kind__in=sorted(ALWAYS_EMAILED)) | Q(kind__contains="crisis")),
                name="notification_preference_protected_kinds_emailed",
                violation_error_message=_(
                    "This alert protects people: it is always sent by email too."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind=""),
                name="notification_preference_kind_given",
                violation_error_message=_("Say which notification this is about."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}: {'email' if self.email else 'in-app only'}"
