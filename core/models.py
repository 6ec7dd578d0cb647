"""What core keeps in the database: the spent tokens of create forms, and
the drafts of long forms."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constraints import PlainConstraints


class FormSubmission(PlainConstraints, models.Model):
    """A create form's one-time token, spent by the service that saved it.

    The back button and a second Save send the same token again: the service
    finds it spent and answers with the record the first Save made, instead of
    a second one (core.once)."""

    token = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    service = models.CharField(max_length=120)
    result_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    result_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(result_type__isnull=True, result_id__isnull=True)
                | models.Q(result_type__isnull=False, result_id__isnull=False),
                name="formsubmission_result_type_and_id_together",
                violation_error_message=_(
                    "A saved form names both the kind and the id of its record."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.token}"


class FormDraft(PlainConstraints, models.Model):
    """A long form as last autosaved (core.drafts), so that what was typed
    survives an idle sign-out, a closed tab or a reload, as the check-in's
    draft does. One per author and form (the form's own path); only its
    author ever gets it back. Saving the form finishes it: the values are
    wiped, and an autosave that the same page sent just before (`page`) is
    not let bring them back."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    form = models.CharField(max_length=200)
    page = models.UUIDField()
    data = models.JSONField(default=dict)
    finished = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["author", "form"],
                name="formdraft_one_per_author_form",
                violation_error_message="A draft of this form is already open.",
            )
        ]

    def __str__(self) -> str:
        return f"Draft #{self.pk}"


class RateCount(models.Model):
    """The API's rate limits (core.api.throttling): one row a key (a user, or
    a user and a scope), the start of its current window on the throttle's
    clock (seconds since the epoch) and the calls counted in it. Counted by
    one statement a call, shared by every web process."""

    key = models.CharField(max_length=200, primary_key=True)
    window_start = models.FloatField()
    calls = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.key}: {self.calls} calls"
