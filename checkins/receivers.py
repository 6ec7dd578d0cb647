from django.db.models.signals import post_save
from django.dispatch import receiver

from mentorship.models import Assignment

from . import services


@receiver(post_save, sender=Assignment)
def schedule_new_assignments(
    sender, instance: Assignment, created: bool, raw: bool = False, **kwargs
):
    # Every active assignment has a check-in schedule from its first day.
    if created and not raw and instance.ended_at is None:
        services.schedule_ensure(assignment=instance)
