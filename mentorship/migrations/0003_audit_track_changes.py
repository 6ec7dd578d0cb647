"""Before/after values of every change to this app's mentee data, written by
a PostgreSQL trigger into audit_changeevent (nothing on SQLite)."""

from django.db import migrations

from audit.operations import TrackChanges


class Migration(migrations.Migration):
    dependencies = [("mentorship", "0002_mentee_remote_consent"), ("audit", "0002_postgres_guards")]
    operations = [
        TrackChanges("mentorship_menteeprofile"),
    ]
