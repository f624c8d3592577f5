from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.generic import ListView

from articles.models import Article, Event, Gallery, OldSlug, Section


class HomeView(ListView):
    template_name = "articles/home.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().for_listing().latest_first()


class SectionView(ListView):
    template_name = "articles/section.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return Article.objects.published().in_section(self.section).for_listing().latest_first()

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


def render_gone(request, obj):
    return render(request, "410.html", {"object": obj}, status=410)


def article_detail(request, slug):
    article = Article.objects.published().for_detail().filter(slug=slug).first()
    if article is None:
        if retracted := Article.objects.retracted().filter(slug=slug).first():
            return render_gone(request, retracted)
        old = OldSlug.objects.select_related("article").filter(slug=slug).first()
        if old and old.article.is_published():
            return redirect(old.article, permanent=True)
        raise Http404(_("No article here."))
    return render(request, "articles/article_detail.html", {"article": article})


def event_detail(request, slug):
    event = Event.objects.published().filter(slug=slug).first()
    if event is None:
        if retracted := Event.objects.retracted().filter(slug=slug).first():
            return render_gone(request, retracted)
        raise Http404(_("No event here."))
    coverage = Article.objects.published().filter(events=event).for_listing().latest_first()
    galleries = Gallery.objects.published().filter(events=event).for_listing()
    return render(request, "articles/event_detail.html", {"event": event, "coverage": coverage, "galleries": galleries})


def gallery_detail(request, slug):
    gallery = Gallery.objects.published().for_detail().filter(slug=slug).first()
    if gallery is None:
        if retracted := Gallery.objects.retracted().filter(slug=slug).first():
            return render_gone(request, retracted)
        raise Http404(_("No gallery here."))
    return render(request, "articles/gallery_detail.html", {"gallery": gallery})
