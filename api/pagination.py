"""Cursor pagination: stable pages while stories are published in between, and no COUNT."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination

# `?ordering=` values, each with a tie-break on the id so that a page boundary is exact.
ORDERINGS = {
    "-updated_at": ("-updated_at", "-pk"),
    "updated_at": ("updated_at", "pk"),
}


class ContentCursorPagination(CursorPagination):
    """Newest change first by default; `ordering=updated_at` with `updated_since` is the
    incremental sync (walk forward from the last time seen)."""

    page_size_query_param = "page_size"
    ordering = ORDERINGS["-updated_at"]
    orderings = ORDERINGS

    def __init__(self):
        self.page_size = settings.API_PAGE_SIZE
        self.max_page_size = settings.API_MAX_PAGE_SIZE

    def get_ordering(self, request, queryset, view):
        chosen = request.query_params.get("ordering") or next(iter(self.orderings))
        if chosen not in self.orderings:
            raise ValidationError(
                {
                    "ordering": _("Choose one of: %(choices)s.")
                    % {"choices": ", ".join(self.orderings)}
                }
            )
        return self.orderings[chosen]

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {"page_size": _("A whole number from 1 to %(max)d.") % {"max": self.max_page_size}}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
        return [
            *parameters,
            {
                "name": "ordering",
                "required": False,
                "in": "query",
                "description": _("The order of the list: newest change first, or oldest first."),
                "schema": {"type": "string", "enum": list(self.orderings)},
            },
        ]


class NameCursorPagination(ContentCursorPagination):
    """Vocabularies (tags, people): by id, the only order that never changes under a cursor."""

    ordering = ("pk",)
    orderings = {"id": ("pk",)}

    def get_schema_operation_parameters(self, view):
        return [p for p in super().get_schema_operation_parameters(view) if p["name"] != "ordering"]
