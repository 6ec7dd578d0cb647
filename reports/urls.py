from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("outcomes/", views.outcomes, name="outcomes"),
    path("outcomes.csv", views.outcomes_csv, name="outcomes_csv"),
    path("outcomes.pdf", views.outcomes_pdf, name="outcomes_pdf"),
    path("outcomes/mentee-months.csv", views.mentee_months_csv, name="mentee_months_csv"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path(
        "follow-ups/<int:mentee_id>/<str:point>/",
        views.follow_up_attempt,
        name="follow_up_attempt",
    ),
]
