from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from accounts import personal_data, selectors

        personal_data.register("account", export=selectors.account_export)
