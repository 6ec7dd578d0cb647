from django.contrib import admin

from .models import SupervisionSettings, Supervisor, SupervisorAssignment


@admin.register(SupervisionSettings)
class SupervisionSettingsAdmin(admin.ModelAdmin):
    list_display = ["program", "monthly_minimum_minutes", "debrief_due_days"]


@admin.register(Supervisor)
class SupervisorAdmin(admin.ModelAdmin):
    list_display = ["user", "program", "qualification", "training_due_on", "ended_on"]
    raw_id_fields = ["user", "designated_by"]


@admin.register(SupervisorAssignment)
class SupervisorAssignmentAdmin(admin.ModelAdmin):
    list_display = ["mentor", "supervisor", "started_on", "ended_on"]
    raw_id_fields = ["mentor", "supervisor", "assigned_by"]
