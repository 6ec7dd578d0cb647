from django.contrib import admin
from knox.models import AuthToken

from .models import Invitation, Program, User

# Personal API tokens are made on the site's API access page, after the second
# factor, and revoked there; knox's admin would make them without either.
if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "state", "county", "default_checkin_cadence_days"]
    search_fields = ["name", "county"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "role", "program", "is_active"]
    list_filter = ["role", "program", "is_active"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["password", "last_login", "date_joined"]
    list_select_related = ["program"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "program", "invited_by", "created_at", "accepted_at"]
    list_filter = ["role", "program"]
    readonly_fields = ["token_hash", "accepted_user", "accepted_at"]
    list_select_related = ["program", "invited_by"]
