from django.urls import path

from . import views

app_name = "mentorship"

urlpatterns = [
    path("mentees/", views.mentee_list, name="mentee_list"),
    path("mentees/new/", views.mentee_create, name="mentee_create"),
    path("mentees/new/draft/", views.mentee_create_draft, name="mentee_create_draft"),
    path("mentees/break-glass/", views.break_glass, name="break_glass"),
    path("mentees/<int:pk>/", views.mentee_detail, name="mentee_detail"),
    path("mentees/<int:pk>/edit/", views.mentee_edit, name="mentee_edit"),
    path("mentees/<int:pk>/status/", views.mentee_status, name="mentee_status"),
    path("mentees/<int:pk>/assign/", views.mentee_assign, name="mentee_assign"),
    path("mentees/<int:pk>/invite/", views.mentee_invite, name="mentee_invite"),
    path("mentees/<int:pk>/consent/", views.mentee_consent, name="mentee_consent"),
    path("mentees/<int:pk>/access/", views.mentee_access_history, name="mentee_access_history"),
    path("mentees/me/access/", views.my_record_access, name="my_record_access"),
    path("mentors/", views.mentor_list, name="mentor_list"),
    path("mentors/me/edit/", views.mentor_profile_edit, name="mentor_profile_edit"),
    path("mentors/me/edit/draft/", views.mentor_profile_draft, name="mentor_profile_draft"),
    path("mentors/<int:pk>/", views.mentor_detail, name="mentor_detail"),
    path("mentors/<int:pk>/capacity/", views.mentor_capacity_edit, name="mentor_capacity_edit"),
]
