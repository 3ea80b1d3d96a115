from tests.chat.conftest import conversation, minor_conversation  # noqa: F401  (the chat cast's conversations)
