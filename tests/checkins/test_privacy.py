"""No email carries what the records say: run every job on the demo data and
read every email it sends."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command

from checkins import reminders, services
from checkins.demo import NOTES
from checkins.models import CheckIn
from mentorship.choices import LivedExperience
from mentorship.models import MenteeProfile
from notifications.services import notifications_send_pending

pytestmark = pytest.mark.django_db


def test_no_email_from_any_job_carries_notes_substances_or_names():
    call_command("seed_demo", stdout=io.StringIO())
    crisis = CheckIn.objects.get(crisis_flag=True)
    services.crisis_alert(checkin_id=crisis.pk)
    for sweep in (
        reminders.remind_checkins_due,
        reminders.alert_overdue_checkins,
        reminders.flag_contact_gaps,
        reminders.remind_recovery_capital_due,
    ):
        sweep()
    while notifications_send_pending():
        pass
    assert len(mail.outbox) >= 3  # the crisis alert, overdue check-ins, contact gaps

    forbidden = [*NOTES, crisis.crisis_notes, *[str(label) for _, label in LivedExperience.choices]]
    for mentee in MenteeProfile.objects.all():
        forbidden += [mentee.preferred_name, mentee.legal_name]
    pattern = re.compile(
        "|".join(rf"\b{re.escape(text)}\b" for text in forbidden if text), re.IGNORECASE
    )
    for message in mail.outbox:
        text = " ".join([message.subject, message.body, *[a[0] for a in message.alternatives]])
        assert not pattern.search(text), (
            f"{message.subject!r} to {message.to}: {pattern.search(text)}"
        )
