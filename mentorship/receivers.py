from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import Invitation, Role, User
from accounts.signals import invitation_accepted

from . import services


@receiver(post_save, sender=User)
def give_mentors_a_profile(sender, instance: User, created: bool, raw: bool = False, **kwargs):
    # Every mentor has a profile from the start, however the login was made
    # (invitation, admin, demo data), so matching never meets a bare mentor.
    if created and instance.role == Role.MENTOR and not raw:
        services.mentor_profile_ensure(user=instance)


@receiver(invitation_accepted, sender=Invitation)
def link_mentee_login(sender, invitation: Invitation, user: User, **kwargs):
    if user.role == Role.MENTEE:
        services.mentee_link_login(invitation=invitation, user=user)
