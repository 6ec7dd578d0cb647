"""Which programs a reader may report on: the one scoping place of reports.

Coordinators their own program; admins any one program or all of them. The
report shows only aggregates under the small-cell rule, never a mentee's
record, so an admin needs no break-glass grant for it."""

from django.http import Http404

from accounts.models import Program, User


def reportable_programs(*, user: User):
    if not (user.is_authenticated and (user.is_admin or user.is_coordinator)):
        return Program.objects.none()
    return Program.objects.visible_to(user).order_by("name")


def programs_for_report(*, user: User, program_id: int | None) -> list[Program]:
    """The programs of one report: the chosen one (404 when out of reach), or
    every program the reader reaches when none is chosen (a coordinator's is
    their own)."""
    programs = reportable_programs(user=user)
    if program_id is None:
        return list(programs)
    chosen = list(programs.filter(pk=program_id))
    if not chosen:
        raise Http404("No such program.")
    return chosen


# --- Follow-up windows ------------------------------------------------------


def follow_up_rows(*, user: User, today, mentees, state: str | None = None):
    """(mentee, [(window, state, follow-up or None)]) for a page of mentees,
    with every follow-up of theirs in one query; only the points in `state`
    when one is given."""
    from .follow_ups import windows_of
    from .models import FollowUp

    done = {
        (f.mentee_id, f.point): f
        for f in FollowUp.objects.filter(mentee__in=[m.pk for m in mentees])
    }
    rows = []
    for mentee in mentees:
        cells = []
        for window in windows_of(
            intake=mentee.intake_date,
            status=mentee.status,
            status_changed_on=mentee.status_changed_on,
        ):
            follow_up = done.get((mentee.pk, window.point))
            now = window.state(today, follow_up.completed_on if follow_up else None)
            if state is None or now == state:
                cells.append((window, now, follow_up))
        rows.append((mentee, cells))
    return rows


def follow_up_rate(*, mentees, today) -> dict:
    """Over the mentees given (a queryset): of the points whose window has
    closed or that are done, the share done. One aggregate query."""
    from datetime import timedelta

    from django.db.models import Count, Exists, OuterRef, Q

    from .follow_ups import CLOSED_STATUSES, FROM_DISCHARGE, FROM_INTAKE, Point
    from .models import FollowUp

    def done(point):
        return Exists(
            FollowUp.objects.filter(mentee=OuterRef("pk"), point=point, completed_on__isnull=False)
        )

    discharged = Q(status__in=CLOSED_STATUSES)
    aggregates = {}
    for point, (first, last) in FROM_INTAKE.items():
        # Expected unless discharged before the window opened.
        expected = ~discharged | Q(status_changed_on__gte=_intake_plus(first))
        closed = Q(intake_date__lt=today - timedelta(days=last))
        aggregates[f"{point}_due"] = Count("pk", filter=expected & (closed | Q(done(point))))
        aggregates[f"{point}_done"] = Count("pk", filter=expected & Q(done(point)))
    closed = Q(status_changed_on__lt=today - timedelta(days=FROM_DISCHARGE[1]))
    aggregates["closeout_due"] = Count("pk", filter=discharged & (closed | Q(done(Point.CLOSEOUT))))
    aggregates["closeout_done"] = Count("pk", filter=discharged & Q(done(Point.CLOSEOUT)))
    counts = mentees.aggregate(**aggregates)
    due = sum(counts[f"{p}_due"] for p in Point.values)
    completed = sum(counts[f"{p}_done"] for p in Point.values)
    return {"due": due, "done": completed, "rate": completed / due if due else None}


def _intake_plus(days: int):
    from datetime import timedelta

    from django.db.models import DateField, ExpressionWrapper, F, Value

    return ExpressionWrapper(
        F("intake_date") + Value(timedelta(days=days)), output_field=DateField()
    )
