from django.apps import AppConfig


class BadgesConfig(AppConfig):
    name = "badges"

    def ready(self) -> None:
        from accounts import personal_data
        from badges import handlers, selectors, services
        from common.events import Event, connect

        connect(Event.SESSION_MARKED, handlers.on_session_marked)
        connect(Event.PAIRING_COMPLETED, handlers.on_pairing_completed)
        connect(Event.HELP_REQUEST_SOLVED, handlers.on_help_request_solved)
        connect(Event.VOLUNTEER_JOINED, handlers.on_volunteer_joined)
        personal_data.register("badges", export=selectors.badges_export, erase=services.badges_erase)
