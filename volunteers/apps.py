from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "volunteers"

    def ready(self) -> None:
        from accounts import personal_data
        from volunteers import selectors, services

        personal_data.register("volunteer", export=selectors.volunteer_export, erase=services.volunteer_erase)
