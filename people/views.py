from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import ListView

from articles.models import Article, ArticleByline, Gallery, GalleryByline
from articles.views import OwnedListMixin, PaginatedMixin
from newsroom.caching import add_surrogate_keys
from people.models import Person


def public_people():
    """People with a byline on something published: anyone else (a correspondent made by
    a print import whose story is still a draft, say) has no public page."""
    return Person.objects.filter(
        Q(
            pk__in=ArticleByline.objects.filter(article__in=Article.objects.published()).values(
                "person_id"
            )
        )
        | Q(
            pk__in=GalleryByline.objects.filter(gallery__in=Gallery.objects.published()).values(
                "person_id"
            )
        )
    )


class PersonView(OwnedListMixin, PaginatedMixin, ListView):
    """A reporter's or correspondent's published stories, newest first, and their galleries."""

    template_name = "people/person_detail.html"
    context_object_name = "articles"
    owner_context_name = "person"

    def get_owner(self):
        person = public_people().filter(slug=self.kwargs["slug"]).first()
        if person is None:
            raise Http404(_("No one here."))
        add_surrogate_keys(self.request, "articles", "galleries")
        return person

    def get_queryset(self):
        return Article.objects.published().by_person(self.owner).for_listing().latest_first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["page_obj"].number == 1:
            galleries = (
                Gallery.objects.published().by_person(self.owner).select_related("cover_photo")
            )
            context["galleries"] = list(galleries.with_covers().latest_first()[:6])
        return context
