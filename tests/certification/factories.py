from datetime import timedelta
from importlib import import_module

from django.utils import timezone

from accounts.dates import user_today
from certification.models import Certification, CertificationType, ContinuingEducation

MEDI_CAL = "Medi-Cal Peer Support Specialist"


def seeded_types() -> None:
    """The types the data migration seeds; transactional tests flush them, so
    put them back the same way."""
    from django.apps import apps

    seed = import_module("certification.migrations.0002_seed_certification_types").seed
    seed(apps, None)


def medi_cal() -> CertificationType:
    if not CertificationType.objects.filter(name=MEDI_CAL).exists():
        seeded_types()
    return CertificationType.objects.get(name=MEDI_CAL)


def certify(
    holder, *, expires_in_days: int = 400, in_progress: bool = False, **fields
) -> Certification:
    """A Medi-Cal certification expiring in `expires_in_days` (negative: lapsed),
    counted from today in the holder's program."""
    today = user_today(holder)
    expires_on = today + timedelta(days=expires_in_days)
    values = {
        "number": f"PSS-{holder.pk:05d}",
        "training_completed_on": None if in_progress else expires_on - timedelta(days=800),
        "exam_passed_on": None if in_progress else expires_on - timedelta(days=760),
        "issued_on": None if in_progress else expires_on - timedelta(days=730),
        "cycle_started_on": None if in_progress else expires_on - timedelta(days=730),
        "expires_on": None if in_progress else expires_on,
        "ethics_signed_on": None if in_progress else expires_on - timedelta(days=730),
    }
    return Certification.objects.create(
        holder=holder, certification_type=medi_cal(), **(values | fields)
    )


def log_ce(
    holder, *, hours="2", category="other", days_ago: int = 30, approved_by=None, **fields
) -> ContinuingEducation:
    from decimal import Decimal

    return ContinuingEducation.objects.create(
        holder=holder, course_title=fields.pop("course_title", "Motivational interviewing"), provider="CalMHSA",
        completed_on=user_today(holder) - timedelta(days=days_ago), hours=Decimal(hours), category=category,
        approved_by=approved_by, approved_at=timezone.now() if approved_by else None, **fields,
    )  # fmt: skip
