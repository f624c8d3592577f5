"""A person's public page (/people/<slug>/): their published stories and galleries.

It lists content, so it is part of the public site, not of the people app (which the content
imports for bylines); its URLs keep the `people:` namespace (articles/people_urls.py).
"""

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import ListView

from articles.models import Article, Gallery
from articles.views import OwnedListMixin, PaginatedMixin
from newsroom.caching import add_surrogate_keys
from people.models import Person


class PersonView(OwnedListMixin, PaginatedMixin, ListView):
    """A reporter's or correspondent's published stories, newest first, and their galleries."""

    template_name = "people/person_detail.html"
    context_object_name = "articles"
    owner_context_name = "person"

    def get_owner(self):
        person = Person.objects.public().filter(slug=self.kwargs["slug"]).first()
        if person is None:
            raise Http404(_("No one here."))
        add_surrogate_keys(self.request, "articles", "galleries")
        return person

    def get_queryset(self):
        return Article.objects.published().by_person(self.owner).cards().latest_first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["page_obj"].number == 1:
            galleries = (
                Gallery.objects.published().by_person(self.owner).select_related("cover_photo")
            )
            context["galleries"] = list(galleries.with_covers().latest_first()[:6])
        return context
