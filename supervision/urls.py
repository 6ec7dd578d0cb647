from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.home, name="home"),
    path("supervisors/new/", views.supervisor_new, name="supervisor_new"),
    path("supervisors/<int:pk>/training/", views.supervisor_training, name="supervisor_training"),
    path("assign/", views.assign, name="assign"),
    path("settings/", views.program_settings, name="settings"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/acknowledge/", views.session_acknowledge, name="session_acknowledge"),
    path("action-items/<int:pk>/done/", views.action_item_done, name="action_item_done"),
    path("approvals/", views.approval_list, name="approvals"),
    path("approvals/<int:pk>/", views.approval_detail, name="approval_detail"),
    path("mentors/<int:mentor_id>/log/", views.log, name="log"),
    path("mentors/<int:mentor_id>/log.csv", views.log_csv, name="log_csv"),
    path("follow-ups/", views.follow_up_list, name="follow_up_list"),
    path("follow-ups/<int:pk>/", views.follow_up_detail, name="follow_up_detail"),
    path("follow-ups/<int:pk>/resolve/", views.follow_up_resolve, name="follow_up_resolve"),
    path(
        "follow-ups/new/checkin/<int:pk>/",
        views.follow_up_new_checkin,
        name="follow_up_new_checkin",
    ),
    path("follow-ups/new/plan/<int:pk>/", views.follow_up_new_plan, name="follow_up_new_plan"),
]
