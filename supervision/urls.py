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
]
