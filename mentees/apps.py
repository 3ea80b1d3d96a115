from django.apps import AppConfig


class MenteesConfig(AppConfig):
    name = "mentees"

    def ready(self) -> None:
        from accounts import personal_data
        from mentees import selectors, services

        personal_data.register("mentee", export=selectors.mentee_export, erase=services.mentee_erase)
