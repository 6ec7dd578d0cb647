from datetime import timedelta

from django.utils import timezone

from checkins.models import CheckIn, RecoveryCapitalAssessment
from checkins.services import assessment_record, contact_dates_refresh


def make_checkin(mentee, author, *, days_ago: int = 0, **fields) -> CheckIn:
    """A check-in straight into the table (the rules are tested on the
    service), with the mentee's last contact and schedule kept as the
    services keep them."""
    defaults = {
        "kind": CheckIn.Kind.CONTACT,
        "delivery_method": "in_person",
        "duration_minutes": 30,
        "mood": 3,
        "craving_level": 4,
        "substance_use_days": 0,
        "occurred_at": timezone.now() - timedelta(days=days_ago),
        "mentor": author if author.is_mentor else None,
    }
    checkin = CheckIn.objects.create(mentee=mentee, author=author, **(defaults | fields))
    contact_dates_refresh(mentee=mentee)
    return checkin


def make_assessment(mentee, author, *, score: int = 4, **fields) -> RecoveryCapitalAssessment:
    """A BARC-10 through the service: every statement scored `score`."""
    return assessment_record(mentee=mentee, entered_by=author, scores=[score] * 10, **fields)
