"""Seed the Medi-Cal Peer Support Specialist and IC&RC Peer Recovery types."""

from decimal import Decimal

from django.db import migrations

TYPES = [
    {
        "name": "Medi-Cal Peer Support Specialist",
        "issuing_body": "CalMHSA",
        "exam_body": "DHCS",
        "initial_training_hours": 80,
        "cycle_months": 24,
        "ce_hours_required": Decimal("20"),
        "renewal_window_days": 90,
        "ethics_signed_at_renewal": True,
        "background_check_required": False,  # not by DHCS; counties may (listed by admins)
        "background_check_counties": [],
        "lapse_rule": "refresher",
        "ce_records_kept_years": 2,
        "requirements": [("law_and_ethics", Decimal("6"))],
    },
    {
        "name": "IC&RC Peer Recovery (PR)",
        "issuing_body": "IC&RC member board",
        "exam_body": "IC&RC",
        "initial_training_hours": 46,
        "cycle_months": 24,
        "ce_hours_required": Decimal("20"),
        "renewal_window_days": 90,
        "ethics_signed_at_renewal": True,
        "background_check_required": False,
        "background_check_counties": [],
        "lapse_rule": "refresher",
        "ce_records_kept_years": 2,
        "requirements": [("law_and_ethics", Decimal("6"))],
    },
]


def seed(apps, schema_editor):
    CertificationType = apps.get_model("certification", "CertificationType")
    Requirement = apps.get_model("certification", "CECategoryRequirement")
    for spec in TYPES:
        spec = dict(spec)
        requirements = spec.pop("requirements")
        ctype, _ = CertificationType.objects.get_or_create(name=spec.pop("name"), defaults=spec)
        for category, hours in requirements:
            Requirement.objects.get_or_create(
                certification_type=ctype, category=category, defaults={"hours": hours}
            )


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
