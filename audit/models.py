"""Append-only audit rows. The application inserts and never updates or
deletes them: `save()` refuses an update and the querysets refuse `update()`
and `delete()`; on PostgreSQL migration 0002 also revokes UPDATE, DELETE and
TRUNCATE from the application's role when it does not own the tables."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from core.constraints import PlainConstraints


class AppendOnlyError(Exception):
    """An audit row was about to be changed or removed."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit rows are never updated.")

    def delete(self):
        raise AppendOnlyError("Audit rows are never deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Audit rows are never updated.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit rows are never updated.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit rows are never deleted.")


class Action(models.TextChoices):
    READ = "read", _("viewed")
    LIST = "list", _("listed")
    EXPORT = "export", _("exported")
    PRINT = "print", _("printed")
    CREATE = "create", _("created")
    CHANGE = "change", _("changed")
    DELETE = "delete", _("deleted")
    DOWNLOAD = "download", _("downloaded")
    DENIED = "denied", _("was refused")
    BREAK_GLASS = "break_glass", _("opened in an emergency")


class Outcome(models.TextChoices):
    ALLOWED = "allowed", _("Allowed")
    DENIED = "denied", _("Denied")


class AccessEvent(AppendOnlyModel):
    """One access to mentee data. `id` is given by the chain (previous id + 1,
    under a lock), never by a sequence, so a gap means a removed row."""

    id = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField()
    # A plain integer: the row outlives the user it names.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    role = models.CharField(max_length=16, blank=True)
    mentee_ids = models.JSONField(default=list)
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.ALLOWED)
    reason = models.TextField(blank=True)
    ip = models.CharField(max_length=45, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=256, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["at"]), models.Index(fields=["user", "at"])]

    def __str__(self) -> str:
        return f"audit event {self.pk}"


class ChainHead(models.Model):
    """The end of the chain: one row, locked (SELECT ... FOR UPDATE) by every
    append, so concurrent writers queue and never fork the chain. It also
    lets verify_audit notice events removed from the end, which a walk of the
    events alone could not."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit chain head at {self.last_id}"


class AccessEventMentee(PlainConstraints, AppendOnlyModel):
    """An index of an event's mentee ids, so "every event about mentee N" is
    one indexed query on SQLite and PostgreSQL alike. The chain covers the
    event's own `mentee_ids`; verify_audit checks this index against them."""

    event = models.ForeignKey(AccessEvent, on_delete=models.DO_NOTHING, related_name="mentees")
    mentee_id = models.BigIntegerField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "mentee_id"],
                name="audit_event_mentee_unique",
                violation_error_message="An event names each mentee once.",
            )
        ]

    def __str__(self) -> str:
        return f"event {self.event_id} mentee {self.mentee_id}"


class ChangeEvent(AppendOnlyModel):
    """Before and after values of a mentee-data row, written by a PostgreSQL
    trigger (audit.operations.TrackChanges), so QuerySet.update() and bulk
    writes are caught too. Only the fields that changed are kept."""

    at = models.DateTimeField(db_default=Now())
    table_name = models.CharField(max_length=64)
    row_id = models.CharField(max_length=64)
    operation = models.CharField(max_length=8)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["table_name", "row_id"])]

    def __str__(self) -> str:
        return f"{self.operation} {self.table_name} {self.row_id}"
