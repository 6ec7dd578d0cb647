"""Renewal alerts: set-based, idempotent through the notification key (the
expiry date of the cycle), to the holder and to every admin.

Each threshold fires once per cycle, on the first daily run that finds the
certification inside its band, so a missed run still alerts once and a
certification recorded late gets only the most urgent alert.
"""

from datetime import date, datetime, timedelta

from django.db.models import CharField, DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from accounts.models import User
from notifications.services import notifications_insert_from

from .models import Certification, CertificationType, ContinuingEducation

# (kind, from days left, to days left): the band in which each alert fires.
EXPIRY_BANDS = [
    ("cert_window_open", 61, 90),
    ("cert_expiring_60", 31, 60),
    ("cert_expiring_30", 8, 30),
    ("cert_expiring_7", 0, 7),
]
CE_SHORTFALL_WITHIN_DAYS = 180


def _recipients() -> list:
    """The holder, and each admin."""
    return [
        F("holder_id"),
        *[
            Value(pk)
            for pk in User.objects.filter(role="admin", is_active=True).values_list("pk", flat=True)
        ],
    ]


def _insert(kind: str, certifications, due_key, recipients) -> int:
    return sum(
        notifications_insert_from(
            kind=kind,
            subject_model=Certification,
            queryset=certifications,
            recipient=recipient,
            subject=F("pk"),
            due_key=due_key,
        )  # fmt: skip
        for recipient in recipients
    )


def _expiry_key():
    return Cast(F("expires_on"), output_field=CharField())


def _certified():
    """Certifications with dates, not suspended or revoked."""
    return Certification.objects.filter(
        manual_status="", training_completed_on__isnull=False, exam_passed_on__isnull=False,
        expires_on__isnull=False,
    )  # fmt: skip


def send_renewal_alerts(*, now: datetime | None = None) -> int:
    today = timezone.localdate(now) if now else timezone.localdate()
    recipients = _recipients()
    created = 0
    for kind, low, high in EXPIRY_BANDS:
        band = _certified().filter(
            expires_on__gte=today + timedelta(days=low),
            expires_on__lte=today + timedelta(days=high),
        )
        created += _insert(kind, band, _expiry_key(), recipients)
    created += _insert(
        "cert_lapsed", _certified().filter(expires_on__lt=today), _expiry_key(), recipients
    )
    created += _ce_shortfalls(today, recipients)
    created += _background_checks(recipients)
    return created


def _approved_hours_in_cycle(category: str | None = None):
    entries = ContinuingEducation.objects.filter(
        holder=OuterRef("holder_id"),
        approved_at__isnull=False,
        completed_on__gte=Coalesce(OuterRef("cycle_started_on"), OuterRef("issued_on")),
        completed_on__lte=OuterRef("expires_on"),
    )
    if category:
        entries = entries.filter(category=category)
    total = entries.order_by().values("holder").annotate(total=Sum("hours")).values("total")[:1]
    return Coalesce(
        Subquery(total), Value(0), output_field=DecimalField(max_digits=6, decimal_places=1)
    )


def _ce_shortfalls(today: date, recipients) -> int:
    """Within 180 days of expiry, approved hours short in total or in a required
    category: one alert per cycle (whatever the number of shortfalls)."""
    created = 0
    due = _certified().filter(
        expires_on__gte=today, expires_on__lte=today + timedelta(days=CE_SHORTFALL_WITHIN_DAYS)
    )
    for ctype in CertificationType.objects.prefetch_related("category_requirements"):
        of_type = due.filter(certification_type=ctype)
        short = Q(approved_total__lt=ctype.ce_hours_required)
        annotations = {"approved_total": _approved_hours_in_cycle()}
        for requirement in ctype.category_requirements.all():
            name = f"approved_{requirement.category}"
            annotations[name] = _approved_hours_in_cycle(requirement.category)
            short |= Q(**{f"{name}__lt": requirement.hours})
        created += _insert(
            "cert_ce_short",
            of_type.annotate(**annotations).filter(short),
            _expiry_key(),
            recipients,
        )
    return created


def _background_checks(recipients) -> int:
    """The holder's county (or the issuer) requires a background check and none is recorded."""
    created = 0
    for ctype in CertificationType.objects.all():
        missing = Certification.objects.filter(
            certification_type=ctype, manual_status="", background_check_on__isnull=True
        )
        if not ctype.background_check_required:
            if not ctype.background_check_counties:
                continue
            missing = missing.filter(holder__program__county__in=ctype.background_check_counties)
        created += _insert("cert_background_check", missing, Value("missing"), recipients)
    return created
