"""Where photo files live and who may fetch them.

Originals and renditions of photos are kept in their own storage, outside MEDIA_ROOT (which
the web server may serve as it likes): PHOTO_MEDIA_ROOT, by default `protected-media` next
to MEDIA_ROOT. Its URLs (PHOTO_MEDIA_URL, /photo-files/) are answered by `serve_photo_file`,
which looks up the photo a file belongs to and decides:

- a rendition of a public photo (in a published gallery, a published gallery's cover, the
  lead photo of a published article) is public;
- an original, or any file of a photo that is not public, is for staff who may view photos;
- a portrait (people/…, Person.photo) is public while its person is (Person.objects.public()),
  otherwise for staff who may view people;
- anything else is a 404, whether or not the file exists.

Stored names are not guessable either (a random token in every original's name, which the
renditions' names contain), so a retracted photo's address cannot be worked out from a
published one's. In production the view only decides: with PHOTO_MEDIA_ACCEL_REDIRECT set
(nginx `internal` location) or PHOTO_MEDIA_SENDFILE (Apache mod_xsendfile), the web server
sends the bytes. Originals are re-encoded without metadata on upload (articles/images.py),
so neither they nor their renditions carry EXIF or GPS data.

Files written during a request that then fails are deleted (newsroom/files.py).
"""

from __future__ import annotations

import mimetypes
import os
import posixpath
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from newsroom.files import TrackedStorageMixin
from newsroom.slugs import pinyin_slug

# How long a shared cache may keep a public rendition: a retracted photo's files stop being
# served by the application at once, by caches within this time.
PUBLIC_RENDITION_MAX_AGE = 3600
# Where articles/renditions.py writes a photo's renditions, inside the photo storage.
RENDITIONS_DIR = "renditions/"
# Where people.models.Person.photo keeps portraits, inside the photo storage.
PORTRAITS_DIR = "people/"
# Where the 数字报's pages keep their PDF and images (articles/digital/processing.py).
PRINT_DIR = "print/"
# Readable part of a stored name (for editors looking at a file list), then the token.
NAME_STEM_LENGTH = 40


def photo_media_root() -> Path:
    return Path(settings.PHOTO_MEDIA_ROOT or Path(settings.MEDIA_ROOT).parent / "protected-media")


class PhotoStorage(TrackedStorageMixin, FileSystemStorage):
    """Photos' originals and renditions: STORAGES["photos"].

    Location and URL are read from the settings each time, so tests (and a changed setting)
    need no new instance."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, photo_media_root())

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        url = self._value_or_setting(self._base_url, settings.PHOTO_MEDIA_URL)
        return url if url.endswith("/") else url + "/"

    def generate_filename(self, filename):
        # Asked by the model field for every original, whoever stores it (the admin, an
        # import, the demo); renditions are saved under articles/renditions.py's names.
        directory, name = posixpath.split(super().generate_filename(filename))
        return posixpath.join(directory, private_name(name))


def photo_storage() -> PhotoStorage:
    """The storage of Photo.image (a callable, so migrations do not freeze its settings)."""
    return storages["photos"]


def private_name(name: str) -> str:
    """A stored name for an upload called `name`: a short readable stem and a random token,
    so no one can guess one photo's address from another's."""
    stem, _dot, extension = name.rsplit("/", 1)[-1].rpartition(".")
    readable = pinyin_slug(stem or extension, NAME_STEM_LENGTH) or "photo"
    return f"{readable}-{secrets.token_urlsafe(12)}.{extension.lower() or 'jpg'}"


# --- who may fetch a file -----------------------------------------------------------------
def may_view_any_photo(user) -> bool:
    """Staff who may view photos in the admin see every file, public or not."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm("articles.view_photo")
    )


def photo_of_file(name: str):
    """(photo, is_original) for a stored file name, or (None, False)."""
    from articles.models import Photo

    if name.startswith(RENDITIONS_DIR):
        # renditions/<digest>/<the original's stem>-<width>.<kind> (articles/renditions.py):
        # the stem names the original; the photo must list the file among its renditions.
        stem = posixpath.basename(name).rsplit("-", 1)[0]
        for photo in Photo.objects.filter(image__contains=stem)[:5]:
            if any(name in entry.get("files", ()) for entry in photo.renditions or ()):
                return photo, False
        return None, False
    return Photo.objects.filter(image=name).first(), True


def portrait_visibility(name: str, user) -> tuple[bool, bool]:
    """(may `user` fetch the portrait stored as `name`, is it public)."""
    from people.models import Person

    people = Person.objects.filter(photo=name)
    if not people.exists():
        return False, False
    is_public = people.public().exists()
    is_staff = bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm("people.view_person")
    )
    return is_public or is_staff, is_public


def print_file_visibility(name: str, user) -> tuple[bool, bool]:
    """(may `user` fetch the 数字报 file `name`, is it public): a page's PDF and images are
    public once its edition is, otherwise for staff who may view print pages. Uploads
    waiting to be processed are nobody's to fetch."""
    from articles.models import PrintPage

    directory = "/".join(name.split("/")[:2]) + "/"
    page = PrintPage.objects.filter(files_dir=directory).select_related("edition").first()
    if page is None or name not in page.all_files():
        return False, False
    is_public = page.edition.is_published()
    is_staff = bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm("articles.view_printpage")
    )
    return is_public or is_staff, is_public


@require_safe
def serve_photo_file(request, name: str):
    """A photo's file, for whoever may see it (see the module's docstring); 404 otherwise."""
    name = posixpath.normpath(name).lstrip("/")
    if name.startswith("..") or "\\" in name:
        raise Http404
    if name.startswith(PORTRAITS_DIR):
        may_fetch, is_public = portrait_visibility(name, request.user)
    elif name.startswith(PRINT_DIR):
        may_fetch, is_public = print_file_visibility(name, request.user)
    else:
        photo, is_original = photo_of_file(name)
        is_public = photo is not None and not is_original and photo.is_public()
        may_fetch = photo is not None and (is_public or may_view_any_photo(request.user))
    if not may_fetch:
        raise Http404(_("No such file."))
    try:
        response = _file_response(name)
    except (FileNotFoundError, SuspiciousFileOperation):
        raise Http404(_("No such file.")) from None
    if is_public:
        patch_cache_control(response, public=True, max_age=PUBLIC_RENDITION_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_store=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _file_response(name: str) -> HttpResponse:
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if settings.PHOTO_MEDIA_ACCEL_REDIRECT:
        photo_storage().path(name)  # refuses names outside the storage
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PHOTO_MEDIA_ACCEL_REDIRECT.rstrip("/") + "/" + name
        return response
    if settings.PHOTO_MEDIA_SENDFILE:
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = photo_storage().path(name)
        return response
    return FileResponse(photo_storage().open(name, "rb"), content_type=content_type)
