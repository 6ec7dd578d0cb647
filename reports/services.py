"""The program outcome report: every figure computed in SQL aggregates over
the programs and period chosen, then put under the small-cell rule.

A fixed number of queries per time zone among the programs (one program, one
zone): grouped counts, never a query per mentee or per check-in. Only two
figures bring back one row per mentee-month (outcomes) or per assessment
(BARC-10), already summed by the database, for the paired statistics.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from statistics import median
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext

from accounts.models import Program
from checkins.models import CheckIn, RecoveryCapitalAssessment, SupportType
from checkins.recovery_capital import SUSTAINED_REMISSION_THRESHOLD
from core.dates import add_months, start_of_day
from core.report_figures import RawCell, RawFigure, RawRow
from core.report_figures import sections as contributed_sections
from mentorship.choices import DeliveryMethod, MenteeStatus
from mentorship.models import MenteeProfile, MenteeStatusChange
from recovery_plans.models import Domain, Goal, RecoveryPlan

from .figures import Figure, small_cell_minimum, suppress
from .statistics import MeanChange, SignedRank, mean_change, wilcoxon_signed_rank

# Contact gaps: an active mentee with no contact for this many days.
GAP_DAYS = (14, 30)
# Who took part in a check-in with the mentee: their own self check-in too.
MET = (CheckIn.Kind.CONTACT, CheckIn.Kind.SELF)


@dataclass(frozen=True)
class Period:
    start: date  # the first day of the first month
    end: date  # the last day of the last month

    @property
    def months(self) -> list[date]:
        months, month = [], self.start
        while month <= self.end:
            months.append(month)
            month = add_months(month, 1)
        return months


def period_of(first_month: date, last_month: date) -> Period:
    start = first_month.replace(day=1)
    end = add_months(last_month.replace(day=1), 1) - timedelta(days=1)
    return Period(start, end)


@dataclass(frozen=True)
class PairedOutcome:
    """First month against latest month for one measure."""

    key: str
    title: str
    change: MeanChange | None
    test: SignedRank | None
    suppressed: bool

    @property
    def shown(self) -> bool:
        return self.change is not None and not self.suppressed


@dataclass
class OutcomeReport:
    programs: list[Program]
    period: Period
    figures: list[Figure] = field(default_factory=list)
    outcomes: list[PairedOutcome] = field(default_factory=list)
    mentees_in_report: int = 0

    @property
    def minimum(self) -> int:
        return small_cell_minimum()

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


def _month_label(month: date) -> str:
    return f"{month.year}-{month.month:02d}"


def _cell(value: Any, mentees: int) -> RawCell:
    return RawCell(value=value, mentees=mentees)


def _share(numerator: int, denominator: int, mentees: int, complement: int) -> RawCell:
    value = numerator / denominator if denominator else None
    return RawCell(value=value, mentees=mentees, complement=complement, share=True)


@dataclass
class _Zone:
    """What one time zone's programs contribute, merged across zones."""

    # (check-ins, mentees who had one) per month.
    met_by_month: dict[date, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    totals: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    methods: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    supports: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    mean_gaps: list[float] = field(default_factory=list)
    on_time: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    gaps: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    active: int = 0
    # (first month, latest month) per mentee, by measure.
    pairs: dict[str, list[tuple[float, float]]] = field(default_factory=lambda: defaultdict(list))


def _checkins(program_ids: Sequence[int], period: Period, zone: str):
    return CheckIn.objects.counted().filter(
        mentee__program_id__in=program_ids,
        occurred_at__gte=start_of_day(period.start, zone),
        occurred_at__lt=start_of_day(period.end + timedelta(days=1), zone),
    )


def _flag(condition: Q) -> Case:
    """1 where the condition holds, else 0: summed by the outer query."""
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _gives(support: str) -> Q:
    """A check-in that gave this type of support: JSON containment on
    PostgreSQL (no text made per row), the list's text on SQLite."""
    if connection.vendor == "postgresql":
        return Q(support_types__contains=[support])
    return Q(support_types__icontains=f'"{support}"')


def _as_moment(value) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _checkin_rows(program_ids: Sequence[int], period: Period, zone: str):
    """One query, one pass over the period's check-ins: a row per mentee
    (everything the engagement, delivery, support and outcome figures need,
    summed by the database) and a row per month (check-ins, mentees who had
    one). The ORM writes the per-check-in level (portable month in the
    program's zone, the end of a scheduled day in its zone); the levels above
    are plain SQL that PostgreSQL and SQLite both read."""
    met = Q(kind__in=MET)
    contact = Q(kind=CheckIn.Kind.CONTACT)
    scheduled = met & Q(next_checkin_on__gte=period.start, next_checkin_on__lte=period.end)
    flags: dict[str, Any] = {
        "is_met": _flag(met),
        "is_contact": _flag(contact),
        "is_attempt": _flag(Q(kind=CheckIn.Kind.ATTEMPT)),
        "is_scheduled": _flag(scheduled),
        **{
            f"method_{m.value}": _flag(contact & Q(delivery_method=m.value)) for m in DeliveryMethod
        },
        **{f"support_{s.value}": _flag(met & _gives(s.value)) for s in SupportType},
    }
    # The month on the program's calendar as one number (year * 12 + month -
    # 1), so first and latest months are a MIN and a MAX: which month's
    # bounds (midnight where the program is) the check-in falls between,
    # plain comparisons of the timestamp, no zone arithmetic per row.
    month_no = Case(
        *[
            When(
                occurred_at__lt=start_of_day(add_months(m, 1), zone),
                then=Value(m.year * 12 + m.month - 1),
            )
            for m in period.months
        ],
        default=None,
        output_field=IntegerField(),
    )
    base = (
        _checkins(program_ids, period, zone)
        .annotate(
            month_no=month_no,
            met_at=Case(When(met, then=F("occurred_at")), default=None),
            use=Case(When(met, then=F("substance_use_days")), default=None),
            crave=Case(When(met, then=F("craving_level")), default=None),
            day_ends=Case(
                When(scheduled, then=DayEndsAt(F("next_checkin_on"), zone)), default=None
            ),
            **flags,
        )
        .values(
            "mentee_id", "occurred_at", "month_no", "met_at", "use", "crave", "day_ends", *flags
        )
        .order_by()
    )
    sql, params = base.query.sql_with_params()
    methods = [f"method_{m.value}" for m in DeliveryMethod]
    supports = [f"support_{s.value}" for s in SupportType]
    sums = ", ".join(
        f"SUM({c}) AS {c}"
        for c in ["is_met", "is_contact", "is_attempt", "is_scheduled", *methods, *supports]
    )
    counters = [
        "is_met",
        "is_contact",
        "is_attempt",
        "is_scheduled",
        "on_time",
        *methods,
        *supports,
    ]
    outer_sums = ", ".join(f"SUM({c})" for c in counters)
    nulls = ", ".join("NULL" for _ in range(len(counters) + 8))
    # The next check-in with the mentee strictly after each one (one at the
    # same instant is not after it): a window over the mentee's check-ins,
    # newest first, whose frame (everything later) only grows, so the
    # database keeps one running minimum. Timestamps are kept to the
    # microsecond: on PostgreSQL "later" is a microsecond or more later;
    # SQLite's times are text, so its frame leaves out the same instant.
    if connection.vendor == "postgresql":
        later = "RANGE BETWEEN UNBOUNDED PRECEDING AND INTERVAL '1 microsecond' PRECEDING"
    else:
        later = "RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE GROUP"
    key = KEY_SCALE
    # Only our own column names are formatted in; every value is a parameter.
    query = f"""
WITH base AS ({sql}),
win AS (
  SELECT base.*, MIN(met_at) OVER (
    PARTITION BY mentee_id ORDER BY occurred_at DESC {later}
  ) AS next_met FROM base
),
mm AS (
  SELECT mentee_id, month_no, {sums},
    SUM(CASE WHEN is_scheduled = 1 AND next_met < day_ends THEN 1 ELSE 0 END) AS on_time,
    MIN(met_at) AS first_at, MAX(met_at) AS last_at,
    SUM(use) AS use_days, COUNT(use) AS use_reports, SUM(crave) AS crave_sum,
    COUNT(crave) AS crave_n
  FROM win GROUP BY mentee_id, month_no
)
SELECT 0 AS per_month, mentee_id, NULL AS month_no, {outer_sums},
  MIN(first_at), MAX(last_at),
  SUM(CASE WHEN use_reports > 0 THEN 1 ELSE 0 END),
  MIN(CASE WHEN use_reports > 0 THEN CAST(month_no AS BIGINT) * {key} + use_days END),
  MAX(CASE WHEN use_reports > 0 THEN CAST(month_no AS BIGINT) * {key} + use_days END),
  SUM(CASE WHEN crave_n > 0 THEN 1 ELSE 0 END),
  MIN(CASE WHEN crave_n > 0 THEN CAST(month_no AS BIGINT) * {key} + crave_sum END),
  MIN(CASE WHEN crave_n > 0 THEN CAST(month_no AS BIGINT) * {key} + crave_n END),
  MAX(CASE WHEN crave_n > 0 THEN CAST(month_no AS BIGINT) * {key} + crave_sum END),
  MAX(CASE WHEN crave_n > 0 THEN CAST(month_no AS BIGINT) * {key} + crave_n END)
FROM mm GROUP BY mentee_id
UNION ALL
SELECT 1, NULL, month_no, SUM(is_met), SUM(CASE WHEN is_met > 0 THEN 1 ELSE 0 END), {nulls}
FROM mm GROUP BY month_no
"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return counters, cursor.fetchall()


def _zone_figures(program_ids: Sequence[int], period: Period, zone: str, into: _Zone) -> None:
    counters, rows = _checkin_rows(program_ids, period, zone)
    t = into.totals
    # (column, value) of each method and support type, read once, not per row.
    methods = [(f"method_{m.value}", m.value) for m in DeliveryMethod]
    supports = [(f"support_{s.value}", s.value) for s in SupportType]
    for row in rows:
        if row[0]:  # a month: check-ins, mentees who had one
            if row[3]:
                month = _month_of(int(row[2]))
                into.met_by_month[month][0] += int(row[3])
                into.met_by_month[month][1] += int(row[4])
            continue
        # Sums of sums: PostgreSQL gives numerics (Decimal); every one is a count.
        c = {k: int(v or 0) for k, v in zip(counters, row[3 : 3 + len(counters)], strict=True)}
        first_at, last_at = row[3 + len(counters) : 5 + len(counters)]
        use_months, use_first, use_last = row[5 + len(counters) : 8 + len(counters)]
        crave_months, *crave_keys = row[8 + len(counters) :]
        met = c["is_met"]
        t["met"] += met
        t["met_mentees"] += met > 0
        t["contacts"] += c["is_contact"]
        t["attempts"] += c["is_attempt"]
        t["reached"] += c["is_contact"] + c["is_attempt"] > 0
        t["contacted"] += c["is_contact"] > 0
        for column, method in methods:
            n = c[column]
            into.methods[method][0] += n
            into.methods[method][1] += n > 0
        for column, support in supports:
            n = c[column]
            into.supports[support][0] += n
            into.supports[support][1] += n > 0
        if met >= 2:
            days = (_as_moment(last_at) - _as_moment(first_at)).total_seconds() / 86400
            into.mean_gaps.append(days / (met - 1))
        if c["is_scheduled"]:
            into.on_time[0] += c["is_scheduled"]
            into.on_time[1] += 1
            into.on_time[2] += c["on_time"]
            into.on_time[3] += c["on_time"] > 0
        # First month against latest month: days of use scaled to 30 days,
        # the month's mean craving (its sum over its count).
        if use_months and use_months >= 2:
            into.pairs["use_days"].append((_per_30(use_first), _per_30(use_last)))
        if crave_months and crave_months >= 2:
            (first_month, first_sum), (_, first_n), (last_month, last_sum), (_, last_n) = (
                _unkey(k) for k in crave_keys
            )
            into.pairs["craving"].append((first_sum / first_n, last_sum / last_n))
    # Contact gaps on the period's last day: mentees active that day whose
    # latest contact is 14 (30) days old or more, or who have had none. Their
    # latest contact is one probe of the (mentee, occurred_at) index each.
    end = start_of_day(period.end + timedelta(days=1), zone)
    latest = (
        CheckIn.objects.counted()
        .filter(mentee=OuterRef("pk"), kind__in=MET, occurred_at__lt=end)
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    gap_counts = (
        MenteeProfile.objects.filter(program_id__in=program_ids, intake_date__lte=period.end)
        .annotate(status_then=status_on(period.end))
        .filter(status_then=MenteeStatus.ACTIVE)
        .annotate(last=Subquery(latest))
        .aggregate(
            active=Count("pk"),
            **{
                f"gap_{days}": Count(
                    "pk", filter=Q(last__isnull=True) | Q(last__lt=end - timedelta(days=days))
                )
                for days in GAP_DAYS
            },
        )
    )
    into.active += gap_counts["active"] or 0
    for days in GAP_DAYS:
        into.gaps[days] += gap_counts[f"gap_{days}"] or 0


# A first or latest month's value rides with its month number: month * KEY_SCALE
# + value (every monthly sum here is far below it).
KEY_SCALE = 1_000_000_000


def _unkey(key) -> tuple[date, int]:
    month_no, value = divmod(int(key), KEY_SCALE)
    return _month_of(month_no), value


def _month_of(month_no: int) -> date:
    year, month = divmod(month_no, 12)
    return date(year, month + 1, 1)


def _per_30(key) -> float:
    month, days = _unkey(key)
    return days * 30 / (add_months(month, 1) - month).days


def status_on(day: date, *, mentee: str = "pk", status: str = "status"):
    """A mentee's status at the end of `day` (the program's date), from the
    status history: the status a later change moved them from, or, with no
    change after that day, their status now. One probe per mentee of the
    changes' mentee index. On a mentee queryset as it is; elsewhere name the
    mentee's id and status fields (a check-in: "mentee", "mentee__status")."""
    after = (
        MenteeStatusChange.objects.filter(mentee=OuterRef(mentee), changed_on__gt=day)
        .order_by("changed_on", "created_at", "pk")
        .values("from_status")[:1]
    )
    return Coalesce(Subquery(after), F(status))


class DayEndsAt(Func):
    """The instant a date's day ends in a zone (the next day's midnight there):
    "on or before that day" is "before this instant", which an index on the
    timestamp serves. PostgreSQL works it out itself; SQLite (make run) has
    no zones, so a function registered on each of its connections does
    (reports.apps), in the text SQLite keeps times in."""

    output_field = DateTimeField()

    def __init__(self, day, zone: str):
        super().__init__(day, Value(zone))

    def as_postgresql(self, compiler, connection, **extra):
        day, day_params = compiler.compile(self.source_expressions[0])
        zone, zone_params = compiler.compile(self.source_expressions[1])
        return f"(({day} + 1)::timestamp AT TIME ZONE {zone})", [*day_params, *zone_params]

    def as_sql(self, compiler, connection, **extra):
        day, day_params = compiler.compile(self.source_expressions[0])
        zone, zone_params = compiler.compile(self.source_expressions[1])
        return f"{SQLITE_DAY_ENDS}({day}, {zone})", [*day_params, *zone_params]


SQLITE_DAY_ENDS = "peerpath_day_ends"


def sqlite_day_ends(day: str | None, zone: str) -> str | None:
    """SQLite's DayEndsAt: the UTC instant, as Django stores one there
    ("YYYY-MM-DD HH:MM:SS"), at which the day after `day` begins in `zone`."""
    if day is None:
        return None
    ends = start_of_day(date.fromisoformat(day[:10]) + timedelta(days=1), zone)
    return ends.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def outcome_report(*, programs: Sequence[Program], period: Period) -> OutcomeReport:
    report = OutcomeReport(programs=list(programs), period=period)
    program_ids = [p.pk for p in programs]
    months = period.months
    raw: list[RawFigure] = []

    # Mentees by status: everyone taken in by the period's end, as they were
    # at its end (the status history), and the active ones at each month's end.
    taken_in = MenteeProfile.objects.filter(program_id__in=program_ids, intake_date__lte=period.end)
    statuses = dict(
        taken_in.annotate(status_then=status_on(period.end))
        .values_list("status_then")
        .annotate(n=Count("pk"))
        .order_by()
    )
    month_ends = [add_months(m, 1) - timedelta(days=1) for m in months]
    active_then = taken_in.annotate(
        **{f"status_{i}": status_on(end) for i, end in enumerate(month_ends)}
    ).aggregate(
        **{
            f"active_{i}": Count(
                "pk",
                filter=Q(intake_date__lte=end, **{f"status_{i}": MenteeStatus.ACTIVE}),
            )
            for i, end in enumerate(month_ends)
        }
    )
    report.mentees_in_report = sum(statuses.values())
    raw.append(
        RawFigure(
            key="status",
            title=gettext("Mentees by status"),
            definition=gettext(
                "Every mentee taken in on or before the period's last day, by their "
                "status at the end of that day (from the history of status changes)."
            ),
            columns=[gettext("Mentees")],
            rows=[
                RawRow(str(s.label), [_cell(statuses.get(s.value, 0), statuses.get(s.value, 0))])
                for s in MenteeStatus
            ],
            partitioned_columns=(0,),
        )
    )

    # Intakes, discharges and graduations per month.
    intakes = {
        row["month"]: row["n"]
        for row in MenteeProfile.objects.filter(
            program_id__in=program_ids, intake_date__gte=period.start, intake_date__lte=period.end
        )
        .annotate(month=TruncMonth("intake_date"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    exits: dict[tuple[date, str], int] = {
        (row["month"], row["to_status"]): row["n"]
        for row in MenteeStatusChange.objects.filter(
            mentee__program_id__in=program_ids,
            to_status__in=[MenteeStatus.DISCHARGED, MenteeStatus.GRADUATED],
            changed_on__gte=period.start,
            changed_on__lte=period.end,
        )
        .annotate(month=TruncMonth("changed_on"))
        .values("month", "to_status")
        .annotate(n=Count("mentee", distinct=True))
        .order_by()
    }
    raw.append(
        RawFigure(
            key="flow",
            title=gettext("Intakes, discharges and graduations per month"),
            definition=gettext(
                "Mentees taken in (intake date), discharged and graduated (the date of "
                "the status change) in each month of the period, and the mentees "
                "active at the end of the month's last day (from the history of "
                "status changes)."
            ),
            columns=[
                gettext("Intakes"),
                gettext("Discharges"),
                gettext("Graduations"),
                gettext("Active at the month's end"),
            ],
            rows=[
                RawRow(
                    _month_label(m),
                    [
                        _cell(intakes.get(m, 0), intakes.get(m, 0)),
                        _cell(exits.get((m, "discharged"), 0), exits.get((m, "discharged"), 0)),
                        _cell(exits.get((m, "graduated"), 0), exits.get((m, "graduated"), 0)),
                        _cell(active_then[f"active_{i}"], active_then[f"active_{i}"]),
                    ],
                )
                for i, m in enumerate(months)
            ],
            charted_columns=(0, 1, 2),
        )
    )

    # Everything about check-ins is dated on each program's own calendar.
    zones: dict[str, list[int]] = defaultdict(list)
    for program in programs:
        zones[program.time_zone].append(program.pk)
    merged = _Zone()
    for zone, ids in sorted(zones.items()):
        _zone_figures(ids, period, zone, merged)

    per_month = []
    for m in months:
        met, met_mentees = merged.met_by_month.get(m, [0, 0])
        per_month.append(
            RawRow(
                _month_label(m),
                [
                    _cell(met, met_mentees),
                    _cell(met_mentees, met_mentees),
                    _cell(round(met / met_mentees, 2) if met_mentees else None, met_mentees),
                ],
            )
        )
    raw.append(
        RawFigure(
            key="checkins_per_month",
            title=gettext("Check-ins per mentee per month"),
            definition=gettext(
                "Check-ins (contacts and self check-ins, not attempts, collateral "
                "contacts or voided entries) in each month, the mentees who had one, "
                "and check-ins per mentee who had one."
            ),
            columns=[gettext("Check-ins"), gettext("Mentees"), gettext("Per mentee")],
            rows=per_month,
            charted_columns=(2,),
        )
    )

    t = merged.totals
    gaps_median = median(merged.mean_gaps) if merged.mean_gaps else None
    n, n_mentees, on_time, on_time_mentees = merged.on_time
    raw.append(
        RawFigure(
            key="engagement",
            title=gettext("Engagement"),
            definition=gettext(
                "Contacts made as a share of contacts made and attempted; the median "
                "over mentees with two check-ins or more of their mean days between "
                "check-ins; scheduled check-ins (a next date within the period) "
                "followed by a check-in on or before that date; active mentees whose "
                "latest check-in on the period's last day was 14 or 30 days old or more."
            ),
            columns=[gettext("Value"), gettext("Mentees")],
            rows=[
                RawRow(
                    gettext("Contacts made of those attempted"),
                    [
                        _share(
                            t["contacts"],
                            t["contacts"] + t["attempts"],
                            t["contacted"],
                            t["reached"] - t["contacted"],
                        ),
                        _cell(t["reached"], t["reached"]),
                    ],
                ),
                RawRow(
                    gettext("Median days between check-ins"),
                    [
                        _cell(gaps_median, len(merged.mean_gaps)),
                        _cell(len(merged.mean_gaps), len(merged.mean_gaps)),
                    ],
                ),
                RawRow(
                    gettext("Scheduled check-ins that happened on time"),
                    [
                        _share(on_time, n, on_time_mentees, n_mentees - on_time_mentees),
                        _cell(n_mentees, n_mentees),
                    ],
                ),
                *[
                    RawRow(
                        gettext("Active mentees without a check-in for %(days)s days")
                        % {"days": days},
                        [
                            _share(
                                merged.gaps[days],
                                merged.active,
                                merged.gaps[days],
                                merged.active - merged.gaps[days],
                            ),
                            _cell(merged.gaps[days], merged.gaps[days]),
                        ],
                    )
                    for days in GAP_DAYS
                ],
            ],
            charted_columns=(0,),
        )
    )

    total_contacts = sum(v[0] for v in merged.methods.values())
    raw.append(
        RawFigure(
            key="delivery",
            title=gettext("Check-ins by delivery method"),
            definition=gettext("Contacts with the mentee in the period, by how they were made."),
            columns=[gettext("Check-ins"), gettext("Share")],
            rows=[
                RawRow(
                    str(method.label),
                    [
                        _cell(merged.methods[method.value][0], merged.methods[method.value][1]),
                        RawCell(
                            merged.methods[method.value][0] / total_contacts
                            if total_contacts
                            else None,
                            merged.methods[method.value][1],
                            share=True,
                        ),
                    ],
                )
                for method in DeliveryMethod
            ],
            partitioned_columns=(0, 1),
            charted_columns=(0,),
        )
    )
    total_met = t["met"]
    raw.append(
        RawFigure(
            key="support",
            title=gettext("Check-ins by support type"),
            definition=gettext(
                "Check-ins that gave each type of support, and their share of all "
                "check-ins (a check-in may give several, so shares add up to more than 100%)."
            ),
            columns=[gettext("Check-ins"), gettext("Share")],
            rows=[
                RawRow(
                    str(support.label),
                    [
                        _cell(merged.supports[support.value][0], merged.supports[support.value][1]),
                        RawCell(
                            merged.supports[support.value][0] / total_met if total_met else None,
                            merged.supports[support.value][1],
                            share=True,
                        ),
                    ],
                )
                for support in SupportType
            ],
            charted_columns=(0,),
        )
    )

    # Outcomes: first month against latest month.
    for key, title in (
        ("use_days", gettext("Days of substance use per 30 days")),
        ("craving", gettext("Mean craving level (0–10)")),
    ):
        pairs = merged.pairs[key]
        report.outcomes.append(
            PairedOutcome(
                key=key,
                title=title,
                change=mean_change(pairs),
                test=wilcoxon_signed_rank(pairs),
                suppressed=len(pairs) < small_cell_minimum(),
            )
        )
    raw.append(_outcomes_figure(report.outcomes))

    raw.append(_barc_figure(program_ids, period))
    raw.append(_goals_figure(program_ids))
    for section in contributed_sections():
        contributed = section.contributor(program_ids, period.start, period.end)
        if contributed is not None:
            raw.append(contributed)
    report.figures = [suppress(r) for r in raw]
    return report


def _outcomes_figure(outcomes: list[PairedOutcome]) -> RawFigure:
    rows = []
    for outcome in outcomes:
        n = outcome.change.n if outcome.change else 0
        c = outcome.change
        rows.append(
            RawRow(
                outcome.title,
                [
                    _cell(c.mean_first if c else None, n),
                    _cell(c.mean_latest if c else None, n),
                    _cell(c.mean_change if c else None, n),
                    _cell(n, n),
                ],
            )
        )
    return RawFigure(
        key="outcomes",
        title=gettext("Substance use and craving: first month and latest month"),
        definition=gettext(
            "For each mentee with check-ins reporting the measure in at least two "
            "months of the period: days of use reported in the month, scaled to 30 "
            "days, and the mean craving level, in their first month and in their "
            "latest month."
        ),
        columns=[
            gettext("First month"),
            gettext("Latest month"),
            gettext("Mean change"),
            gettext("Mentees"),
        ],
        rows=rows,
        charted_columns=(0, 1),
    )


def _barc_figure(program_ids: Sequence[int], period: Period) -> RawFigure:
    firsts: dict[int, int] = {}
    latest: dict[int, int] = {}
    counts: dict[int, int] = defaultdict(int)
    for mentee_id, total in (
        RecoveryCapitalAssessment.objects.filter(
            mentee__program_id__in=program_ids,
            assessed_on__gte=period.start,
            assessed_on__lte=period.end,
        )
        .order_by("mentee_id", "assessed_on", "pk")
        .values_list("mentee_id", "total")
    ):
        firsts.setdefault(mentee_id, total)
        latest[mentee_id] = total
        counts[mentee_id] += 1
    # Only mentees assessed at least twice: one assessment is first and latest at once.
    pairs = [(firsts[m], latest[m]) for m in firsts if counts[m] >= 2]
    n = len(pairs)
    first_at = sum(1 for f, _ in pairs if f >= SUSTAINED_REMISSION_THRESHOLD)
    latest_at = sum(1 for _, la in pairs if la >= SUSTAINED_REMISSION_THRESHOLD)
    mean_first = sum(f for f, _ in pairs) / n if n else None
    mean_latest = sum(la for _, la in pairs) / n if n else None
    return RawFigure(
        key="barc10",
        title=gettext("Recovery capital (BARC-10): first and latest"),
        definition=gettext(
            "Mentees with two BARC-10 assessments or more in the period: the mean "
            "total (10–60) of their first and their latest, and the share at or "
            "above 47, the score linked to sustained remission."
        ),
        columns=[gettext("First"), gettext("Latest")],
        rows=[
            RawRow(gettext("Mean total"), [_cell(mean_first, n), _cell(mean_latest, n)]),
            RawRow(
                gettext("Share at or above 47"),
                [
                    _share(first_at, n, first_at, n - first_at),
                    _share(latest_at, n, latest_at, n - latest_at),
                ],
            ),
            RawRow(gettext("Mentees"), [_cell(n, n), _cell(n, n)]),
        ],
        charted_columns=(0, 1),
    )


def _goals_figure(program_ids: Sequence[int]) -> RawFigure:
    goals = Goal.objects.filter(
        plan__mentee__program_id__in=program_ids,
    ).exclude(plan__status=RecoveryPlan.Status.ARCHIVED)
    achieved = Q(status=Goal.Status.ACHIEVED)
    rows = {
        row["domain"]: row
        for row in goals.values("domain")
        .annotate(
            n=Count("pk"),
            mentees=Count("plan__mentee", distinct=True),
            achieved=Count("pk", filter=achieved),
            achieved_mentees=Count("plan__mentee", distinct=True, filter=achieved),
        )
        .order_by()
    }
    empty = {"n": 0, "mentees": 0, "achieved": 0, "achieved_mentees": 0}
    return RawFigure(
        key="goals",
        title=gettext("Goals achieved by domain"),
        definition=gettext(
            "Goals of the mentees' current recovery plans, by domain: how many, how "
            "many achieved, and the share achieved."
        ),
        columns=[gettext("Goals"), gettext("Achieved"), gettext("Share achieved")],
        rows=[
            RawRow(
                str(domain.label),
                [
                    _cell(r["n"], r["mentees"]),
                    _cell(r["achieved"], r["achieved_mentees"]),
                    _share(
                        r["achieved"],
                        r["n"],
                        r["achieved_mentees"],
                        r["mentees"] - r["achieved_mentees"],
                    ),
                ],
            )
            for domain in Domain
            for r in [rows.get(domain.value, empty)]
        ],
        charted_columns=(0, 1),
    )


# --- Follow-up windows ------------------------------------------------------


def follow_up_record(*, mentee: MenteeProfile, point: str, reached: bool, by, today: date):
    """An attempt at a follow-up point, completing it when the mentee was
    reached. Only while its window is open (the program's `today`): before,
    it is not due; after, it was missed. Locks the mentee, so two clicks
    count two attempts and one completion, never a duplicate row."""
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from .follow_ups import window_for
    from .models import FollowUp

    with transaction.atomic():
        mentee = MenteeProfile.objects.select_for_update().get(pk=mentee.pk)
        window = window_for(mentee, point)
        if window is None:
            raise ValidationError(gettext("This mentee has no such follow-up point."))
        if today < window.opens:
            raise ValidationError(
                gettext("This follow-up window opens on %(day)s.")
                % {"day": window.opens.isoformat()}
            )
        if today > window.closes:
            raise ValidationError(
                gettext("This follow-up window closed on %(day)s: it was missed.")
                % {"day": window.closes.isoformat()}
            )
        follow_up, _created = FollowUp.objects.get_or_create(mentee=mentee, point=point)
        if follow_up.completed_on is not None:
            return follow_up
        follow_up.attempts += 1
        if reached:
            follow_up.completed_on = today
            follow_up.completed_by = by
        follow_up.save(update_fields=["attempts", "completed_on", "completed_by", "updated_at"])
        return follow_up
