from django.urls import path

from . import views

app_name = "checkins"

urlpatterns = [
    path("self/", views.self_checkin, name="self"),
    path("mentees/<int:mentee_id>/", views.timeline, name="timeline"),
    path("mentees/<int:mentee_id>/new/", views.checkin_log, name="log"),
    path("mentees/<int:mentee_id>/draft/", views.draft_save, name="draft"),
    path("mentees/<int:mentee_id>/draft/discard/", views.draft_discard, name="draft_discard"),
    path("mentees/<int:mentee_id>/assessment/", views.assessment_new, name="assessment_new"),
    path(
        "mentees/<int:mentee_id>/assessment/draft/",
        views.assessment_draft,
        name="assessment_draft",
    ),
    path("groups/", views.group_list, name="groups"),
    path("groups/new/", views.group_new, name="group_new"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("<int:pk>/", views.checkin_detail, name="detail"),
    path("<int:pk>/edit/", views.checkin_edit, name="edit"),
    path("<int:pk>/crisis-handled/", views.crisis_handled, name="crisis_handled"),
    path("<int:pk>/void/", views.checkin_void, name="void"),
]
