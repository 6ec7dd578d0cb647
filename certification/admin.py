from django.contrib import admin

from .models import CECategoryRequirement, Certification, CertificationType, ContinuingEducation


class RequirementInline(admin.TabularInline):
    model = CECategoryRequirement
    extra = 1


@admin.register(CertificationType)
class CertificationTypeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "issuing_body",
        "cycle_months",
        "ce_hours_required",
        "renewal_window_days",
    ]
    inlines = [RequirementInline]


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["holder", "certification_type", "number", "expires_on", "manual_status"]
    list_filter = ["certification_type", "manual_status"]
    list_select_related = ["holder", "certification_type"]


@admin.register(ContinuingEducation)
class ContinuingEducationAdmin(admin.ModelAdmin):
    list_display = [
        "holder",
        "course_title",
        "completed_on",
        "hours",
        "category",
        "approved_at",
        "voided_at",
    ]
    list_filter = ["category"]
    # Voiding has its rules and its reason (services.ce_void): not typed in here.
    readonly_fields = ["voided_at", "voided_by", "void_reason"]
    # Evidence files are private: downloaded through the certification pages only.
    exclude = ["evidence"]
    list_select_related = ["holder"]
