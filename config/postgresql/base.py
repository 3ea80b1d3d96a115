"""The project's PostgreSQL backend (ENGINE "config.postgresql"): Django's, with the operations of
config.database."""

from django.db.backends.postgresql import base

from config.database import DatabaseOperations


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
