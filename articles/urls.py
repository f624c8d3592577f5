from django.urls import path

from articles import views

app_name = "articles"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("sections/<slug:slug>/", views.SectionView.as_view(), name="section"),
    # taggit keeps Chinese in tag slugs (政协), which <slug:> would refuse.
    path("tags/<str:slug>/", views.TagView.as_view(), name="tag"),
    path("archive/", views.archive_index, name="archive"),
    path("archive/<year:year>/", views.YearArchive.as_view(), name="archive_year"),
    path("archive/<year:year>/<month:month>/", views.MonthArchive.as_view(), name="archive_month"),
    path(
        "archive/<year:year>/<month:month>/<day:day>/",
        views.DayArchive.as_view(),
        name="archive_day",
    ),
    path("events/", views.EventListView.as_view(), name="events"),
    path("events/past/", views.EventListView.as_view(past=True), name="events_past"),
    path("events/<year:year>/<month:month>/", views.event_month, name="events_month"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("galleries/", views.GalleryListView.as_view(), name="galleries"),
    path("galleries/<slug:slug>/", views.gallery_detail, name="gallery"),
    path("galleries/<slug:slug>/<number:number>/", views.gallery_photo, name="gallery_photo"),
    path("print/", views.PrintEditionListView.as_view(), name="print_index"),
    path(
        "print/archive/",
        views.PrintEditionListView.as_view(archive=True),
        name="print_archive",
    ),
    path("print/<year:year>/<month:month>/<day:day>/", views.print_edition, name="print_edition"),
    path(
        "print/<year:year>/<month:month>/<day:day>/<number:page>/",
        views.print_page,
        name="print_page",
    ),
    path("language/", views.switch_language, name="language"),
]

# The machine-readable side: feeds, sitemaps, robots.txt, calendars (articles/feeds.py,
# sitemaps.py, ical.py). The .ics addresses cannot clash with events/<slug>/.
from articles import feeds, ical, sitemaps  # noqa: E402

urlpatterns += [
    path("feed/", feeds.ArticleFeed(), name="feed"),
    path("feed/atom/", feeds.ArticleAtomFeed(), name="feed_atom"),
    path("sections/<slug:slug>/feed/", feeds.SectionFeed(), name="section_feed"),
    path("sections/<slug:slug>/feed/atom/", feeds.SectionAtomFeed(), name="section_feed_atom"),
    path("people/<slug:slug>/feed/", feeds.PersonFeed(), name="person_feed"),
    path("people/<slug:slug>/feed/atom/", feeds.PersonAtomFeed(), name="person_feed_atom"),
    path("tags/<str:slug>/feed/", feeds.TagFeed(), name="tag_feed"),
    path("tags/<str:slug>/feed/atom/", feeds.TagAtomFeed(), name="tag_feed_atom"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-news.xml", sitemaps.news, name="sitemap_news"),
    path("sitemap-<str:section>.xml", sitemaps.section, name="sitemap_section"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("events/calendar.ics", ical.calendar_feed, name="calendar"),
    path("events/<slug:slug>.ics", ical.event_ical, name="event_ical"),
]

# Photos' files, for whoever may see each (articles/media.py).
from django.conf import settings  # noqa: E402

from articles import media  # noqa: E402

urlpatterns += [
    path(
        f"{settings.PHOTO_MEDIA_URL.strip('/')}/<path:name>",
        media.serve_photo_file,
        name="photo_file",
    )
]

# The public search page (articles/search_page.py; the engine is newsroom/search/).
from articles import search_page  # noqa: E402

urlpatterns += [path("search/", search_page.search, name="search")]
