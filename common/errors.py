"""The one base of every refusal a service makes: a rule said no, and nothing was changed.

Services raise a subclass (`SchedulingError`, `ChatRefusal`, ...) with a message for people, the input
`field` it is about, and a `code`; the API maps it once (config.exceptions) to a 400 with a field-level
message, or 403 where the caller may see but not change. Pages show `message` on `field` of their form.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    field = "non_field_errors"
    code = "invalid"
    default_message = _("This cannot be done.")

    def __init__(self, message=None, *, field: str | None = None, code: str | None = None):
        self.message = str(message or self.default_message)
        if field:
            self.field = field
        if code:
            self.code = code
        super().__init__(self.message)

    def on_field(self, field: str) -> "DomainError":
        """The same refusal, about another input (a REST body field rather than a socket frame)."""
        self.field = field
        return self
