from django.contrib import admin

from mentorship.models import MenteeProfile

from .models import CheckIn, CheckInSchedule, RecoveryCapitalAssessment
from .services import contact_dates_refresh


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["mentee", "kind", "occurred_at", "delivery_method", "crisis_flag", "billable"]
    list_filter = ["kind", "delivery_method", "crisis_flag", "billable"]
    list_select_related = ["mentee"]
    date_hierarchy = "occurred_at"

    # A change made here goes around the services: the mentee's last contact
    # and schedule are brought back in line with the check-ins after it.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        contact_dates_refresh(mentee=obj.mentee)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        contact_dates_refresh(mentee=obj.mentee)

    def delete_queryset(self, request, queryset):
        mentees = list(MenteeProfile.objects.filter(checkins__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for mentee in mentees:
            contact_dates_refresh(mentee=mentee)


@admin.register(CheckInSchedule)
class CheckInScheduleAdmin(admin.ModelAdmin):
    list_display = ["assignment", "cadence_days", "next_due_on"]


@admin.register(RecoveryCapitalAssessment)
class RecoveryCapitalAssessmentAdmin(admin.ModelAdmin):
    list_display = ["mentee", "assessed_on", "total"]
