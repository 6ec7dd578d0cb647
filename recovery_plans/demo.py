"""Demo recovery plans: an active plan with goals in all four dimensions, steps,
triggers, supports and a safety plan for most assigned mentees; one draft; a
template per program. Runs after mentorship.demo. Idempotent."""

from datetime import timedelta

from django.utils import timezone

from mentorship.models import Assignment

from . import services
from .models import PlanTemplate, RecoveryPlan

GOALS = [
    ("health", "I want to sleep through the night most nights.", ["Keep the phone out of the bedroom", "Walk after dinner three times a week"]),
    ("home", "I want a place of my own by summer.", ["Fill in the housing application", "Save $50 a week"]),
    ("purpose", "I want to get back to work, part time to start.", ["Update my résumé with my mentor", "Apply to two jobs"]),
    ("community", "I want people around me who get it.", ["Go to one meeting a week", "Call my sponsor on Sundays"]),
]  # fmt: skip


def seed_demo(report) -> None:
    today = timezone.localdate()
    for program in report.programs:
        coordinator = program.members.filter(role="coordinator").first()
        template = PlanTemplate.objects.filter(program=program, name="First 90 days").first()
        if template is None:
            template = services.template_create(
                program=program, by=coordinator, name="First 90 days"
            )
            for domain, description, steps in GOALS:
                services.template_goal_add(
                    template=template,
                    by=coordinator,
                    domain=domain,
                    description=description,
                    steps=steps,
                )
        assignments = (
            Assignment.objects.filter(ended_at__isnull=True, mentee__program=program)
            .select_related("mentee", "mentor")
            .order_by("mentee__preferred_name")
        )
        for n, assignment in enumerate(assignments):
            mentee, mentor = assignment.mentee, assignment.mentor
            if RecoveryPlan.objects.filter(mentee=mentee).exists():
                continue
            plan = services.plan_create(
                mentee=mentee,
                created_by=mentor,
                template=template,
                review_on=today + timedelta(days=30 + 7 * n),
            )
            services.trigger_add(
                plan=plan,
                by=mentor,
                description="Payday weekends",
                coping=["Plan the weekend on Friday", "Text my mentor"],
            )
            services.support_add(
                plan=plan,
                by=mentor,
                name="Tuesday evening group",
                kind="group",
                relationship="peer group",
            )
            services.support_add(
                plan=plan,
                by=mentor,
                name="My sister",
                relationship="sister",
                phone="(916) 555-0142",
            )
            services.safety_plan_save(
                plan=plan,
                by=mentor,
                warning_signs="Skipping meals, staying in bed, avoiding calls.",
                coping_steps="Go for a walk; make tea; listen to music.",
                people_to_call="My sister; my mentor.",
                environment="Keep nothing at home I would use.",
            )
            if n == len(assignments) - 1:
                continue  # the last one stays a draft
            services.plan_activate(plan=plan, activated_by=mentor)
            first_steps = [goal.steps.first() for goal in plan.goals.all()[: 1 + n % 3]]
            for step in filter(None, first_steps):
                services.step_set_done(step=step, by=mentor, done=True)
            if n % 2 == 0 and mentee.user_id:
                services.plan_acknowledge(plan=plan, user=mentee.user)
