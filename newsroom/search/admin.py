"""The admin's search box, through the site's search engine.

Mixed into the admins of articles, events and galleries (newsroom.admin.PublishableAdmin) and
people: their change lists and autocompletes find what the public search would find, in every
state (the admin's queryset is not limited to published()). `search_fields` stay declared, so
Django shows the box; those that are not part of the search document (a slug) are still matched
the way Django would, so an editor can paste an address.
"""

from __future__ import annotations

from django.contrib.admin.views.main import SEARCH_VAR
from django.db import transaction
from django.db.models import Q

from newsroom.search.documents import label_of, spec_for
from newsroom.search.engine import Query, clean_query_text, matching, no_seqscan


class EngineSearchMixin:
    def get_search_results(self, request, queryset, search_term):
        term = clean_query_text(search_term)  # no NUL: PostgreSQL refuses it in any string
        if not term:
            return queryset, False
        query = Query.parse(term)
        condition = Q(pk__in=[])
        if query is not None:
            condition = matching(query, label_of(self.model), queryset.db)
        covered = spec_for(self.model).fields
        for name in self.get_search_fields(request):
            field = name.lstrip("^=@")
            if field not in covered and "__" not in field:
                condition |= Q(**{f"{field}__icontains": term})
        return queryset.filter(condition), False

    def changelist_view(self, request, extra_context=None):
        """With a search, the list is rendered in a transaction that keeps the match on the
        GIN index (the planner would scan every vector for a common term)."""
        if not request.GET.get(SEARCH_VAR, "").strip():
            return super().changelist_view(request, extra_context)
        using = self.model._default_manager.db
        with transaction.atomic(using=using):
            no_seqscan(using)
            response = super().changelist_view(request, extra_context)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response
