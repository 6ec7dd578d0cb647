from django.urls import path

from . import views

app_name = "operations"

urlpatterns = [
    path("", views.operations_page, name="page"),
    path("emails/<int:pk>/retry/", views.notification_retry, name="notification_retry"),
    path("retention/", views.retention_page, name="retention"),
    path("retention/programs/<int:pk>/", views.retention_setting, name="retention_setting"),
    path("retention/<int:pk>/purge/", views.retention_purge, name="retention_purge"),
]
