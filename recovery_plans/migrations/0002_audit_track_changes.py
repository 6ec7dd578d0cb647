"""Before/after values of every change to this app's mentee data, written by
a PostgreSQL trigger into audit_changeevent (nothing on SQLite)."""

from django.db import migrations

from audit.operations import TrackChanges


class Migration(migrations.Migration):
    dependencies = [("recovery_plans", "0001_initial"), ("audit", "0002_postgres_guards")]
    operations = [
        TrackChanges("recovery_plans_recoveryplan"),
        TrackChanges("recovery_plans_goal"),
        TrackChanges("recovery_plans_actionstep"),
        TrackChanges("recovery_plans_trigger"),
        TrackChanges("recovery_plans_copingstrategy"),
        TrackChanges("recovery_plans_supportcontact"),
        TrackChanges("recovery_plans_safetyplan"),
    ]
