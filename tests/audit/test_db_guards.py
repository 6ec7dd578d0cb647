"""PostgreSQL: the application's role loses UPDATE, DELETE and TRUNCATE on
the audit tables, or the operator is told exactly what to run."""

import pytest
from django.db import DatabaseError, connection, transaction

import audit
from audit.db_guards import AUDIT_TABLES, revoke_changes
from tests.services import require_postgres

pytestmark = pytest.mark.django_db

ROLE = "peerpath_audit_test_app"


@pytest.fixture
def app_role():
    """A role that does not own the audit tables (created in the test's
    transaction, so it disappears with it)."""
    require_postgres()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {ROLE}")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {ROLE}")
    yield ROLE
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def grant(privileges: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT {privileges} ON {', '.join(AUDIT_TABLES)} TO {ROLE}")


def test_the_owner_is_told_to_serve_the_application_as_another_role():
    require_postgres()
    message = revoke_changes(connection)
    assert "owns the audit tables" in message
    assert "REVOKE UPDATE, DELETE, TRUNCATE ON" in message


def test_a_role_holding_the_owners_grants_is_told_the_statement_to_run(app_role):
    grant("SELECT, INSERT, UPDATE, DELETE")
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {ROLE}")
    message = revoke_changes(connection)
    assert "still may change audit rows" in message
    assert f'FROM "{ROLE}"' in message


def test_a_role_without_change_rights_cannot_alter_an_event(app_role, coordinator):
    audit.record(coordinator, action="read", mentee_ids=[1])
    grant("SELECT, INSERT")
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {ROLE}")
    assert revoke_changes(connection) == ""
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_accessevent SET reason = 'x'")
