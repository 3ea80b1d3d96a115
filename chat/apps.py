from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "chat"

    def ready(self) -> None:
        from accounts import personal_data
        from chat import selectors, services
        from common.events import Event, connect

        connect(Event.PAIRING_CHANGED, services.conversation_follow_pairing)
        connect(Event.ACCESS_ENDED, services.user_sockets_close)
        connect(Event.TOKEN_REVOKED, services.token_sockets_close)
        personal_data.register("chat", export=selectors.chat_export, erase=services.chat_erase)
