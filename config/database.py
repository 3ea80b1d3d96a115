"""Statements prepared on a connection (DB_PREPARE_THRESHOLD) outlive a migration that changes the type of a
column they read: PostgreSQL then refuses them ("cached plan must not change result type") on every run,
and psycopg keeps them for the connection's life (up to an hour in the pool). A statement run outside a
transaction that meets this refusal deallocates the connection's prepared statements (psycopg forgets its
own when it sees DEALLOCATE ALL succeed) and runs once more, prepared anew later. Inside a transaction the
refusal stands: the transaction is aborted, and its rollback makes psycopg forget them too."""

from typing import Any

from django.db.utils import NotSupportedError


def _plan_outdated(error: NotSupportedError) -> bool:
    # PostgreSQL's own name for the check, the same in every language its messages are translated to
    return getattr(getattr(error.__cause__, "diag", None), "source_function", None) == "RevalidateCachedQuery"


def replan_outdated_statements(execute, sql: str, params: Any, many: bool, context: dict) -> Any:
    try:
        return execute(sql, params, many, context)
    except NotSupportedError as error:
        if not _plan_outdated(error) or context["connection"].in_atomic_block:
            raise
        context["cursor"].cursor.execute("DEALLOCATE ALL")
        # safe to run again, a write too: PostgreSQL refuses an outdated statement before running it
        return execute(sql, params, many, context)


def install(sender, connection, **kwargs) -> None:
    """On each PostgreSQL connection (connection_created): its statements run through the wrapper above."""
    if connection.vendor == "postgresql" and replan_outdated_statements not in connection.execute_wrappers:
        connection.execute_wrappers.append(replan_outdated_statements)
