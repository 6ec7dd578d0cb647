"""Renewal alerts: set-based, idempotent through the notification key (the
expiry date of the cycle), to the holder and to every active admin.

Each threshold fires once per cycle, on the first daily run that finds the
certification inside its band, so a missed run still alerts once and a
certification recorded late gets only the most urgent alert.

Every day is the holder's program's (UTC for a holder without a program), and
the statements do not grow with the number of certifications, admins, types
or time zones: one INSERT for the expiry bands and lapses, one for CE
shortfalls and one for missing background checks, each to the holders and
the admins at once.
"""

from datetime import date, datetime, timedelta
from functools import reduce
from operator import or_

from django.db.models import (
    Case,
    CharField,
    F,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast, Lower, Trim
from django.db.models.lookups import Exact

from accounts.models import Role, User
from core.dates import Calendars, on_each_calendar
from notifications.services import notifications_insert_from

from .models import Certification, CertificationType, county_key
from .status import (
    EXPIRING_DAYS,
    Status,
    approved_hours_in_cycle,
    holder_calendars,
    status_expression,
)

WINDOW_OPEN = "cert_window_open"
SIXTY_DAYS = 60
# (kind, from days left, to days left): the fixed bands, most urgent last.
EXPIRY_BANDS = [
    ("cert_expiring_60", EXPIRING_DAYS + 1, SIXTY_DAYS),
    ("cert_expiring_30", 8, EXPIRING_DAYS),
    ("cert_expiring_7", 0, 7),
]
CE_SHORTFALL_WITHIN_DAYS = 180


def bands_for(window_days: int) -> list[tuple[str, int, int]]:
    """The bands for a type whose renewal window opens `window_days` before expiry.

    The window alert fires on the day derive_status turns "window open" (days
    left <= the type's window, and more than EXPIRING_DAYS). A window that opens
    more than 60 days out runs until the 60-day alert; one that opens inside the
    60-day band takes over the rest of it, so the bands never overlap; one that
    opens within the last 30 days is never a status of its own, so no alert.
    """
    sixty, thirty, seven = EXPIRY_BANDS
    if window_days > SIXTY_DAYS:
        return [(WINDOW_OPEN, SIXTY_DAYS + 1, window_days), sixty, thirty, seven]
    if window_days > EXPIRING_DAYS:
        bands = [(WINDOW_OPEN, EXPIRING_DAYS + 1, window_days)]
        if window_days < SIXTY_DAYS:
            bands.append((sixty[0], window_days + 1, SIXTY_DAYS))
        return [*bands, thirty, seven]
    return [sixty, thirty, seven]


def _insert(kind: str | Case, certifications, due_key) -> int:
    """To each holder and to every active admin: one statement, whatever the counts."""
    return notifications_insert_from(
        kind=kind,
        subject_model=Certification,
        queryset=certifications,
        recipient=F("holder_id"),
        subject=F("pk"),
        due_key=due_key,
        also_to=User.objects.filter(role=Role.ADMIN, is_active=True),
    )


def _expiry_key():
    return Cast(F("expires_on"), output_field=CharField())


# Certifications with dates, not suspended or revoked.
CERTIFIED = Q(
    manual_status=Certification.ManualStatus.NONE,
    training_completed_on__isnull=False,
    exam_passed_on__isnull=False,
    expires_on__isnull=False,
)


def _certified():
    return Certification.objects.filter(CERTIFIED)


def send_renewal_alerts(*, now: datetime | None = None) -> int:
    days = holder_calendars(now)
    types = list(CertificationType.objects.prefetch_related("category_requirements"))
    # The expiry bands and the lapses in one statement: a certification is in
    # at most one of them (the bands never overlap; a lapse is past expiry).
    kinds = [(kind, CERTIFIED & band) for kind, band in _expiry_bands(types, days).items()]
    kinds.append(
        (
            "cert_lapsed",
            on_each_calendar(
                days, lambda today: Q(Exact(status_expression(today), Status.LAPSED.value))
            ),
        )
    )
    kind = Case(
        *(When(condition, then=Value(code)) for code, condition in kinds),
        output_field=CharField(),
    )
    dated = Certification.objects.filter(reduce(or_, (condition for _, condition in kinds)))
    created = _insert(kind, dated, _expiry_key())
    created += _ce_shortfalls(types, days)
    created += _background_checks(types)
    return created


def _expiry_bands(types: list[CertificationType], days: Calendars) -> dict[str, Q]:
    """Each kind's condition: its band for the certification's type, counted
    from its holder's today."""
    conditions: dict[str, list[Q]] = {}
    for ctype in types:
        for kind, low, high in bands_for(ctype.renewal_window_days):

            def band(today: date, low: int = low, high: int = high) -> Q:
                return Q(
                    expires_on__gte=today + timedelta(days=low),
                    expires_on__lte=today + timedelta(days=high),
                )

            conditions.setdefault(kind, []).append(
                Q(certification_type=ctype) & on_each_calendar(days, band)
            )
    return {kind: reduce(or_, qs) for kind, qs in conditions.items()}


def _ce_shortfalls(types: list[CertificationType], days: Calendars) -> int:
    """Within 180 days of expiry, approved hours short in total or in a required
    category: one alert per cycle (whatever the number of shortfalls)."""
    annotations = {"approved_total": approved_hours_in_cycle()}
    short_by_type = []
    for ctype in types:
        short = Q(approved_total__lt=ctype.ce_hours_required)
        for requirement in ctype.category_requirements.all():
            name = f"approved_{requirement.category}"
            annotations[name] = approved_hours_in_cycle(requirement.category)
            short |= Q(**{f"{name}__lt": requirement.hours})
        short_by_type.append(Q(certification_type=ctype) & short)
    if not short_by_type:
        return 0
    due = on_each_calendar(
        days,
        lambda today: Q(
            expires_on__gte=today,
            expires_on__lte=today + timedelta(days=CE_SHORTFALL_WITHIN_DAYS),
        ),
    )
    short = _certified().filter(due).annotate(**annotations).filter(reduce(or_, short_by_type))
    return _insert("cert_ce_short", short, _expiry_key())


def _background_checks(types: list[CertificationType]) -> int:
    """The holder's county (in any case) or the issuer requires a background
    check and none is recorded."""
    needed = []
    for ctype in types:
        if ctype.background_check_required:
            needed.append(Q(certification_type=ctype))
        elif ctype.background_check_counties:
            counties = sorted({county_key(c) for c in ctype.background_check_counties})
            needed.append(Q(certification_type=ctype, holder_county__in=counties))
    if not needed:
        return 0
    missing = (
        Certification.objects.filter(
            manual_status=Certification.ManualStatus.NONE, background_check_on__isnull=True
        )
        .annotate(holder_county=Lower(Trim("holder__program__county")))
        .filter(reduce(or_, needed))
    )
    return _insert("cert_background_check", missing, Value("missing"))
