"""The API's one exception handler: domain refusals and Django validation errors become field-level
answers here, so views hold no try/except for them."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from common.errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        if exc.status == 403:
            exc = exceptions.PermissionDenied(exc.message)
        else:
            exc = exceptions.ValidationError({exc.field: [exc.message]})
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    return drf_exception_handler(exc, context)
