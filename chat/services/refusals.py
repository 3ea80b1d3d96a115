"""The one refusal of chat's writes: nothing was stored."""

from common.errors import DomainError


class ChatRefusal(DomainError):
    """A frame or request that was refused: nothing was stored. `code` is the contract's error code (the
    socket's `error` frame); over REST it answers 400 on `field`, or 403 for `forbidden`."""

    def __init__(self, code: str, detail, *, field: str | None = None):
        super().__init__(detail, field=field, code=code)
        self.detail = self.message
        if code == "forbidden":
            self.status = 403
