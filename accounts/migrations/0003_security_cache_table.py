"""The table of the default cache (settings.CACHES), which holds what security
needs: allauth's rate limits and the two-factor codes already used.

It is a migration rather than a `createcachetable` step so that `migrate`
alone (make run, docker compose, the test database) leaves a working site.
"""

from django.core.management import call_command
from django.db import migrations

# Must match CACHES["default"]["LOCATION"] in config/settings/base.py.
CACHE_TABLE = "peerpath_cache"


def create_cache_table(apps, schema_editor):
    # Django's own command, so the columns are exactly what DatabaseCache reads;
    # it leaves an existing table alone.
    call_command(
        "createcachetable", CACHE_TABLE, database=schema_editor.connection.alias, verbosity=0
    )


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_program_min_months_in_recovery"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, drop_cache_table),
    ]
