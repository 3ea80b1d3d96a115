from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "scheduling"

    def ready(self) -> None:
        from accounts import personal_data
        from common.events import Event, connect
        from scheduling.services.erasure import scheduling_erase, scheduling_export
        from scheduling.services.pairings import pairings_review_consent, pairings_review_vetting

        connect(Event.VETTING_CHANGED, pairings_review_vetting)
        connect(Event.CONSENT_CHANGED, pairings_review_consent)
        personal_data.register("scheduling", export=scheduling_export, erase=scheduling_erase)
