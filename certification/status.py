"""A certification's status, derived from its dates and its holder's CE, and
the CE progress of its current cycle. One rule, used by every page, report,
check and sweep: `derive_status` in Python, `status_expression` in SQL (the
two are tested against each other on every boundary day)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import (
    Case,
    CharField,
    DecimalField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.fields import DateField
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.selectors import program_days
from core.dates import UTC_NAME, Calendars, dated_on, local_today, program_today

from .models import CECategory, Certification, ContinuingEducation

EXPIRING_DAYS = 30


class Status(models.TextChoices):
    IN_PROGRESS = "in_progress", _("in progress")
    ACTIVE = "active", _("active")
    WINDOW_OPEN = "window_open", _("renewal window open")
    EXPIRING = "expiring", _("expiring")
    LAPSED = "lapsed", _("lapsed")
    SUSPENDED = "suspended", _("suspended")
    REVOKED = "revoked", _("revoked")


GOOD_STANDING = {Status.ACTIVE, Status.WINDOW_OPEN, Status.EXPIRING}
# Statuses that still allow a mentor to take new mentees (mentorship's rule).
ALLOWS_NEW_MENTEES = GOOD_STANDING | {Status.IN_PROGRESS}


def derive_status(cert: Certification, today: date) -> Status:
    if cert.manual_status:
        return Status(cert.manual_status)
    if not cert.training_completed_on or not cert.exam_passed_on or not cert.expires_on:
        return Status.IN_PROGRESS
    if today > cert.expires_on:
        return Status.LAPSED
    days_left = (cert.expires_on - today).days
    if days_left <= EXPIRING_DAYS:
        return Status.EXPIRING
    if days_left <= cert.certification_type.renewal_window_days:
        return Status.WINDOW_OPEN
    return Status.ACTIVE


def days_left(cert: Certification, today: date) -> int | None:
    return (cert.expires_on - today).days if cert.expires_on else None


class DaysUntil(Func):
    """Whole days from `today` to the date in `field`: days_left() in SQL."""

    output_field = IntegerField()
    # PostgreSQL: a date minus a date is a whole number of days.
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def __init__(self, field: str, today: date):
        super().__init__(F(field), Value(today, output_field=DateField()))

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def status_expression(today: date) -> Case:
    """derive_status in SQL, for a queryset of certifications dated on `today`
    (one day for every row: callers that need each holder's program's day group
    the rows by time zone, as the renewal sweep does)."""
    return Case(
        When(~Q(manual_status=""), then=F("manual_status")),
        When(
            Q(training_completed_on__isnull=True)
            | Q(exam_passed_on__isnull=True)
            | Q(expires_on__isnull=True),
            then=Value(Status.IN_PROGRESS.value),
        ),
        When(Q(expires_on__lt=today), then=Value(Status.LAPSED.value)),
        When(
            Q(expires_on__lte=today + timedelta(days=EXPIRING_DAYS)),
            then=Value(Status.EXPIRING.value),
        ),
        # The window is the type's, so its last day is counted per row.
        When(
            LessThanOrEqual(
                DaysUntil("expires_on", today), F("certification_type__renewal_window_days")
            ),
            then=Value(Status.WINDOW_OPEN.value),
        ),
        default=Value(Status.ACTIVE.value),
        output_field=CharField(),
    )


def holder_calendars(now: datetime | None = None) -> Calendars:
    """Whose today dates each certification: its holder's program's (one
    query for the programs' time zones), or UTC for a holder without a
    program. Only mentors and coordinators hold certifications and they
    always have a program; the UTC group keeps a holder whose role changed
    from falling out of a report or a sweep."""
    dated = dated_on("holder__program__time_zone", program_days(now))
    return [*dated, (Q(holder__program__isnull=True), local_today(UTC_NAME, now))]


def dated_status(days: Calendars) -> Case:
    """status_expression for each certification on its holder's calendar:
    derive_status(cert, its holder's program's today), in SQL."""
    return Case(
        *(When(where, then=status_expression(today)) for where, today in days),
        output_field=CharField(),
    )


def dated_days_left(days: Calendars) -> Case:
    """days_left(cert, its holder's program's today), in SQL."""
    return Case(
        *(When(where, then=DaysUntil("expires_on", today)) for where, today in days),
        output_field=IntegerField(),
    )


@dataclass
class CEProgress:
    required: Decimal
    approved: Decimal
    pending: Decimal
    by_category: list[tuple[str, str, Decimal, Decimal]] = field(
        default_factory=list
    )  # code, label, done, needed

    @property
    def short(self) -> bool:
        return self.approved < self.required or any(
            done < needed for _, _, done, needed in self.by_category
        )

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.approved / self.required)) if self.required else 100

    def shortfalls(self) -> list[str]:
        said = []
        if self.approved < self.required:
            said.append(
                gettext("%(hours)s h in total") % {"hours": hours(self.required - self.approved)}
            )
        said += [
            gettext("%(hours)s h of %(category)s")
            % {"hours": hours(needed - done), "category": label}
            for _, label, done, needed in self.by_category
            if done < needed
        ]
        return said


def hours(value: Decimal) -> str:
    """6.0 → "6", 2.5 → "2.5"."""
    return f"{value.normalize():f}"


def in_cycle(day: date, start: date | None, end: date | None) -> bool:
    """The one rule for which cycle a day of CE belongs to: a cycle runs from its
    first day to its expiry day, both included (an open end counts as no bound).

    Hours completed on the expiry day belong to the cycle that ends that day:
    they are what a holder needs to renew it. So the next cycle starts the day
    after (`next_cycle_start`), and no day belongs to two cycles. The renewal
    sweep's SQL says the same with `cycle_q`."""
    return (start is None or start <= day) and (end is None or day <= end)


def in_cycle_q(field: str, start, end) -> Q:
    """in_cycle in SQL: `field` from the expression `start` to `end`, both included."""
    return Q(**{f"{field}__gte": start, f"{field}__lte": end})


def approved_hours_in_cycle(category: str | None = None):
    """The approved, counted CE hours of each certification's current cycle
    (in a category, or in all): ce_progress's `approved` in SQL, a subquery
    per certification."""
    entries = ContinuingEducation.objects.counted().filter(
        in_cycle_q(
            "completed_on",
            # No start date: no lower bound, as cycle_bounds() gives in Python.
            Coalesce(
                OuterRef("cycle_started_on"),
                OuterRef("issued_on"),
                Value(date.min, output_field=DateField()),
            ),
            OuterRef("expires_on"),
        ),
        holder=OuterRef("holder_id"),
        approved_at__isnull=False,
    )
    if category:
        entries = entries.filter(category=category)
    total = entries.order_by().values("holder").annotate(total=Sum("hours")).values("total")[:1]
    return Coalesce(
        Subquery(total), Value(0), output_field=DecimalField(max_digits=6, decimal_places=1)
    )


def next_cycle_start(expires_on: date) -> date:
    """The first day of the cycle after one that expires on `expires_on`."""
    return expires_on + timedelta(days=1)


CATEGORY_LABELS = dict(CECategory.choices)


def ce_progress(cert: Certification, entries, requirements=None) -> CEProgress:
    """Approved hours completed within the current cycle, in total and per
    required category. `entries` are the holder's ContinuingEducation rows
    (or anything with their fields); rejected and voided ones count for
    nothing, not even as pending. `requirements` are the type's category
    requirements when the caller has them at hand (the streamed report)."""
    start, end = cert.cycle_bounds()
    approved, pending = Decimal("0"), Decimal("0")
    per_category: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        if not in_cycle(entry.completed_on, start, end):
            continue
        if entry.rejected_at or entry.voided_at:
            continue
        if entry.approved_at:
            approved += entry.hours
            per_category[entry.category] += entry.hours
        else:
            pending += entry.hours
    ctype = cert.certification_type
    if requirements is None:
        requirements = ctype.category_requirements.all()
    return CEProgress(
        required=ctype.ce_hours_required,
        approved=approved,
        pending=pending,
        by_category=[
            (
                r.category,
                CATEGORY_LABELS.get(r.category, r.category),
                per_category[r.category],
                r.hours,
            )
            for r in requirements
        ],
    )


@dataclass(frozen=True)
class CertificationRow:
    """A certification as the pages, the API and the report show it: the row
    itself and what this module derives from it on one day."""

    certification: Certification
    status: Status
    days_left: int | None
    ce: CEProgress
    background_check_needed: bool
    next_step: str


CE_PROGRESS_FIELDS = (
    "holder", "completed_on", "hours", "category", "approved_at", "rejected_at", "voided_at"
)  # fmt: skip


def certification_rows(
    certifications, today: date | None = None, now: datetime | None = None, *, entries=None
) -> list[CertificationRow]:
    """Status, days left and CE progress of each certification, with one query
    for all the holders' CE (the certifications come with their types and
    requirements prefetched, and their holders with their programs).

    Without `today`, each certification is dated on its holder's program's
    calendar (at `now`), so a report reads the same at any hour and to any
    reader. `entries`, when given, are the holders' CE entries read already
    (CE_PROGRESS_FIELDS at least)."""
    certifications = list(certifications)
    entries_by_holder: dict[int, list] = defaultdict(list)
    if entries is None:
        holders = {c.holder_id for c in certifications}
        entries = ContinuingEducation.objects.filter(holder_id__in=holders).only(
            *CE_PROGRESS_FIELDS
        )
    for entry in entries:
        entries_by_holder[entry.holder_id].append(entry)
    now = now or timezone.now()
    return [
        _row(
            cert,
            today or program_today(cert.holder.program if cert.holder.program_id else None, now),
            entries_by_holder[cert.holder_id],
        )
        for cert in certifications
    ]


def _row(cert: Certification, today: date, entries: list) -> CertificationRow:
    status = derive_status(cert, today)
    ce = ce_progress(cert, entries)
    program = cert.holder.program  # None without a query when there is none
    county = program.county if program else ""
    return CertificationRow(
        certification=cert,
        status=status,
        days_left=days_left(cert, today),
        ce=ce,
        background_check_needed=cert.certification_type.requires_background_check_in(county),
        next_step=next_step(cert, status, ce),
    )


def next_step(cert: Certification, status: Status, ce: CEProgress) -> str:
    """What the holder should do next, in a sentence (in the reader's language)."""
    ctype = cert.certification_type
    if status in (Status.SUSPENDED, Status.REVOKED):
        return gettext("%(status)s: %(reason)s. Talk to your coordinator.") % {
            "status": status.label.capitalize(),
            "reason": cert.manual_status_reason,
        }
    if status == Status.IN_PROGRESS:
        if ctype.exam_body:
            return gettext(
                "Finish the %(hours)s hours of training and pass the exam approved by "
                "%(body)s; your coordinator records the dates."
            ) % {"hours": ctype.initial_training_hours, "body": ctype.exam_body}
        return gettext(
            "Finish the %(hours)s hours of training and pass the exam; "
            "your coordinator records the dates."
        ) % {"hours": ctype.initial_training_hours}
    expires = cert.expires_on
    assert expires is not None  # in progress (no dates) returned above
    if status == Status.LAPSED:
        on = date_format(expires, gettext("F j"))
        if ctype.lapse_rule == "new_application":
            return gettext("Lapsed on %(on)s: a new initial application is needed.") % {"on": on}
        return gettext("Lapsed on %(on)s: complete the refresher training, then renew.") % {
            "on": on
        }
    opens = expires - timedelta(days=ctype.renewal_window_days)
    needs = ce.shortfalls()
    still = (
        " "
        + gettext("You still need %(needs)s of approved continuing education.")
        % {"needs": ", ".join(needs)}
        if needs
        else ""
    )
    if status == Status.ACTIVE:
        opens_on = date_format(opens, gettext("F j, Y"))
        return gettext("Your renewal window opens on %(on)s.") % {"on": opens_on} + still
    ethics = (
        " " + gettext("Sign the Code of Ethics again.") if ctype.ethics_signed_at_renewal else ""
    )
    before = date_format(expires, gettext("F j"))
    return (
        gettext("Your renewal window is open: renew before %(on)s.") % {"on": before}
        + still
        + ethics
    )


def _cycle_entries():
    """Each certification's holder's CE entries of its current cycle that
    count (not rejected, not voided), for a subquery per certification. The
    cycle is in_cycle's, an open end at either side being no bound (an
    in-progress certification has no expiry: all its holder's CE counts)."""
    return ContinuingEducation.objects.counted().filter(
        in_cycle_q(
            "completed_on",
            Coalesce(
                OuterRef("cycle_started_on"),
                OuterRef("issued_on"),
                Value(date.min, output_field=DateField()),
            ),
            Coalesce(OuterRef("expires_on"), Value(date.max, output_field=DateField())),
        ),
        holder=OuterRef("holder_id"),
        rejected_at__isnull=True,
    )


HOURS = DecimalField(max_digits=6, decimal_places=1)


def ce_hours_in_cycle(*, approved: bool, category: str | None = None) -> Subquery:
    """ce_progress's `approved` (or, with approved=False, `pending`) hours of
    each certification's current cycle in SQL, in a category or in all: a
    subquery per certification, NULL where ce_progress says 0."""
    entries = _cycle_entries().filter(approved_at__isnull=not approved)
    if category:
        entries = entries.filter(category=category)
    total = entries.order_by().values("holder").annotate(total=Sum("hours")).values("total")[:1]
    return Subquery(total, output_field=HOURS)


def ce_hours_by_kind(category: str) -> Subquery:
    """[approved, pending, approved in `category`]: the three ce_hours_in_cycle
    in one subquery per certification (an array; PostgreSQL only), NULL where
    the holder has no CE in the cycle and NULL inside for a sum of nothing.
    tests/certification/test_report_csv.py holds it to ce_progress."""
    approved = Q(approved_at__isnull=False)
    sums = Func(
        Sum("hours", filter=approved),
        Sum("hours", filter=Q(approved_at__isnull=True)),
        Sum("hours", filter=approved & Q(category=category)),
        template="ARRAY[%(expressions)s]",
        output_field=ArrayField(HOURS),
    )
    return Subquery(
        _cycle_entries().order_by().values("holder").annotate(sums=sums).values("sums")[:1],
        output_field=ArrayField(HOURS),
    )
