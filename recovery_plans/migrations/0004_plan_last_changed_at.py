"""When what the mentee agrees to last changed in a plan. Active plans that
were agreed to take it from their history, so a change made after the
agreement but before this migration shows "changed since you agreed" too
(without a notification: nobody is emailed about the past)."""

import re

from django.db import migrations, models

# History lines that record progress or her own agreement, not a change.
NOT_A_CHANGE = re.compile(r"^(Done: |Not done: |Acknowledged |Changed goal “.*”: status: [^;]*$)")


def from_history(apps, schema_editor):
    RecoveryPlan = apps.get_model("recovery_plans", "RecoveryPlan")
    PlanChange = apps.get_model("recovery_plans", "PlanChange")
    agreed = RecoveryPlan.objects.filter(status="active", acknowledged_at__isnull=False)
    for plan in agreed.iterator():
        changes = PlanChange.objects.filter(plan=plan).order_by("-changed_at")
        for changed_at, summary in changes.values_list("changed_at", "summary"):
            if not NOT_A_CHANGE.match(summary):
                RecoveryPlan.objects.filter(pk=plan.pk).update(last_changed_at=changed_at)
                break


class Migration(migrations.Migration):
    dependencies = [
        ("recovery_plans", "0003_plain_constraint_messages"),
    ]

    operations = [
        migrations.AddField(
            model_name="recoveryplan",
            name="last_changed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(from_history, migrations.RunPython.noop),
    ]
