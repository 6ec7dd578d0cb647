"""The coordinator's mentee list, as check-ins see it: when each mentee was
last reached, when the next check-in is due, and the flags that say who needs
attention (an open crisis, an overdue check-in, no contact for 14 days), with
a filter and a sort for each. Registered with mentorship.mentee_list from
apps.py; the rules are the dashboard watch's (selectors.coordinator_watch)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Case, DateField, F, Q, QuerySet, When
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Program
from core.dates import month_day_year, program_date, program_today
from mentorship.choices import MenteeStatus
from mentorship.mentee_list import ACTIVE_ASSIGNMENT, MenteeListColumns, Risk, Sort

from .selectors import CONTACT_GAP_DAYS, open_crisis


def annotate(queryset: QuerySet) -> QuerySet:
    """The next due date of an active mentee's assignment (its schedule,
    joined) and the crisis badge; the last contact is a column of the mentee."""
    return queryset.annotate(
        next_due_on=Case(
            When(
                status=MenteeStatus.ACTIVE,
                then=F(f"{ACTIVE_ASSIGNMENT}__schedule__next_due_on"),
            ),
            default=None,
            output_field=DateField(),
        ),
        open_crisis=open_crisis(),
    )


def _programs_of(queryset: QuerySet) -> list[Program]:
    return list(Program.objects.filter(pk__in=queryset.order_by().values("program_id")))


def with_open_crisis(queryset: QuerySet) -> QuerySet:
    return queryset.filter(open_crisis=True)


def overdue(queryset: QuerySet) -> QuerySet:
    """Past the next due date by more than the program's grace days, each on
    its program's calendar (one query for the programs)."""
    cutoffs = Q(pk__in=[])
    for program in _programs_of(queryset):
        cutoff = program_today(program) - timedelta(days=program.overdue_grace_days)
        cutoffs |= Q(program=program, next_due_on__lt=cutoff)
    return queryset.filter(cutoffs)


def without_recent_contact(queryset: QuerySet) -> QuerySet:
    """Active, assigned mentees not reached since the day CONTACT_GAP_DAYS
    ago (or, never reached, assigned since before it): the rule of
    selectors.mentees_without_contact_since, on the list's own columns."""
    gaps = Q(pk__in=[])
    for program in _programs_of(queryset):
        day = program_today(program) - timedelta(days=CONTACT_GAP_DAYS)
        # Reached on or before `day` on the program's calendar: before the
        # midnight that ends it there.
        day_ends = datetime.combine(
            day + timedelta(days=1), time.min, tzinfo=ZoneInfo(program.time_zone)
        )
        gaps |= Q(program=program, status=MenteeStatus.ACTIVE, assigned_on__isnull=False) & (
            Q(last_contact_at__isnull=True, assigned_on__lte=day) | Q(last_contact_at__lt=day_ends)
        )
    return queryset.filter(gaps)


OPEN_CRISIS = _("Open crisis")
CHECKIN_OVERDUE = _("Check-in overdue")


def _no_contact_for(days: int) -> str:
    return ngettext("No contact for %(days)s day", "No contact for %(days)s days", days) % {
        "days": days
    }


def flag_rows(rows) -> None:
    """The same rules on the shown rows, in Python: no query. The cells'
    dates are labelled here too, once for the page."""
    today_of: dict[int, object] = {}
    for row in rows:
        row.last_contact_label = (
            month_day_year(program_date(row.last_contact_at, row.program))
            if row.last_contact_at
            else ""
        )
        row.next_due_label = month_day_year(row.next_due_on) if row.next_due_on else "—"
        program = row.program
        today = today_of.setdefault(program.pk, program_today(program))
        if row.open_crisis:
            row.flags.append(("crisis", OPEN_CRISIS))
        grace = timedelta(days=program.overdue_grace_days)
        if row.next_due_on is not None and row.next_due_on < today - grace:
            row.flags.append(("overdue", CHECKIN_OVERDUE))
        if row.status == MenteeStatus.ACTIVE and row.assigned_on is not None:
            since = program_date(row.last_contact_at, program) if row.last_contact_at else None
            days = (today - (since or row.assigned_on)).days
            if days >= CONTACT_GAP_DAYS:
                row.flags.append(("gap", _no_contact_for(days)))


COLUMNS = MenteeListColumns(
    annotate=annotate,
    headers=(_("Last contact"), _("Next due")),
    cells_template="checkins/partials/_mentee_list_cells.html",
    flag_rows=flag_rows,
    risks=(
        Risk("crisis", OPEN_CRISIS, with_open_crisis),
        Risk("overdue", CHECKIN_OVERDUE, overdue),
        Risk("gap", lazy(_no_contact_for, str)(CONTACT_GAP_DAYS), without_recent_contact),
    ),
    sorts=(
        Sort(
            "last_contact",
            _("Longest without contact"),
            (F("last_contact_at").asc(nulls_first=True), "preferred_name", "pk"),
        ),
        Sort(
            "next_due",
            _("Next check-in due"),
            (F("next_due_on").asc(nulls_last=True), "preferred_name", "pk"),
        ),
    ),
)
