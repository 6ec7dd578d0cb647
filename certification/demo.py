"""Demo certifications across every state, with CE entries. Runs before
mentorship.demo (so eligible mentors can be assigned). Idempotent."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Role
from core.dates import add_months

from .models import Certification, CertificationType, ContinuingEducation

MEDI_CAL = "Medi-Cal Peer Support Specialist"
ICRC = "IC&RC Peer Recovery (PR)"

# Per program, the mentors in email order: (days until expiry or None, what else).
STATES = {
    0: [(150, "short_on_ethics"), (70, ""), (-20, "")],  # active, window open, lapsed
    1: [(20, ""), (None, "in_progress"), (400, "suspended")],  # expiring, in progress, suspended
}


def seed_demo(report) -> None:
    today = timezone.localdate()
    medi_cal = CertificationType.objects.get(name=MEDI_CAL)
    icrc = CertificationType.objects.get(name=ICRC)
    admin = next(u for u in report.logins if u.role == Role.ADMIN)
    for index, program in enumerate(report.programs):
        mentors = list(program.members.filter(role=Role.MENTOR).order_by("email"))
        for n, (mentor, (days, extra)) in enumerate(zip(mentors, STATES[index % 2], strict=False)):
            if Certification.objects.filter(holder=mentor).exists():
                continue
            cert = Certification(
                holder=mentor,
                certification_type=medi_cal,
                number=f"PSS-{program.pk}{n:03d}",
                specializations=["justice"] if n == 0 else [],
            )
            if extra != "in_progress":
                expires = today + timedelta(days=days)
                issued = add_months(expires, -24)
                cert.training_completed_on = issued - timedelta(days=60)
                cert.exam_passed_on = issued - timedelta(days=20)
                cert.ethics_signed_on = issued
                cert.issued_on = cert.cycle_started_on = issued
                cert.expires_on = expires
            else:
                cert.training_completed_on = today - timedelta(days=10)
            if extra == "suspended":
                cert.manual_status, cert.manual_status_on = "suspended", today - timedelta(days=5)
                cert.manual_status_reason = "Complaint under review by the certifying body"
            cert.save()
            if cert.issued_on:
                ethics = Decimal("0") if extra == "short_on_ethics" else Decimal("6")
                _ce(
                    mentor,
                    cert.issued_on,
                    admin,
                    [
                        ("other", Decimal("8")),
                        ("crisis", Decimal("6")),
                        ("cultural_competence", Decimal("6")),
                        ("law_and_ethics", ethics),
                    ],
                )
        coordinator = program.members.filter(role=Role.COORDINATOR).first()
        if coordinator and not Certification.objects.filter(holder=coordinator).exists():
            issued = today - timedelta(days=200)
            Certification.objects.create(
                holder=coordinator,
                certification_type=icrc,
                number=f"PR-{program.pk:04d}",
                training_completed_on=issued - timedelta(days=30),
                exam_passed_on=issued - timedelta(days=10),
                ethics_signed_on=issued,
                issued_on=issued,
                cycle_started_on=issued,
                expires_on=add_months(issued, 24),
            )


def _ce(holder, since, approver, hours_by_category) -> None:
    entries = []
    for n, (category, hours) in enumerate(hours_by_category):
        if not hours:
            continue
        approved = n % 3 != 2
        entries.append(
            ContinuingEducation(
                holder=holder,
                course_title=f"{category.replace('_', ' ').title()} for peer specialists",
                provider="CalMHSA",
                completed_on=since + timedelta(days=40 + 30 * n),
                hours=hours,
                category=category,
                approved_by=approver if approved else None,
                approved_at=timezone.now() if approved else None,
            )
        )
    ContinuingEducation.objects.bulk_create(entries)
