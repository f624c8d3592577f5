"""Small builders for tests; each takes overrides so a test says only what matters to it."""

from __future__ import annotations

import datetime
import io

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, ArticleByline, Event, Gallery, Photo, Section
from people.models import Person

PASSWORD = "correct horse battery"


def make_user(username: str, group: str | None, person_name: str | None = None, kind: str = "staff") -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    if person_name:
        Person.objects.create(display_name=person_name, user=user, kind=kind)
    return user


def make_person(name: str = "通讯员甲", **fields) -> Person:
    return Person.objects.create(display_name=name, **fields)


def make_section(name: str = "要闻", **fields) -> Section:
    return Section.objects.get_or_create(name=name, defaults=fields)[0]


def make_article(by: User | None = None, bylines=(), **fields) -> Article:
    """A draft by `by`; bylines are (person, role) pairs in order."""
    fields.setdefault("headline", "中原区召开网上政务服务能力提升工作推进会")
    fields.setdefault("body", "<p>本报讯 9月1日下午，中原区召开推进会。</p>")
    article = Article.objects.create(created_by=by, **fields)
    for order, (person, role) in enumerate(bylines):
        ArticleByline.objects.create(article=article, person=person, role=role, order=order)
    return article


def make_event(by: User | None = None, **fields) -> Event:
    fields.setdefault("title", "“生态中原”摄影作品展")
    fields.setdefault("starts_at", timezone.now() + datetime.timedelta(days=3))
    return Event.objects.create(created_by=by, **fields)


def make_gallery(by: User | None = None, **fields) -> Gallery:
    fields.setdefault("title", "摄影展掠影")
    return Gallery.objects.create(created_by=by, **fields)


def image_bytes(size=(64, 48), fmt="JPEG", colour=(200, 30, 30), exif=None) -> bytes:
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, colour).save(out, fmt, **kwargs)
    return out.getvalue()


def image_upload(name="photo.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type="image/jpeg")


def make_photo(gallery: Gallery | None = None, **fields) -> Photo:
    photo = Photo(gallery=gallery, **fields)
    photo.image = image_upload()
    photo.save()
    return photo


def publish(obj, editor: User):
    obj.publish(by=editor)
    return obj
