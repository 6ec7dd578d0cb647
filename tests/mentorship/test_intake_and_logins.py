"""Intake without a login, and the invitation that links one later."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from mentorship.models import MenteeProfile
from tests.mentorship.factories import MenteeProfileFactory

pytestmark = pytest.mark.django_db

INTAKE = {
    "preferred_name": "Rosa", "legal_name": "Rosa Delgado", "date_of_birth": "1990-04-02",
    "phone": "(916) 555-0101", "email": "rosa@example.org", "county": "Sacramento",
    "referral_source": "treatment", "substances_of_concern": ["opioids", "alcohol"],
    "recovery_pathway": "medication", "preferred_language": "es",
    "mentor_gender_preference": "woman", "preferred_delivery_method": "telephone",
    "emergency_contact_name": "Ana Delgado", "emergency_contact_relationship": "sister",
    "emergency_contact_phone": "(916) 555-0199", "intake_date": "2026-11-20",
}  # fmt: skip


def test_coordinator_records_an_intake_as_referred_in_their_program(
    coordinator_client, coordinator
):
    response = coordinator_client.post(reverse("mentorship:mentee_create"), INTAKE)
    mentee = MenteeProfile.objects.get(preferred_name="Rosa")
    assert response.url == reverse("mentorship:mentee_detail", args=[mentee.pk])
    assert (mentee.program, mentee.status, mentee.user) == (coordinator.program, "referred", None)
    assert mentee.substances_of_concern == ["opioids", "alcohol"]
    assert mentee.created_by == coordinator


def test_intake_form_shows_errors_beside_fields(coordinator_client):
    response = coordinator_client.post(
        reverse("mentorship:mentee_create"), {**INTAKE, "preferred_name": "", "email": "nope"}
    )
    errors = response.context["form"].errors
    assert "preferred_name" in errors and "email" in errors


def test_invitation_from_the_record_links_the_new_login(client, coordinator_client, program):
    mentee = MenteeProfileFactory(
        program=program, email="kevin@example.org", preferred_name="Kevin"
    )
    coordinator_client.post(reverse("mentorship:mentee_invite", args=[mentee.pk]))
    link = re.search(r"/invitations/accept/[^/\s]+/", mail.outbox[-1].body).group(0)
    client.post(
        link,
        {
            "full_name": "Kevin Tran",
            "password1": "a long passphrase 9",
            "password2": "a long passphrase 9",
        },
    )
    mentee.refresh_from_db()
    assert mentee.user is not None and mentee.user.email == "kevin@example.org"
    assert mentee.user.role == "mentee" and mentee.user.program == program
    assert client.get(reverse("mentorship:mentee_detail", args=[mentee.pk])).status_code == 200


def test_inviting_needs_an_email_and_no_existing_login(coordinator_client, program, mentee_profile):
    no_email = MenteeProfileFactory(program=program, email="")
    coordinator_client.post(reverse("mentorship:mentee_invite", args=[no_email.pk]))
    coordinator_client.post(reverse("mentorship:mentee_invite", args=[mentee_profile.pk]))
    assert mail.outbox == []


def test_mentee_sees_their_mentors_public_profile_without_recovery_start(
    mentee_client, mentee_profile, mentor
):
    mentor.mentor_profile.bio = "Twelve years of recovery, one day at a time."
    mentor.mentor_profile.save()
    page = mentee_client.get(reverse("dashboard")).content.decode()
    assert "Twelve years of recovery" in page and mentor.full_name in page
    detail = mentee_client.get(reverse("mentorship:mentor_detail", args=[mentor.mentor_profile.pk]))
    assert "In recovery since" not in detail.content.decode()
    api = mentee_client.get(reverse("api:mentor-detail", args=[mentor.mentor_profile.pk])).json()
    assert "recovery_start_date" not in api and api["full_name"] == mentor.full_name


def test_coordinator_sees_the_mentors_recovery_start(coordinator_client, mentor):
    detail = coordinator_client.get(
        reverse("mentorship:mentor_detail", args=[mentor.mentor_profile.pk])
    )
    assert "In recovery since" in detail.content.decode()


def test_mentor_edits_their_own_profile(mentor_client, mentor):
    response = mentor_client.post(
        reverse("mentorship:mentor_profile_edit"),
        {
            "bio": "Hello",
            "languages": ["en", "es"],
            "recovery_pathways": ["smart"],
            "delivery_methods": ["telehealth"],
            "accepting_new_mentees": "on",
            "county": "Yolo",
        },
    )
    assert response.status_code == 302
    profile = mentor.mentor_profile
    profile.refresh_from_db()
    assert (profile.bio, profile.languages, profile.county) == ("Hello", ["en", "es"], "Yolo")


def test_coordinator_sets_capacity_but_mentor_cannot(coordinator_client, mentor_client, mentor):
    url = reverse("mentorship:mentor_capacity_edit", args=[mentor.mentor_profile.pk])
    assert mentor_client.post(url, {"caseload_capacity": 20}).status_code == 403
    coordinator_client.post(url, {"caseload_capacity": 5, "accepting_new_mentees": "on"})
    mentor.mentor_profile.refresh_from_db()
    assert mentor.mentor_profile.caseload_capacity == 5


def test_a_mentee_record_is_edited_through_its_service_only_by_coordinators(
    mentee_profile, coordinator, mentor
):
    from django.core.exceptions import PermissionDenied, ValidationError

    from mentorship import services

    services.mentee_update(mentee=mentee_profile, changed_by=coordinator, phone="916-555-0100")
    mentee_profile.refresh_from_db()
    assert mentee_profile.phone == "916-555-0100"
    with pytest.raises(PermissionDenied):
        services.mentee_update(mentee=mentee_profile, changed_by=mentor, phone="1")
    with pytest.raises(ValidationError) as refused:
        services.mentee_update(mentee=mentee_profile, changed_by=coordinator, status="graduated")
    assert "status" in refused.value.message_dict


def test_the_api_edits_a_mentee_record_through_the_service(coordinator, mentee_profile):
    from django.urls import reverse

    from tests.accounts.test_api import api_client_for

    url = reverse("api:mentee-detail", args=[mentee_profile.pk])
    response = api_client_for(coordinator).patch(url, {"phone": "916-555-0101"}, format="json")
    assert response.status_code == 200 and response.json()["phone"] == "916-555-0101"
