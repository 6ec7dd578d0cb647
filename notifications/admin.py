from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "due_key", "channel", "state", "created_at", "sent_at"]
    list_filter = ["kind", "channel", "state"]
    list_select_related = ["recipient"]
