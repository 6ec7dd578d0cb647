"""Demo supervision: per program, the coordinator (licensed, trained) and one
mentor (a certified peer supervisor whose training is overdue) supervise the
other mentors; individual and group sessions this month and last, some
acknowledged, with action items; a mentor below the monthly minimum; crisis
debriefs closed and one left open. Runs after checkins.demo. Idempotent."""

from datetime import timedelta

from accounts.models import Role, User
from checkins.models import CheckIn
from core.dates import program_today

from . import services
from .models import CrisisDebrief, SupervisionSettings, Supervisor


def seed_demo(report) -> None:
    for number, program in enumerate(report.programs):
        if Supervisor.objects.filter(program=program).exists():
            continue
        coordinator = program.members.filter(role=Role.COORDINATOR).first()
        mentors = list(
            User.objects.filter(program=program, role=Role.MENTOR, is_active=True).order_by("pk")
        )
        if coordinator is None or len(mentors) < 3:
            continue
        today = program_today(program)
        lead = services.supervisor_designate(
            user=coordinator, by=coordinator, qualification="licensed",
            license_number="LCSW 81234", designated_on=today - timedelta(days=400),
        )  # fmt: skip
        services.supervisor_training_record(
            supervisor=lead, by=coordinator, completed_on=today - timedelta(days=300)
        )
        peer_user, *supervisees = mentors
        peer = services.supervisor_designate(
            user=peer_user, by=coordinator, qualification="certified_peer",
            years_of_experience=7, designated_on=today - timedelta(days=200),
        )  # fmt: skip
        services.supervisor_assign(mentor=peer_user, supervisor=lead, by=coordinator)
        theirs = {lead: [], peer: []}
        for n, mentor in enumerate(supervisees):
            supervisor = peer if n % 2 else lead
            services.supervisor_assign(mentor=mentor, supervisor=supervisor, by=coordinator)
            theirs[supervisor].append(mentor)
        first_of_month = today.replace(day=1)
        last_month = first_of_month - timedelta(days=10)
        for supervisor, group in theirs.items():
            if not group:
                continue
            for mentor in group:
                # Last month for everyone; this month all but the last of each
                # supervisor's group (who shows below the minimum).
                services.session_record(
                    by=supervisor.user, kind="individual", held_on=last_month,
                    duration_minutes=60, format="in_person",
                    topics=["caseload_review", "self_care"], mentors=[mentor],
                    notes="Reviewed the caseload; talked about pacing.",
                )  # fmt: skip
            for mentor in group[:-1]:
                session = services.session_record(
                    by=supervisor.user, kind="individual", held_on=first_of_month,
                    duration_minutes=90, format="video",
                    topics=["ethics_and_boundaries", "documentation"], mentors=[mentor],
                    action_items=[services.NewActionItem(
                        mentor, "Finish last week's check-in notes", today + timedelta(days=7)
                    )],
                )  # fmt: skip
                services.session_acknowledge(session=session, mentor=mentor)
        # A monthly group with every supervisee, led by the coordinator.
        if len(supervisees) >= 2:
            services.session_record(
                by=coordinator, kind="group", held_on=first_of_month, duration_minutes=60,
                format="in_person", topics=["skills"], mentors=supervisees,
            )  # fmt: skip
        # The check-ins demo writes its rows in bulk (no signal): open the
        # debriefs of its crisis check-ins here.
        for checkin in CheckIn.objects.filter(
            mentee__program=program, crisis_flag=True, voided_at__isnull=True,
            crisis_debrief__isnull=True,
        ).select_related("mentee__program"):  # fmt: skip
            services.debrief_open(checkin=checkin)
        # Crisis debriefs: each closed by a debrief session but the newest,
        # left open (overdue, on the coordinator's dashboard).
        open_debriefs = list(CrisisDebrief.objects.open().filter(program=program).order_by("pk"))
        for debrief in open_debriefs[:-1]:
            supervisor = services.supervisor_of(debrief.mentor)
            if supervisor is None:
                continue
            services.session_record(
                by=supervisor.user, kind="individual",
                held_on=min(today, max(debrief.opened_on, first_of_month)),
                duration_minutes=30, format="telephone", topics=["crisis_debrief"],
                mentors=[debrief.mentor], debriefs=[debrief],
            )  # fmt: skip
        if number == 0:
            _approvals_demo(program, supervisees)
    seed_follow_ups(report)
    report.notes.append(
        "Supervision: each coordinator supervises; one mentor per program is a peer supervisor."
    )


DEMO_FOLLOW_UPS = [
    # (on a plan?, what, due in days or None, answer or "" for open)
    (False, "Call again before Friday: she sounded unsure about the new job.", 3, ""),
    (True, "Ask about the court date and whether a ride is needed.", None, ""),
    (False, "Check that the clinic appointment happened.", 2,
     "Called on Tuesday: the appointment happened and the next one is booked."),
    (True, "Look at the housing goal together; the waitlist may have moved.", None,
     "We went over it; the waitlist is unchanged and the step stays."),
]  # fmt: skip


def seed_follow_ups(report) -> None:
    """Per program, follow-up requests from the coordinator to mentors with
    mentees: two open (one due soon), two answered. Idempotent: a program
    that has any is left alone."""
    from mentorship.models import Assignment
    from recovery_plans.models import RecoveryPlan

    from .models import FollowUpRequest

    for program in report.programs:
        if FollowUpRequest.objects.filter(program=program).exists():
            continue
        coordinator = program.members.filter(role=Role.COORDINATOR, is_active=True).first()
        if coordinator is None:
            continue
        today = program_today(program)
        mentees = list(
            Assignment.objects.filter(mentee__program=program, ended_at__isnull=True)
            .order_by("mentee_id")
            .values_list("mentee_id", "mentor_id")[:8]
        )
        made = 0
        for n, (on_plan, text, due_in, answer) in enumerate(DEMO_FOLLOW_UPS):
            if not mentees:
                break
            mentee_id, mentor_id = mentees[n % len(mentees)]
            target = (
                RecoveryPlan.objects.filter(mentee_id=mentee_id).order_by("-version").first()
                if on_plan
                else CheckIn.objects.filter(mentee_id=mentee_id, voided_at__isnull=True)
                .order_by("-occurred_at")
                .first()
            )
            if target is None:
                continue
            follow_up = services.follow_up_request(
                by=coordinator, text=text,
                due_on=today + timedelta(days=due_in) if due_in is not None else None,
                **({"plan": target} if on_plan else {"checkin": target}),
            )  # fmt: skip
            if answer:
                services.follow_up_resolve(
                    follow_up=follow_up, by=User.objects.get(pk=mentor_id), answer=answer
                )
            made += 1
        if made:
            report.notes.append(f"Follow-up requests: {made} in {program.name}, two answered.")


def _approvals_demo(program, supervisees) -> None:
    """Approvals on, and a supervisee's request to graduate a mentee waiting."""
    from mentorship.models import Assignment
    from mentorship.services import mentee_transition

    SupervisionSettings.objects.update_or_create(
        program=program, defaults={"approvals_required": True}
    )
    assignment = (
        Assignment.objects.active()
        .filter(mentor__in=supervisees, mentee__status="active")
        .select_related("mentee", "mentor")
        .order_by("pk")
        .first()
    )
    if assignment is not None:
        mentee_transition(
            mentee=assignment.mentee,
            to_status="graduated",
            changed_by=assignment.mentor,
            note="Met every goal of the plan; ready to graduate.",
        )
