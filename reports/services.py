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
from datetime import date, datetime, timedelta
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    Exists,
    Func,
    Max,
    Min,
    OuterRef,
    Q,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Cast, TruncMonth
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
    monthly: dict[int, list[tuple[date, int, float | None, float | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )


def _checkins(program_ids: Sequence[int], period: Period, zone: str):
    return CheckIn.objects.counted().filter(
        mentee__program_id__in=program_ids,
        occurred_at__gte=start_of_day(period.start, zone),
        occurred_at__lt=start_of_day(period.end + timedelta(days=1), zone),
    )


def _zone_figures(program_ids: Sequence[int], period: Period, zone: str, into: _Zone) -> None:
    tz = ZoneInfo(zone)
    checkins = _checkins(program_ids, period, zone)
    met = Q(kind__in=MET)
    contact = Q(kind=CheckIn.Kind.CONTACT)
    # 1. Per mentee and month, summed by the database: their check-ins and
    # the outcome measures (one row per mentee-month, no row per check-in).
    for row in (
        checkins.annotate(month=TruncMonth("occurred_at", tzinfo=tz))
        .values("mentee", "month")
        .annotate(
            met=Count("pk", filter=met),
            use_days=Sum("substance_use_days", filter=met),
            use_reports=Count("substance_use_days", filter=met),
            craving=Avg("craving_level", filter=met),
        )
        .order_by("mentee", "month")
    ):
        month = row["month"].date() if isinstance(row["month"], datetime) else row["month"]
        if row["met"]:
            into.met_by_month[month][0] += row["met"]
            into.met_by_month[month][1] += 1
        if not row["use_reports"] and row["craving"] is None:
            continue
        use = None
        if row["use_reports"]:
            use = row["use_days"] * 30 / (add_months(month, 1) - month).days
        craving = float(row["craving"]) if row["craving"] is not None else None
        into.monthly[row["mentee"]].append((month, row["use_reports"], use, craving))
    # 2. Per mentee, everything counted once: contacts and attempts, the
    # delivery methods of contacts, the support types given (a check-in may
    # give several; the list is read as text), the first and last check-in.
    wide: dict[str, Any] = {
        "met": Count("pk", filter=met),
        "contacts": Count("pk", filter=contact),
        "attempts": Count("pk", filter=Q(kind=CheckIn.Kind.ATTEMPT)),
        "first": Min("occurred_at", filter=met),
        "last": Max("occurred_at", filter=met),
    }
    for method in DeliveryMethod:
        wide[f"method_{method.value}"] = Count(
            "pk", filter=contact & Q(delivery_method=method.value)
        )
    for support in SupportType:
        wide[f"support_{support.value}"] = Count(
            "pk", filter=met & Q(types__contains=f'"{support.value}"')
        )
    t = into.totals
    for row in (
        checkins.annotate(types=Cast("support_types", TextField()))
        .values("mentee")
        .annotate(**wide)
        .order_by()
    ):
        t["met"] += row["met"]
        t["met_mentees"] += row["met"] > 0
        t["contacts"] += row["contacts"]
        t["attempts"] += row["attempts"]
        t["reached"] += row["contacts"] + row["attempts"] > 0
        t["contacted"] += row["contacts"] > 0
        for method in DeliveryMethod:
            n = row[f"method_{method.value}"]
            into.methods[method.value][0] += n
            into.methods[method.value][1] += n > 0
        for support in SupportType:
            n = row[f"support_{support.value}"]
            into.supports[support.value][0] += n
            into.supports[support.value][1] += n > 0
        if row["met"] >= 2:
            days = (row["last"] - row["first"]).total_seconds() / 86400
            into.mean_gaps.append(days / (row["met"] - 1))
    # 6. Scheduled check-ins (a next date set within the period): on time when
    # the mentee had a check-in after it, on or before that date (their day).
    # A range on (mentee, occurred_at) up to the end of that day where the
    # program is: the index probe stops at the first check-in it finds.
    later = CheckIn.objects.counted().filter(
        mentee=OuterRef("mentee"),
        kind__in=MET,
        occurred_at__gt=OuterRef("occurred_at"),
        occurred_at__lt=DayEndsAt(OuterRef("next_checkin_on"), zone),
    )
    for row in (
        checkins.filter(met, next_checkin_on__gte=period.start, next_checkin_on__lte=period.end)
        .values("mentee")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(Exists(later))))
        .order_by()
    ):
        into.on_time[0] += row["n"]
        into.on_time[1] += 1
        into.on_time[2] += row["on_time"]
        into.on_time[3] += row["on_time"] > 0
    # 7. Contact gaps on the period's last day: active mentees whose latest
    # contact is 14 (30) days old or more, or who have had none.
    end = start_of_day(period.end + timedelta(days=1), zone)
    gap_counts = (
        MenteeProfile.objects.filter(program_id__in=program_ids, status=MenteeStatus.ACTIVE)
        .filter(intake_date__lte=period.end)
        .annotate(
            last=Max(
                "checkins__occurred_at",
                filter=Q(
                    checkins__kind__in=MET,
                    checkins__voided_at__isnull=True,
                    checkins__occurred_at__lt=end,
                ),
            )
        )
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


class DayEndsAt(Func):
    """The instant a date's day ends in a zone (the next day's midnight there):
    "on or before that day" is "before this instant", which an index on the
    timestamp serves. SQLite (make run) has no zones: its day ends in UTC."""

    output_field = DateTimeField()

    def __init__(self, day, zone: str):
        super().__init__(day, Value(zone))

    def as_postgresql(self, compiler, connection, **extra):
        day, day_params = compiler.compile(self.source_expressions[0])
        zone, zone_params = compiler.compile(self.source_expressions[1])
        return f"(({day} + 1)::timestamp AT TIME ZONE {zone})", [*day_params, *zone_params]

    def as_sql(self, compiler, connection, **extra):
        day, day_params = compiler.compile(self.source_expressions[0])
        return f"datetime({day}, '+1 day')", list(day_params)


def _paired(monthly, index: int) -> list[tuple[float, float]]:
    """(first month, latest month) of one measure, for mentees with it in at
    least two months."""
    pairs = []
    for months in monthly.values():
        values = [m[index] for m in months if m[index] is not None]
        if len(values) >= 2:
            pairs.append((values[0], values[-1]))
    return pairs


def outcome_report(*, programs: Sequence[Program], period: Period) -> OutcomeReport:
    report = OutcomeReport(programs=list(programs), period=period)
    program_ids = [p.pk for p in programs]
    months = period.months
    raw: list[RawFigure] = []

    # Mentees by status: everyone taken in by the period's end, as they are now.
    statuses = dict(
        MenteeProfile.objects.filter(program_id__in=program_ids, intake_date__lte=period.end)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    report.mentees_in_report = sum(statuses.values())
    raw.append(
        RawFigure(
            key="status",
            title=gettext("Mentees by status"),
            definition=gettext(
                "Every mentee taken in on or before the period's last day, by their status today."
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
                "the status change) in each month of the period."
            ),
            columns=[gettext("Intakes"), gettext("Discharges"), gettext("Graduations")],
            rows=[
                RawRow(
                    _month_label(m),
                    [
                        _cell(intakes.get(m, 0), intakes.get(m, 0)),
                        _cell(exits.get((m, "discharged"), 0), exits.get((m, "discharged"), 0)),
                        _cell(exits.get((m, "graduated"), 0), exits.get((m, "graduated"), 0)),
                    ],
                )
                for m in months
            ],
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
    for key, title, index in (
        ("use_days", gettext("Days of substance use per 30 days"), 2),
        ("craving", gettext("Mean craving level (0–10)"), 3),
    ):
        pairs = _paired(merged.monthly, index)
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
