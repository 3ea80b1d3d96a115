"""The safeguarding log for coordinators: list, filter, export as CSV. There is no way to change it."""

import csv

from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _l
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action

from safeguarding import selectors
from safeguarding.serializers import EntrySerializer

CSV_COLUMNS = ["id", "at", "action", "actor_id", "actor", "subject_id", "subject", "object_type", "object_id", "reason"]


class IsCoordinator(permissions.BasePermission):
    # Checked through the user's own property: the log sits below accounts and imports none of it.
    message = _l("Only coordinators may do this.")

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_coordinator)


class _Echo:
    def write(self, value):
        return value


def _csv_cell(value) -> str:
    # Spreadsheets run a cell that starts with = + - @ as a formula: a reason typed by someone must not.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class EntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Every safeguarding decision of the coordinator's organisation, newest first. Append-only: no write
    operation exists."""

    permission_classes = [IsCoordinator]
    serializer_class = EntrySerializer

    def get_queryset(self):
        filters = self.request.query_params if self.action in ("list", "export") else None
        return selectors.entry_list(user=self.request.user, filters=filters)

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR)})
    @action(detail=False, methods=["get"])
    def export(self, request):
        """The filtered log as CSV (UTF-8), for the organisation's own records."""
        writer = csv.writer(_Echo())
        rows = self.get_queryset().iterator(chunk_size=2000)

        def lines():
            yield "\ufeff" + writer.writerow(CSV_COLUMNS)
            for entry in rows:
                yield writer.writerow(
                    [
                        _csv_cell(v)
                        for v in (
                            entry.pk,
                            entry.at.isoformat(),
                            entry.action,
                            entry.actor_id,
                            entry.actor.display_name if entry.actor else "",
                            entry.subject_id,
                            entry.subject.display_name if entry.subject else "",
                            entry.object_type,
                            entry.object_id,
                            entry.reason,
                        )
                    ]
                )

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="safeguarding-log.csv"'
        return response
