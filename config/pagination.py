from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

# Integer ids are PostgreSQL bigints; SQLite refuses anything larger with an OverflowError.
MAX_ID = 2**63 - 1


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class IdCursorPagination(pagination.CursorPagination):
    """Cursor pagination over an integer id. The cursor comes from the client: a forged one (not base64,
    a position that is not an id, a huge or negative one) is a 400, never a 500."""

    ordering = "-id"
    invalid_cursor_message = _("Invalid cursor.")

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound as exc:
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from exc
        if cursor is not None and cursor.position is not None:
            position = cursor.position
            if not (position.isascii() and position.isdigit()) or not 0 <= int(position) <= MAX_ID:
                raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})
        return cursor
