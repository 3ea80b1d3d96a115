"""What every PostgreSQL connection gets from the project, through its backend (config.postgresql).

Outdated prepared statements run again. Statements prepared on a connection (DB_PREPARE_THRESHOLD) outlive a
migration that changes the type of a column they read: PostgreSQL then refuses them ("cached plan must not
change result type") on every run, and psycopg keeps them for the connection's life (up to an hour in the
pool). A statement run outside a transaction that meets this refusal deallocates the connection's prepared
statements (psycopg forgets its own when it sees DEALLOCATE ALL succeed) and runs once more, prepared anew
later. Inside a transaction the refusal stands: the transaction is aborted, and its rollback makes psycopg
forget them too.

Dates with a time zone are read by psycopg's C loader. Django's loader for them (it pins the time zone Django
expects) derives from psycopg's pure-Python one, as a C loader cannot be derived from (Django ticket 36960,
psycopg issue 1273): on a list page of 25 rows that parsing was about a tenth of the request's CPU. The
loader here calls the C loader, where psycopg has one, and pins the time zone as Django's does.

A pooled connection is handed out after a look at its socket, not a round trip. Django's pool checks each
connection before a request gets it with psycopg's check, an empty statement sent to the server and waited
for: a round trip on every request, and a statement for PostgreSQL to run. An idle connection has nothing to
read; a server that ends it (a restart, pg_terminate_backend, an idle timeout, a crash) says so on its socket
(an error and the end of the stream), which then has something to read. So a connection whose socket has
nothing to read is handed out as it is, and any other gets psycopg's full check, which the pool acts on as
before (it discards a broken connection and hands out another). A server that ended one connection has most
likely ended the pool's others too (a restart): the pool then checks every idle one at once, instead of
handing them out one by one with its back-off between them (1 s, 2 s, 4 s: past its 3 s wait, so the first
requests after a restart failed). A connection whose server vanished without a word (a cut cable) fails
either way: its round trip would wait as long as the request's first statement.

A join's column types are compared once per pair of columns (DatabaseOperations, through the project's
backend, config.postgresql). Django's PostgreSQL backend compares them on every join it compiles, to cast one
side where they differ, and a foreign key's type is found by building a new model field each time (Django's
BigAutoField.rel_db_type): 3-4 % of the instructions of a list page or a detail."""

import select
from functools import cache
from typing import Any

import psycopg
from django.db.backends.postgresql import operations
from django.db.models.functions import Cast
from django.db.utils import NotSupportedError
from psycopg.adapt import Loader
from psycopg.pq import Format, TransactionStatus
from psycopg_pool import ConnectionPool

TIMESTAMPTZ_OID = psycopg.postgres.types["timestamptz"].oid


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


@cache
def timestamptz_loader(tz: Any) -> type[Loader]:
    """Django's loader for the time zone `tz` (its `register_tzloader`), on psycopg's fastest loader."""
    fastest = psycopg.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)

    class TimestamptzLoader(Loader):
        timezone = tz  # what Django's create_cursor compares with its connection's
        project = True

        def __init__(self, oid: int, context: Any = None):
            super().__init__(oid, context)
            self.parse = fastest(oid, context).load

        def load(self, data: Any) -> Any:
            value = self.parse(data)
            # in the connection's zone already when it is Django's (UTC): a new datetime only otherwise
            return value if value.tzinfo is tz else value.replace(tzinfo=tz)

    return TimestamptzLoader


class DatabaseOperations(operations.DatabaseOperations):
    compiler_module = "config.postgresql.compiler"
    # (left field, right field) -> whether their columns have the same type; the types are the backend's own
    _same_type: dict[tuple, bool] = {}

    def prepare_join_on_clause(self, lhs_table, lhs_field, rhs_table, rhs_field):
        # the base backend's columns, then Django's PostgreSQL cast with the comparison kept
        lhs_expr, rhs_expr = super(operations.DatabaseOperations, self).prepare_join_on_clause(
            lhs_table, lhs_field, rhs_table, rhs_field
        )
        same = self._same_type.get((lhs_field, rhs_field))
        if same is None:
            same = lhs_field.db_type(self.connection) == rhs_field.db_type(self.connection)
            self._same_type[lhs_field, rhs_field] = same
        if not same:  # as Django's
            rhs_expr = Cast(rhs_expr, lhs_field)
        return lhs_expr, rhs_expr


full_check = ConnectionPool.check_connection


def check_idle_connection(conn: psycopg.Connection) -> None:
    """The pool's check before it hands a connection out: a round trip only when the socket has something to
    read or the connection is not idle; raises when it is broken."""
    if conn.closed or conn.info.transaction_status != TransactionStatus.IDLE or _readable(conn.fileno()):
        full_check(conn)


class PoolCheck:
    """A pool's check: check_idle_connection, and on a broken connection every idle one of the pool (psycopg's
    public `check`), so that none of them is handed out either."""

    def __init__(self, pool: ConnectionPool):
        self.pool = pool

    def __call__(self, conn: psycopg.Connection) -> None:
        try:
            check_idle_connection(conn)
        except psycopg.Error:
            self.pool.check()
            raise


def _readable(fd: int) -> bool:
    poll = select.poll()  # not select.select: a daphne process' sockets may number past FD_SETSIZE
    poll.register(fd, select.POLLIN)
    return bool(poll.poll(0))


def use_fast_timestamptz_loader(connection: psycopg.Connection) -> None:
    """Dates with a time zone read through the loader above, for the time zone Django gave the connection."""
    adapters = connection.adapters
    loader = adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    if not getattr(loader, "project", False):  # a pooled connection keeps it from its first checkout
        adapters.register_loader(TIMESTAMPTZ_OID, timestamptz_loader(loader.timezone))
