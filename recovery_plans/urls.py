from django.urls import path

from . import views

app_name = "recovery_plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/<int:mentee_id>/", views.plan_start, name="start"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/<int:pk>/", views.template_detail, name="template_detail"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/print/", views.plan_print, name="print"),
    path("<int:pk>/history/", views.plan_history, name="history"),
    path("<int:pk>/activate/", views.plan_activate, name="activate"),
    path("<int:pk>/new-version/", views.plan_new_version, name="new_version"),
    path("<int:pk>/acknowledge/", views.plan_acknowledge, name="acknowledge"),
    path("<int:pk>/review-date/", views.plan_review_date, name="review_date"),
    path("<int:pk>/goals/", views.goal_add, name="goal_add"),
    path("<int:pk>/goals/draft/", views.goal_add_draft, name="goal_add_draft"),
    path("<int:pk>/triggers/", views.trigger_add, name="trigger_add"),
    path("<int:pk>/supports/", views.support_add, name="support_add"),
    path("<int:pk>/safety/", views.safety_edit, name="safety_edit"),
    path("<int:pk>/safety/draft/", views.safety_draft, name="safety_draft"),
    path("goals/<int:goal_id>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:goal_id>/edit/draft/", views.goal_draft, name="goal_draft"),
    path("goals/<int:goal_id>/move/", views.goal_move, name="goal_move"),
    path("goals/<int:goal_id>/remove/", views.goal_remove, name="goal_remove"),
    path("goals/<int:goal_id>/steps/", views.step_add, name="step_add"),
    path("steps/<int:step_id>/toggle/", views.step_toggle, name="step_toggle"),
    path("steps/<int:step_id>/move/", views.step_move, name="step_move"),
    path("steps/<int:step_id>/remove/", views.step_remove, name="step_remove"),
    path("triggers/<int:trigger_id>/coping/", views.coping_add, name="coping_add"),
]
