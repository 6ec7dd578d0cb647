"""PostgreSQL: take UPDATE, DELETE and TRUNCATE on the audit tables away from
the application's role. Used by migration 0002; callable again by operators
(`revoke_changes(connection)`) after changing roles."""

AUDIT_TABLES = ("audit_accessevent", "audit_accesseventmentee", "audit_changeevent")
CHANGE_PRIVILEGES = ("UPDATE", "DELETE", "TRUNCATE")


def revoke_changes(connection) -> str:
    """Revoke from the current role; '' when it holds none of those rights
    afterwards, else what the operator must do (as plain text)."""
    quote = connection.ops.quote_name
    tables = ", ".join(quote(t) for t in AUDIT_TABLES)
    statement = f"REVOKE {', '.join(CHANGE_PRIVILEGES)} ON {tables} FROM {{role}}"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, tableowner FROM pg_tables WHERE tablename = %s", [AUDIT_TABLES[0]]
        )
        role, owner = cursor.fetchone()
        if role == owner:
            return (
                f"audit: the role {role} owns the audit tables and could give itself back any "
                "right taken from it. Serve the application as another role (README, 'Audit "
                "trail') and, as the owner, run: " + statement.format(role="<that role>")
            )
        cursor.execute(statement.format(role="CURRENT_USER"))
        if not _holds_change_rights(cursor):
            return ""
    # A role can only revoke what it granted itself; the owner's grants stay.
    return (
        f"audit: the role {role} still may change audit rows (the owner granted it). As the "
        "owner, run: " + statement.format(role=quote(role))
    )


def _holds_change_rights(cursor) -> bool:
    checks = " OR ".join(
        f"has_table_privilege(current_user, %s, '{privilege}')"
        for _ in AUDIT_TABLES
        for privilege in CHANGE_PRIVILEGES
    )
    params = [table for table in AUDIT_TABLES for _ in CHANGE_PRIVILEGES]
    cursor.execute(f"SELECT {checks}", params)  # noqa: S608 - privilege names are constants
    return bool(cursor.fetchone()[0])
