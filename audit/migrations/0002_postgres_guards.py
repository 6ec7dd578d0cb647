"""PostgreSQL only (no-ops on SQLite): the change-trigger function that
audit.operations.TrackChanges attaches to mentee-data tables, and the
revocation of UPDATE, DELETE and TRUNCATE on the audit tables from the
application's role when that role does not own them (audit.db_guards). When
it does own them, or the rights were granted by the owner, the migration says
what the operator must run (README, "Audit trail")."""

import sys

from django.db import migrations

from audit.db_guards import revoke_changes


# Only the fields that changed are kept; an UPDATE that changes nothing is not recorded.
CHANGE_FUNCTION = r"""
CREATE OR REPLACE FUNCTION audit_record_change() RETURNS trigger AS $$
DECLARE
    old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    before_values jsonb := '{}'::jsonb;
    after_values jsonb := '{}'::jsonb;
    field text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        after_values := new_row;
    ELSIF TG_OP = 'DELETE' THEN
        before_values := old_row;
    ELSE
        FOR field IN SELECT jsonb_object_keys(new_row) LOOP
            IF old_row -> field IS DISTINCT FROM new_row -> field THEN
                before_values := before_values || jsonb_build_object(field, old_row -> field);
                after_values := after_values || jsonb_build_object(field, new_row -> field);
            END IF;
        END LOOP;
        IF before_values = '{}'::jsonb THEN
            RETURN NULL;
        END IF;
    END IF;
    INSERT INTO audit_changeevent (at, table_name, row_id, operation, before, after, request_id)
    VALUES (
        clock_timestamp(), TG_TABLE_NAME, COALESCE(new_row ->> 'id', old_row ->> 'id', ''),
        TG_OP, before_values, after_values,
        COALESCE(current_setting('peerpath.request_id', true), '')
    );
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    schema_editor.execute(CHANGE_FUNCTION)
    message = revoke_changes(connection)
    if message:
        sys.stderr.write(message + "\n")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_record_change() CASCADE")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
