from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api import views

app_name = "api"

router = DefaultRouter(use_regex_path=True)
router.include_format_suffixes = False
router.register("sections", views.SectionViewSet, basename="section")
router.register("articles", views.ArticleViewSet, basename="article")
router.register("events", views.EventViewSet, basename="event")
router.register("galleries", views.GalleryViewSet, basename="gallery")
router.register("people", views.PersonViewSet, basename="person")
router.register("tags", views.TagViewSet, basename="tag")
router.register("print-editions", views.PrintEditionViewSet, basename="print-edition")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
