from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts import views as account_views

admin.site.site_header = "Peerpath administration"
# Django admin signs in through allauth, so its password form cannot skip the
# second factor; signed-in non-admins are refused.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", account_views.dashboard, name="dashboard"),
    path("", include("accounts.urls")),
    path("", include("mentorship.urls")),
    path("notifications/", include("notifications.urls")),
    path("checkins/", include("checkins.urls")),
    path("plans/", include("recovery_plans.urls")),
    path("referrals/", include("referrals.urls")),
    path("supervision/", include("supervision.urls")),
    path("certification/", include("certification.urls")),
    path("reports/", include("reports.urls")),
    path("audit/", include("audit.urls")),
    path("operations/", include("operations.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_router")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
]
