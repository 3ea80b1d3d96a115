from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "chat"

    def ready(self) -> None:
        from accounts import services as accounts_services
        from chat import services
        from scheduling.services.pairings import on_pairing_changed

        on_pairing_changed(services.conversation_follow_pairing)
        accounts_services.on_access_ended(services.user_sockets_close)
