from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "scheduling"

    def ready(self) -> None:
        from scheduling.services.pairings import pairings_review_vetting
        from volunteers.services import on_vetting_changed

        on_vetting_changed(pairings_review_vetting)
