from django.contrib import admin

from .models import Goal, PlanChange, PlanTemplate, RecoveryPlan


@admin.register(RecoveryPlan)
class RecoveryPlanAdmin(admin.ModelAdmin):
    list_display = ["mentee", "version", "status", "review_on", "acknowledged_at"]
    list_filter = ["status"]
    list_select_related = ["mentee"]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["plan", "domain", "status", "target_on"]
    list_filter = ["domain", "status"]


@admin.register(PlanChange)
class PlanChangeAdmin(admin.ModelAdmin):
    list_display = ["plan", "changed_by", "changed_at"]
    readonly_fields = ["plan", "changed_by", "changed_at", "summary"]


@admin.register(PlanTemplate)
class PlanTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "program"]
