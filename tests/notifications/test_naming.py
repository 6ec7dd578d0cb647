"""In-app notifications name the mentee and link to the record, for readers
who still reach that mentee; emails stay free of names. A mentor is told
when a mentee is assigned to them."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent
from checkins import services as checkin_services
from mentorship import services as mentorship_services
from mentorship.models import MenteeProfile
from notifications.models import Notification
from notifications.tasks import send_pending_notifications
from tests.audit import AUDIT_EVENT_QUERIES
from tests.checkins.factories import make_checkin
from tests.mentorship.factories import MenteeProfileFactory, make_mentor

pytestmark = pytest.mark.django_db


def crisis_for(mentee, mentor):
    checkin = make_checkin(mentee, mentor, crisis_flag=True, crisis_notes="PHI-MARKER")
    checkin_services._write_crisis_alert(checkin)
    return checkin


def test_a_crisis_alert_names_the_mentee_and_opens_the_checkin(
    coordinator, coordinator_client, mentee_profile, mentor
):
    checkin = crisis_for(mentee_profile, mentor)
    page = coordinator_client.get(reverse("notifications:list")).content.decode()
    assert f"A crisis was flagged in your program: {mentee_profile.preferred_name}" in page
    notification = Notification.objects.get(recipient=coordinator)
    opened = coordinator_client.get(reverse("notifications:open", args=[notification.pk]))
    assert opened.url == reverse("checkins:detail", args=[checkin.pk])


def test_the_list_that_names_mentees_is_in_the_audit_trail(
    coordinator, coordinator_client, mentee_profile, mentor
):
    crisis_for(mentee_profile, mentor)
    before = AccessEvent.objects.count()
    coordinator_client.get(reverse("notifications:list"))
    event = AccessEvent.objects.order_by("pk")[before]
    assert (event.action, event.object_type, event.mentee_ids) == (
        "list",
        "notification",
        [mentee_profile.pk],
    )


def test_a_reader_who_no_longer_reaches_the_mentee_sees_no_name(
    program, coordinator, mentee_profile, mentor, client_for
):
    """Reassigned away, the old mentor's earlier reminders stop naming them."""
    new_mentor = make_mentor(program, email="new.mentor@example.org")
    mentorship_services.assignment_create(
        mentee=mentee_profile,
        mentor=new_mentor,
        assigned_by=coordinator,
        end_reason="other",
    )
    old = Notification.objects.create(
        recipient=mentor,
        kind="contact_gap_14",
        subject_type=ContentType.objects.get_for_model(MenteeProfile),
        subject_id=mentee_profile.pk,
        due_key="x",
        created_at=timezone.now(),
    )
    page = client_for(mentor).get(reverse("notifications:list")).content.decode()
    assert old.label in page
    assert mentee_profile.preferred_name not in page
    page = client_for(new_mentor).get(reverse("notifications:list")).content.decode()
    assert f"A mentee was assigned to you: {mentee_profile.preferred_name}" in page


def test_a_mentor_is_told_when_a_mentee_is_assigned_and_the_email_names_no_one(
    program, coordinator, mentor
):
    mentee = MenteeProfileFactory(program=program, preferred_name="Zelda")
    assignment = mentorship_services.assignment_create(
        mentee=mentee, mentor=mentor, assigned_by=coordinator
    )
    notification = Notification.objects.get(recipient=mentor, kind="mentee_assigned")
    assert notification.subject_id == assignment.pk
    assert notification.target_url() == reverse("mentorship:mentee_detail", args=[mentee.pk])
    send_pending_notifications()
    (email,) = [m for m in mail.outbox if mentor.email in m.to]
    assert "Zelda" not in email.subject + email.body
    assert "A mentee was assigned to you" in email.subject + email.body


@pytest.mark.parametrize("size", [2, 20])
def test_naming_costs_one_query_per_kind_whatever_the_size(
    size, program, coordinator, coordinator_client, mentor, django_assert_num_queries
):
    mentor.mentor_profile.caseload_capacity = 50
    mentor.mentor_profile.save()
    for _ in range(size):
        crisis_for(MenteeProfileFactory(program=program, status="active"), mentor)
    # 1 session, 2 user with the MFA check (accounts.backends), 3 count, 4 page, 5 the crises' mentees,
    # then the audit event
    with django_assert_num_queries(5 + AUDIT_EVENT_QUERIES):
        assert coordinator_client.get(reverse("notifications:list")).status_code == 200
