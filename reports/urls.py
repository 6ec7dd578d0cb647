from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("outcomes/", views.outcomes, name="outcomes"),
    path("outcomes.csv", views.outcomes_csv, name="outcomes_csv"),
]
