"""Query parameters of the notification list."""

import django_filters

from ..models import Notification

READ_CHOICES = [("true", "read"), ("false", "unread")]


class NotificationFilter(django_filters.FilterSet):
    channel = django_filters.ChoiceFilter(choices=Notification.Channel.choices)
    read = django_filters.ChoiceFilter(
        choices=READ_CHOICES, method="by_read", label="true: read ones; false: unread ones"
    )

    def by_read(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value == "false")
