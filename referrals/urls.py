from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("mentees/<int:mentee_id>/", views.mentee_referrals, name="mentee"),
    path("mentees/<int:mentee_id>/new/", views.referral_new, name="referral_new"),
    path("mentees/<int:mentee_id>/consents/new/", views.consent_record, name="consent_record"),
    path("mentees/<int:mentee_id>/letter/", views.letter_new, name="letter_new"),
    path("mentees/<int:mentee_id>/collateral/", views.collateral_new, name="collateral_new"),
    path("mentees/<int:mentee_id>/disclosures/", views.accounting, name="accounting"),
    path("mentees/<int:mentee_id>/disclosures.csv", views.accounting_csv, name="accounting_csv"),
    path("<int:pk>/status/", views.referral_status, name="referral_status"),
    path("consents/<int:pk>/revoke/", views.consent_revoke, name="consent_revoke"),
    path("consents/<int:pk>/form/", views.consent_form, name="consent_form"),
    path("letters/<int:pk>/", views.letter, name="letter"),
    path("letters/<int:pk>/letter.pdf", views.letter_pdf, name="letter_pdf"),
    path("my-consents/", views.my_consents, name="my_consents"),
    path("my-consents/sign/", views.consent_sign, name="consent_sign"),
    path("resources/", views.resource_list, name="resource_list"),
    path("resources/new/", views.resource_new, name="resource_new"),
    path("resources/import/", views.resource_import, name="resource_import"),
    path("resources/<int:pk>/", views.resource_edit, name="resource_edit"),
]
