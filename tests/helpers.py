"""Small builders for tests; each takes overrides so a test says only what matters to it."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, ArticleByline, Event, Gallery, Photo, Section
from people.models import Person

PASSWORD = "correct horse battery"


def make_user(
    username: str, group: str | None, person_name: str | None = None, kind: str = "staff"
) -> User:
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


def article_form_data(article: Article, **changes) -> dict:
    """What the admin change form of `article` posts back, as loaded now, with `changes` applied.

    `loaded_edit_version` is the version the form was loaded at: pass an older one to
    play a second editor whose form went stale.
    """
    bylines = list(article.bylines.order_by("order", "pk"))
    data = {
        "kicker": article.kicker,
        "headline": article.headline,
        "subheadline": article.subheadline,
        "dateline": article.dateline,
        "summary": article.summary,
        "body": article.body,
        "section": article.section_id or "",
        "tags": "",
        "lead_photo": article.lead_photo_id or "",
        "slug": article.slug,
        "print_edition_date": "",
        "print_page": "",
        "loaded_edit_version": article.edit_version,
        "bylines-TOTAL_FORMS": len(bylines),
        "bylines-INITIAL_FORMS": len(bylines),
        "bylines-MIN_NUM_FORMS": 0,
        "bylines-MAX_NUM_FORMS": 1000,
    }
    for i, byline in enumerate(bylines):
        data.update(
            {
                f"bylines-{i}-id": byline.pk,
                f"bylines-{i}-article": article.pk,
                f"bylines-{i}-order": byline.order,
                f"bylines-{i}-role": byline.role,
                f"bylines-{i}-person": byline.person_id,
            }
        )
        if byline.is_text_and_photo:
            data[f"bylines-{i}-is_text_and_photo"] = "on"
    data.update(changes)
    return data


def posted_form_data(response) -> dict:
    """What a browser posts back from an admin change form, exactly as `response` rendered it."""
    from django import forms
    from taggit.forms import TagField

    all_forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        all_forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in all_forms:
        for name, field in form.fields.items():
            key, value = form.add_prefix(name), form[name].value()
            if isinstance(field, forms.BooleanField):
                if value:
                    data[key] = "on"
            elif isinstance(field, TagField):
                data[key] = field.widget.format_value(value) or ""
            elif value is None:
                data[key] = ""
            elif isinstance(value, (list, tuple)):
                data[key] = [getattr(v, "pk", v) for v in value]
            else:
                data[key] = getattr(value, "pk", value)
    return data


# The real print page the demo newsroom is made from (a copy of shared/samples/ in the project).
SAMPLE_PAGE = (
    Path(__file__).resolve().parent.parent
    / "articles"
    / "demo"
    / "print-page-zhongyuan-2020-09.txt"
)
SAMPLE_HEADLINES = [
    "中原区委理论学习中心组召开2020年度第九次集体学习（扩大）会议 集中收听收看全国抗击新冠肺炎疫情表彰大会",
    "全景展现“绿水青山就是金山银山”发展理念 中原区“生态中原”摄影展开幕",
    "中原区领导调研贾鲁河片区推进情况 围绕“服务”二字 把工作做实做好",
    "“全城清洁”助力创文 中原区纪委监委开展党员志愿服务活动",
    "齐谋划片区新发展 共助力产业开新局",
    "创新服务模式 拓展服务渠道",
]


def redis_reachable() -> bool:
    """The machine's Redis at 127.0.0.1:6379 (CI starts it); its tests are skipped without it."""
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True
