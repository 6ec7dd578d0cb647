from django.urls import path

from . import views

app_name = "operations"

urlpatterns = [
    path("", views.operations_page, name="page"),
    path("emails/<int:pk>/retry/", views.notification_retry, name="notification_retry"),
]
