from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from articles.models import Article
from people.models import Person


class PersonView(ListView):
    template_name = "people/person_detail.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        self.person = get_object_or_404(Person, slug=self.kwargs["slug"])
        return Article.objects.published().by_person(self.person).for_listing().latest_first()

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)
