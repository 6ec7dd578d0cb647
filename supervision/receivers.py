from django.db.models.signals import post_save
from django.dispatch import receiver

from checkins.models import CheckIn

from . import services


@receiver(post_save, sender=CheckIn)
def open_crisis_debrief(sender, instance: CheckIn, raw: bool = False, **kwargs):
    # In the check-in's own transaction: the debrief exists exactly when the
    # crisis check-in does.
    if not raw and instance.crisis_flag and instance.voided_at is None:
        services.debrief_open(checkin=instance)
