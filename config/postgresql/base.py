"""The project's PostgreSQL backend (ENGINE "config.postgresql"): Django's, with what config.database gives
every connection: its operations, a wrapper around its statements, the fast date loader and the pool's
check."""

from django.db.backends.postgresql import base
from psycopg_pool import ConnectionPool

from config.database import DatabaseOperations, PoolCheck, replan_outdated_statements, use_fast_timestamptz_loader


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(replan_outdated_statements)

    @property
    def pool(self):
        pool = super().pool
        # psycopg_pool keeps its check as `_check`; tests/api/test_connection_check.py fails if that changes
        if pool is not None and pool._check is ConnectionPool.check_connection:
            pool._check = PoolCheck(pool)
        return pool

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        use_fast_timestamptz_loader(connection)
        return connection
