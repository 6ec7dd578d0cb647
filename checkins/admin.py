from django.contrib import admin

from .models import CheckIn, CheckInSchedule, RecoveryCapitalAssessment


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["mentee", "kind", "occurred_at", "delivery_method", "crisis_flag", "billable"]
    list_filter = ["kind", "delivery_method", "crisis_flag", "billable"]
    list_select_related = ["mentee"]
    date_hierarchy = "occurred_at"


@admin.register(CheckInSchedule)
class CheckInScheduleAdmin(admin.ModelAdmin):
    list_display = ["assignment", "cadence_days", "next_due_on"]


@admin.register(RecoveryCapitalAssessment)
class RecoveryCapitalAssessmentAdmin(admin.ModelAdmin):
    list_display = ["mentee", "assessed_on", "total"]
