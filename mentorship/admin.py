from django.contrib import admin

from .models import Assignment, MenteeProfile, MentorProfile


@admin.register(MentorProfile)
class MentorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "county", "caseload_capacity", "accepting_new_mentees"]
    list_select_related = ["user"]


@admin.register(MenteeProfile)
class MenteeProfileAdmin(admin.ModelAdmin):
    list_display = ["preferred_name", "program", "status", "intake_date"]
    list_filter = ["status", "program"]
    search_fields = ["preferred_name", "legal_name"]
    list_select_related = ["program"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["mentee", "mentor", "started_on", "ended_at", "end_reason"]
    list_select_related = ["mentee", "mentor"]
