from django.urls import path

from articles import views

app_name = "articles"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("sections/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("galleries/<slug:slug>/", views.gallery_detail, name="gallery"),
]
