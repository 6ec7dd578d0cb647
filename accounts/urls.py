from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("programs/", views.program_list, name="program_list"),
    path("programs/new/", views.program_create, name="program_create"),
    path("programs/<int:pk>/", views.program_detail, name="program_detail"),
    path("programs/<int:pk>/edit/", views.program_edit, name="program_edit"),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/accept/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("api-tokens/", views.api_token_list, name="api_tokens"),
    path("api-tokens/new/", views.api_token_create, name="api_token_create"),
    path("api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("session-expired/", views.session_expired, name="session_expired"),
    path("session/keepalive/", views.session_keepalive, name="session_keepalive"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", views.person_reactivate, name="person_reactivate"),
    path("people/<int:pk>/role/", views.person_change_role, name="person_change_role"),
    path("people/<int:pk>/move/", views.person_move, name="person_move"),
    path("me/", views.my_account, name="my_account"),
    path("style-guide/", views.style_guide, name="style_guide"),
]
