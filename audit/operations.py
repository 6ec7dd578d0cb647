"""TrackChanges: a migration operation that puts the change trigger on a
mentee-data table (PostgreSQL only; on SQLite it does nothing, and the app
still migrates and runs). An app above adds it in its own migration:

    from audit.operations import TrackChanges
    operations = [TrackChanges("checkins_checkin")]
"""

from django.db.migrations.operations.base import Operation

TRIGGER_NAME = "audit_track_changes"


class TrackChanges(Operation):
    reversible = True
    reduces_to_sql = False

    def __init__(self, table: str):
        self.table = table

    def state_forwards(self, app_label, state):
        pass  # no model state changes: the trigger lives only in the database

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name(self.table)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER_NAME} ON {table}")
        schema_editor.execute(
            f"CREATE TRIGGER {TRIGGER_NAME} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION audit_record_change()"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name(self.table)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER_NAME} ON {table}")

    def describe(self):
        return f"Record before/after values of {self.table} (PostgreSQL)"

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.table], {})
