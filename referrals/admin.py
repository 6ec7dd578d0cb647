from django.contrib import admin

from .models import Consent, Disclosure, Referral, Resource


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["organisation", "program", "last_verified_on", "accepting_new_clients"]
    list_filter = ["program", "accepts_medi_cal", "accepting_new_clients"]
    search_fields = ["organisation"]


class RecordAdmin(admin.ModelAdmin):
    """Consents and disclosures are records: read here, never edited (a
    consent changes only by revocation, through its service)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consent)
class ConsentAdmin(RecordAdmin):
    list_display = ["pk", "mentee", "purpose", "signed_at", "expires_on", "revoked_at"]
    list_select_related = ["mentee"]


@admin.register(Disclosure)
class DisclosureAdmin(RecordAdmin):
    list_display = ["pk", "mentee", "kind", "recipient_name", "disclosed_at"]
    list_select_related = ["mentee"]


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["pk", "mentee", "category", "mode", "status", "follow_up_on"]
    list_filter = ["status", "mode", "category"]
    list_select_related = ["mentee"]
