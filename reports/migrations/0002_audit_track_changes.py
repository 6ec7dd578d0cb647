from django.db import migrations

from audit.operations import TrackChanges


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial"), ("audit", "0005_plain_constraint_message")]

    operations = [TrackChanges("reports_followup")]
