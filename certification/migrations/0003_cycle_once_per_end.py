"""One cycle per end date, and cycles that do not share a day.

Before the constraint, duplicate cycles (two renewals posted at once) are
merged, keeping the first. Renewals used to start the next cycle on the old
expiry day, which then counted in both cycles; those starts move to the day
after, the rule certification.status.in_cycle states.
"""

from datetime import timedelta

from django.db import migrations, models


def keep_first_of_duplicate_cycles(apps, schema_editor):
    CertificationCycle = apps.get_model("certification", "CertificationCycle")
    seen = set()
    duplicates = []
    for pk, certification_id, ended_on in CertificationCycle.objects.order_by("pk").values_list(
        "pk", "certification_id", "ended_on"
    ):
        if (certification_id, ended_on) in seen:
            duplicates.append(pk)
        seen.add((certification_id, ended_on))
    CertificationCycle.objects.filter(pk__in=duplicates).delete()


def start_cycles_the_day_after_the_last_ended(apps, schema_editor):
    Certification = apps.get_model("certification", "Certification")
    CertificationCycle = apps.get_model("certification", "CertificationCycle")
    ends = set(CertificationCycle.objects.values_list("certification_id", "ended_on"))
    for cycle in CertificationCycle.objects.filter(started_on__isnull=False):
        if (cycle.certification_id, cycle.started_on) in ends:
            cycle.started_on += timedelta(days=1)
            cycle.save(update_fields=["started_on"])
    for cert in Certification.objects.filter(pk__in={c for c, _ in ends}):
        if (cert.pk, cert.cycle_started_on) in ends:
            cert.cycle_started_on += timedelta(days=1)
            cert.save(update_fields=["cycle_started_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0002_seed_certification_types"),
    ]

    operations = [
        migrations.RunPython(keep_first_of_duplicate_cycles, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="certificationcycle",
            constraint=models.UniqueConstraint(
                fields=("certification", "ended_on"), name="certification_cycle_once_per_end"
            ),
        ),
        migrations.RunPython(start_cycles_the_day_after_the_last_ended, migrations.RunPython.noop),
    ]
