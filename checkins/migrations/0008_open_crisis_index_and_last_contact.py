"""The open-crisis index, and every mentee's last contact filled in from the
check-ins already logged (mentorship 0006 added the column; from now on the
check-in services keep it)."""

from django.db import migrations, models
from django.db.models import Max, OuterRef, Subquery


def fill_last_contact(apps, schema_editor):
    CheckIn = apps.get_model("checkins", "CheckIn")
    MenteeProfile = apps.get_model("mentorship", "MenteeProfile")
    last = (
        CheckIn.objects.filter(mentee=OuterRef("pk"), kind="contact", voided_at__isnull=True)
        .order_by()
        .values("mentee")
        .annotate(last=Max("occurred_at"))
        .values("last")[:1]
    )
    MenteeProfile.objects.update(last_contact_at=Subquery(last))


class Migration(migrations.Migration):
    dependencies = [
        ("checkins", "0007_collateral_contacts"),
        ("mentorship", "0006_mentee_last_contact"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="checkin",
            index=models.Index(
                condition=models.Q(
                    ("crisis_flag", True),
                    ("crisis_handled_at__isnull", True),
                    ("voided_at__isnull", True),
                ),
                fields=["mentee"],
                name="checkin_open_crisis",
            ),
        ),
        migrations.RunPython(fill_last_contact, migrations.RunPython.noop),
    ]
