"""The supervision sweeps: one INSERT … SELECT per time zone each,
idempotent through the notification key, so a rerun or a second worker
tells nobody twice."""

from datetime import datetime

from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast

from accounts.models import Program, User
from core.dates import local_today
from notifications.services import notifications_insert_from

from .models import CrisisDebrief, Supervisor, SupervisorAssignment
from .selectors import minimum_of, minutes_in_month

# The monthly reminder goes out from this day of the month (program-local)
# for supervisees still below the minimum: time enough to meet it.
REMIND_FROM_DAY = 20


def remind_supervision_minimum(*, now: datetime | None = None) -> int:
    """Once a month, the supervisor of each supervisee below the program's
    monthly minimum, from the 20th."""
    created = 0
    for time_zone in Program.objects.values_list("time_zone", flat=True).distinct():
        today = local_today(time_zone, now)
        if today.day < REMIND_FROM_DAY:
            continue
        below = (
            SupervisorAssignment.objects.current()
            .filter(mentor__program__time_zone=time_zone, mentor__is_active=True)
            .annotate(
                minutes=minutes_in_month(today, "mentor_id"),
                minimum=minimum_of("mentor__program__"),
            )
            .filter(minutes__lt=F("minimum"))
        )
        created += notifications_insert_from(
            kind="supervision_below_minimum",
            subject_model=SupervisorAssignment,
            queryset=below,
            recipient=F("supervisor__user_id"),
            subject=F("pk"),
            due_key=Value(today.strftime("%Y-%m")),
        )
    return created


def alert_overdue_debriefs(*, now: datetime | None = None) -> int:
    """Each overdue crisis debrief, once: to the program's coordinators and to
    the mentor's current supervisor."""
    created = 0
    for time_zone in Program.objects.values_list("time_zone", flat=True).distinct():
        today = local_today(time_zone, now)
        overdue = CrisisDebrief.objects.open().filter(
            program__time_zone=time_zone, due_on__lt=today
        )
        due_key = Cast(F("due_on"), output_field=CharField())
        created += notifications_insert_from(
            kind="crisis_debrief_overdue",
            subject_model=CrisisDebrief,
            queryset=overdue,
            recipient=F("program_id"),
            subject=F("pk"),
            due_key=due_key,
            recipients_of=(User.objects.filter(role="coordinator", is_active=True), "program_id"),
        )
        supervisor = SupervisorAssignment.objects.current().filter(mentor_id=OuterRef("mentor_id"))
        created += notifications_insert_from(
            kind="crisis_debrief_overdue",
            subject_model=CrisisDebrief,
            queryset=overdue,
            recipient=Subquery(supervisor.values("supervisor__user_id")[:1]),
            subject=F("pk"),
            due_key=due_key,
        )
    return created


def alert_overdue_training(*, now: datetime | None = None) -> int:
    """A supervisor whose training deadline passed, once per deadline: to them
    and to the program's coordinators."""
    created = 0
    for time_zone in Program.objects.values_list("time_zone", flat=True).distinct():
        today = local_today(time_zone, now)
        overdue = Supervisor.objects.current().filter(
            program__time_zone=time_zone,
            training_completed_on__isnull=True,
            training_due_on__lt=today,
        )
        due_key = Cast(F("training_due_on"), output_field=CharField())
        created += notifications_insert_from(
            kind="supervisor_training_overdue",
            subject_model=Supervisor,
            queryset=overdue,
            recipient=F("user_id"),
            subject=F("pk"),
            due_key=due_key,
        )
        created += notifications_insert_from(
            kind="supervisor_training_overdue",
            subject_model=Supervisor,
            queryset=overdue,
            recipient=F("program_id"),
            subject=F("pk"),
            due_key=due_key,
            recipients_of=(User.objects.filter(role="coordinator", is_active=True), "program_id"),
        )
    return created


def supervision_sweeps(*, now: datetime | None = None) -> int:
    return (
        remind_supervision_minimum(now=now)
        + alert_overdue_debriefs(now=now)
        + alert_overdue_training(now=now)
    )
