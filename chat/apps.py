from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "chat"

    def ready(self) -> None:
        from accounts import personal_data
        from accounts import services as accounts_services
        from chat import selectors, services
        from scheduling.services.pairings import on_pairing_changed

        on_pairing_changed(services.conversation_follow_pairing)
        personal_data.register("chat", export=selectors.chat_export)
        accounts_services.on_access_ended(services.user_sockets_close)
