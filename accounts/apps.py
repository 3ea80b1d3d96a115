from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from accounts import personal_data, selectors
        from config import database

        personal_data.register("account", export=selectors.account_export)
        # the project's first app: where its database connections get their project-wide wrapper
        connection_created.connect(database.install, dispatch_uid="config.database.install")
