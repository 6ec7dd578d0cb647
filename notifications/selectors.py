from django.db.models import QuerySet

from .models import Notification


def notification_list(*, user) -> QuerySet[Notification]:
    return Notification.objects.visible_to(user)


def unread_count(*, user) -> int:
    return Notification.objects.visible_to(user).unread().count()
