from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from newsroom import views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/two-factor/", include("newsroom.twofactor")),
    path("admin/", admin.site.urls),
    path("preview/<str:token>/", views.shared_preview, name="shared_preview"),
    # The content API (issue 17); its app registers /api/ as a prefix the page cache skips.
    path("api/v1/", include("api.urls")),
    path("", include("articles.urls")),
    path("people/", include("articles.people_urls")),
]

if settings.DEBUG or settings.MEDIA_URL == "/media/":
    # Uploaded media from local storage; a production set-up may serve MEDIA_URL elsewhere.
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

# The database unreachable: 503 with Retry-After instead of a 500 (newsroom/faults.py).
handler500 = "newsroom.faults.server_error"
