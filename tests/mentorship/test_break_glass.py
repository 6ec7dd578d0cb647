"""Break-glass: an admin opens one mentee's record for a while, with a reason,
and the program's coordinators and every admin are told. Without a grant, no
admin reaches a mentee record (the scoping tables check every URL)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent
from mentorship.models import BreakGlassGrant, MenteeProfile
from mentorship.services import break_glass_open
from notifications.models import Notification
from notifications.services import notifications_send_pending
from tests.accounts.factories import UserFactory, enrol_totp
from tests.mentorship.factories import MenteeProfileFactory

pytestmark = pytest.mark.django_db

REASON = "Safety concern reported by phone"
T0 = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


def _open(admin, mentee, reason=REASON):
    return break_glass_open(user=admin, mentee_id=mentee.pk, reason=reason)


def _detail(client, mentee):
    return client.get(reverse("mentorship:mentee_detail", args=[mentee.pk]))


# --- The service's rules ------------------------------------------------------


@pytest.mark.parametrize("role", ["mentor", "mentee"])
def test_only_admins_and_coordinators_may_break_the_glass(request, mentee_profile, role):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied, match="Only admins and coordinators"):
        _open(user, mentee_profile)
    assert not BreakGlassGrant.objects.exists()


@pytest.mark.parametrize("reason", ["", "   ", "\n\t", None])
def test_a_reason_is_required(admin_user, mentee_profile, reason):
    with pytest.raises(ValidationError) as refused:
        _open(admin_user, mentee_profile, reason=reason)
    assert refused.value.message_dict == {"reason": ["Say why you need to open this record."]}
    assert not BreakGlassGrant.objects.exists()
    assert not AccessEvent.objects.filter(action="break_glass").exists()


@pytest.mark.parametrize("number", [0, -1, "abc", "", None, 2**31, 2**63, "1; drop", "unknown"])
def test_an_unknown_record_number_is_refused_plainly(admin_user, mentee_profile, number):
    if number == "unknown":
        number = MenteeProfile.objects.order_by("-pk").first().pk + 1
    with pytest.raises(ValidationError) as refused:
        break_glass_open(user=admin_user, mentee_id=number, reason=REASON)
    assert refused.value.message_dict == {"mentee": ["There is no mentee with this record number."]}
    assert not BreakGlassGrant.objects.exists()


def test_the_grant_covers_that_mentee_for_sixty_minutes(admin_user, mentee_profile):
    with time_machine.travel(T0, tick=False):
        grant = _open(admin_user, mentee_profile)
    assert (grant.user, grant.mentee, grant.reason) == (admin_user, mentee_profile, REASON)
    assert grant.granted_at == T0
    assert grant.expires_at == T0 + timedelta(minutes=60)


@override_settings(PEERPATH_BREAK_GLASS_MINUTES=15)
def test_the_length_of_a_grant_is_a_setting(admin_user, mentee_profile):
    with time_machine.travel(T0, tick=False):
        grant = _open(admin_user, mentee_profile)
    assert grant.expires_at - grant.granted_at == timedelta(minutes=15)


@pytest.mark.parametrize(
    ("after", "status"),
    [
        (timedelta(minutes=59, seconds=59), 200),
        (timedelta(minutes=60), 404),
        (timedelta(minutes=60, seconds=1), 404),
    ],
    ids=["59:59", "60:00", "60:01"],
)
def test_the_grant_ends_after_sixty_minutes(
    admin_user, admin_client, mentee_profile, after, status
):
    with time_machine.travel(T0, tick=False):
        _open(admin_user, mentee_profile)
    with time_machine.travel(T0 + after, tick=False):
        assert _detail(admin_client, mentee_profile).status_code == status
        listed = admin_client.get(reverse("api:mentee-list")).json()["results"]
        assert [m["id"] for m in listed] == ([mentee_profile.pk] if status == 200 else [])


def test_the_grant_covers_that_mentee_only(
    admin_user, admin_client, mentee_profile, program, coordinator
):
    another = MenteeProfileFactory(program=program, created_by=coordinator, status="active")
    _open(admin_user, mentee_profile)
    assert _detail(admin_client, mentee_profile).status_code == 200
    assert _detail(admin_client, another).status_code == 404
    listed = admin_client.get(reverse("api:mentee-list")).json()["results"]
    assert [m["id"] for m in listed] == [mentee_profile.pk]


def test_the_grant_is_the_admins_own(admin_user, mentee_profile, client_for):
    """Another admin gets nothing from a colleague's grant."""
    colleague = UserFactory(admin=True, email="second.admin@example.org")
    enrol_totp(colleague)
    _open(admin_user, mentee_profile)
    assert _detail(client_for(colleague), mentee_profile).status_code == 404


def test_two_grants_list_the_mentee_once(admin_user, admin_client, mentee_profile):
    _open(admin_user, mentee_profile)
    _open(admin_user, mentee_profile, reason="Still checking")
    listed = admin_client.get(reverse("api:mentee-list")).json()["results"]
    assert [m["id"] for m in listed] == [mentee_profile.pk]


# --- The database's constraints ------------------------------------------------


def _grant(admin, mentee, **fields):
    now = timezone.now()
    values = {"reason": REASON, "granted_at": now, "expires_at": now + timedelta(minutes=1)}
    return BreakGlassGrant(user=admin, mentee=mentee, **{**values, **fields})


@pytest.mark.parametrize(
    "fields",
    [
        {"reason": ""},
        {
            "expires_at": datetime(2026, 1, 1, tzinfo=UTC),
            "granted_at": datetime(2026, 1, 1, tzinfo=UTC),
        },
        {
            "expires_at": datetime(2025, 12, 31, tzinfo=UTC),
            "granted_at": datetime(2026, 1, 1, tzinfo=UTC),
        },
    ],
    ids=["blank reason", "ends as it starts", "ends before it starts"],
)
def test_the_database_refuses_a_grant_that_makes_no_sense(admin_user, mentee_profile, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        _grant(admin_user, mentee_profile, **fields).save()


# --- The audit trail and the people told ----------------------------------------


def test_the_grant_is_audited_with_its_reason(admin_user, mentee_profile):
    grant = _open(admin_user, mentee_profile)
    event = AccessEvent.objects.get(action="break_glass")
    assert event.user_id == admin_user.pk
    assert event.role == "admin"
    assert event.mentee_ids == [mentee_profile.pk]
    assert (event.object_type, event.object_id) == ("mentee", str(grant.mentee_id))
    assert event.reason == REASON
    assert event.outcome == "allowed"


def test_coordinators_of_the_program_and_all_admins_are_told_once(
    admin_user, mentee_profile, coordinator, outsider, program
):
    second_coordinator = UserFactory(coordinator=True, program=program, email="c2@example.org")
    second_admin = UserFactory(admin=True, email="second.admin@example.org")
    UserFactory(admin=True, email="gone.admin@example.org", is_active=False)
    UserFactory(coordinator=True, program=program, email="gone.c@example.org", is_active=False)
    grant = _open(admin_user, mentee_profile)
    told = Notification.objects.filter(kind="break_glass", subject_id=grant.pk)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [admin_user.pk, second_admin.pk, coordinator.pk, second_coordinator.pk]
    )
    assert outsider.pk not in told.values_list("recipient_id", flat=True)


def test_the_email_carries_the_kind_and_a_link_never_a_name(admin_user, mentee_profile):
    _open(admin_user, mentee_profile)
    assert notifications_send_pending(batch_size=50) >= 2
    emails = [m for m in mail.outbox if "emergency" in m.subject]
    assert emails
    for message in emails:
        assert message.subject == "[Peerpath] An admin opened a mentee record in an emergency"
        assert "/notifications/" in message.body
        for private in (mentee_profile.preferred_name, mentee_profile.legal_name, REASON):
            if private:
                assert private not in message.subject + message.body


def test_the_link_leads_a_coordinator_to_the_access_history(
    admin_user, mentee_profile, coordinator, coordinator_client
):
    grant = _open(admin_user, mentee_profile)
    notification = Notification.objects.get(kind="break_glass", recipient=coordinator)
    assert notification.subject_id == grant.pk
    assert notification.target_url() == reverse(
        "mentorship:mentee_access_history", args=[mentee_profile.pk]
    )
    page = coordinator_client.get(notification.target_url())
    assert page.status_code == 200


# --- The page -------------------------------------------------------------------


def test_the_page_says_what_happens(admin_client):
    page = admin_client.get(reverse("mentorship:break_glass"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "60 minutes" in text
    assert "recorded" in text
    assert "coordinators" in text and "all admins" in text
    assert 'name="mentee"' in text and 'name="reason"' in text


def test_the_navigation_links_to_it_for_admins_and_coordinators(
    admin_client, coordinator_client, mentor_client
):
    url = reverse("mentorship:break_glass")
    assert "Emergency access" in admin_client.get(reverse("dashboard")).content.decode()
    assert url in admin_client.get(reverse("dashboard")).content.decode()
    assert url in coordinator_client.get(reverse("dashboard")).content.decode()
    assert url not in mentor_client.get(reverse("dashboard")).content.decode()


def test_the_page_opens_the_record_and_sends_the_admin_there(admin_client, mentee_profile):
    url = reverse("mentorship:break_glass")
    response = admin_client.post(url, {"mentee": mentee_profile.pk, "reason": REASON})
    assert response.status_code == 302
    assert response.url == reverse("mentorship:mentee_detail", args=[mentee_profile.pk])
    assert admin_client.get(response.url).status_code == 200
    assert BreakGlassGrant.objects.get().reason == REASON


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mentee": "", "reason": REASON}, "This field is required."),
        ({"mentee": "twelve", "reason": REASON}, "Enter the record number, digits only."),
        ({"mentee": "999999", "reason": REASON}, "There is no mentee with this record number."),
        ({"mentee": "MENTEE", "reason": ""}, "Say why you need to open this record."),
        ({"mentee": "MENTEE", "reason": "   "}, "Say why you need to open this record."),
    ],
    ids=["no number", "not a number", "unknown number", "no reason", "blank reason"],
)
def test_the_page_refuses_plainly(admin_client, mentee_profile, data, message):
    data = {k: str(mentee_profile.pk) if v == "MENTEE" else v for k, v in data.items()}
    response = admin_client.post(reverse("mentorship:break_glass"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BreakGlassGrant.objects.exists()
    assert _detail(admin_client, mentee_profile).status_code == 404


@pytest.mark.parametrize("role", ["mentor", "mentee"])
def test_no_one_else_may_use_the_page(request, client_for, mentee_profile, role):
    client = client_for(request.getfixturevalue(role))
    url = reverse("mentorship:break_glass")
    assert client.get(url).status_code == 403
    assert client.post(url, {"mentee": mentee_profile.pk, "reason": REASON}).status_code == 403
    assert not BreakGlassGrant.objects.exists()


# --- A coordinator covering another program that allows it ---------------------


@pytest.fixture
def covering(other_program, outsider):
    """`outsider` coordinates another program; `program` (the mentee's) allows cover."""
    return outsider


def test_a_coordinator_covers_another_program_only_where_it_allows_it(
    covering, mentee_profile, program, coordinator
):
    from mentorship.models import MenteeProfile
    from mentorship.services import NO_RECORD_TO_COVER, break_glass_open

    assert not MenteeProfile.objects.visible_to(covering).filter(pk=mentee_profile.pk).exists()
    with pytest.raises(ValidationError) as refused:
        break_glass_open(user=covering, mentee_id=mentee_profile.pk, reason="Covering tonight")
    assert refused.value.message_dict["mentee"] == [NO_RECORD_TO_COVER]
    # An unknown number answers the same: nothing is learnt about other programs.
    with pytest.raises(ValidationError) as unknown:
        break_glass_open(user=covering, mentee_id=999999, reason="Covering tonight")
    assert unknown.value.message_dict["mentee"] == [NO_RECORD_TO_COVER]
    program.coordinators_may_cover = True
    program.save()
    break_glass_open(user=covering, mentee_id=mentee_profile.pk, reason="Covering tonight")
    assert MenteeProfile.objects.visible_to(covering).filter(pk=mentee_profile.pk).exists()
    # Their own program's mentees are theirs already; no glass to break.
    with pytest.raises(ValidationError, match="in your program"):
        break_glass_open(user=coordinator, mentee_id=mentee_profile.pk, reason="mine")


def test_a_covering_coordinator_reaches_the_record_page_for_the_grant_only(
    covering, mentee_profile, program, client_for
):
    program.coordinators_may_cover = True
    program.save()
    client = client_for(covering)
    url = reverse("mentorship:mentee_detail", args=[mentee_profile.pk])
    assert client.get(url).status_code == 404
    response = client.post(
        reverse("mentorship:break_glass"),
        {"mentee": mentee_profile.pk, "reason": "Covering the weekend on-call"},
    )
    assert response.status_code == 302 and response.url == url
    assert client.get(url).status_code == 200
