from django.urls import path

from . import views

app_name = "certification"

urlpatterns = [
    path("", views.my_certification, name="mine"),
    path("new/", views.certification_new, name="new"),
    path("new/draft/", views.certification_new_draft, name="new_draft"),
    path("report/", views.report, name="report"),
    path("report/csv/", views.report_csv, name="report_csv"),
    path("types/", views.type_list, name="types"),
    path("types/new/", views.type_edit, name="type_new"),
    path("types/<int:pk>/", views.type_edit, name="type_edit"),
    path("continuing-education/", views.ce_queue, name="ce_queue"),
    path("continuing-education/draft/", views.ce_draft, name="ce_draft"),
    path("continuing-education/<int:ce_id>/approve/", views.ce_approve, name="ce_approve"),
    path("continuing-education/<int:ce_id>/reject/", views.ce_reject, name="ce_reject"),
    path("continuing-education/<int:ce_id>/void/", views.ce_void, name="ce_void"),
    path("continuing-education/<int:ce_id>/evidence/", views.ce_evidence, name="ce_evidence"),
    path("documents/<int:document_id>/", views.document_download, name="document"),
    path("<int:pk>/", views.certification_detail, name="detail"),
    path("<int:pk>/edit/", views.certification_edit, name="edit"),
    path("<int:pk>/renew/", views.certification_renew, name="renew"),
    path("<int:pk>/status/", views.certification_status, name="status"),
    path("<int:pk>/documents/", views.document_upload, name="document_upload"),
]
