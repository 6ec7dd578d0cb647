from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.constraints import PlainConstraints
from mentorship.models import MenteeProfile, mentee_scope

from .follow_ups import Point


class FollowUpQuerySet(models.QuerySet):
    def visible_to(self, user) -> "FollowUpQuerySet":
        scope = mentee_scope(user, "mentee__")
        return self.none() if scope is None else self.filter(scope)


class FollowUp(PlainConstraints, models.Model):
    """What was done at one follow-up point of a mentee: the attempts to
    reach them and the day it was completed. The window itself is worked out
    from the intake and discharge dates (reports.follow_ups)."""

    mentee = models.ForeignKey(MenteeProfile, on_delete=models.CASCADE, related_name="follow_ups")
    point = models.CharField(max_length=12, choices=Point.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "point"],
                name="follow_up_once_per_mentee_point",
                violation_error_message=_("This follow-up point is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(attempts__gte=1),
                name="follow_up_completed_counts_an_attempt",
                violation_error_message=_("A completed follow-up counts as an attempt."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point} of mentee {self.mentee_id}"
