from recovery_plans import services
from recovery_plans.models import Goal, RecoveryPlan


def make_plan(
    mentee_profile, author, *, goals: int = 2, steps: int = 2, active: bool = True
) -> RecoveryPlan:
    """A plan with `goals` goals of `steps` steps each, through the services."""
    plan = services.plan_create(mentee=mentee_profile, created_by=author)
    domains = ["health", "home", "purpose", "community"]
    for n in range(goals):
        goal = services.goal_add(
            plan=plan, by=author, domain=domains[n % 4], description=f"PHI-MARKER goal {n}"
        )
        for m in range(steps):
            services.step_add(goal=goal, by=author, description=f"PHI-MARKER step {n}.{m}")
    services.trigger_add(
        plan=plan, by=author, description="PHI-MARKER trigger", coping=["walk", "call"]
    )
    if active:
        services.plan_activate(plan=plan, activated_by=author)
    plan.refresh_from_db()
    return plan


def first_step(plan: RecoveryPlan):
    return Goal.objects.filter(plan=plan).first().steps.first()
