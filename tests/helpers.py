"""Everything tests build, in one place: people, content, a small real paper, workflow states,
and the clock. Each builder takes overrides so a test says only what matters to it. The
personas themselves are fixtures in tests/conftest.py."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import time_machine
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import (
    Article,
    ArticleByline,
    Event,
    FrontPageSlot,
    Gallery,
    GalleryByline,
    Photo,
    Section,
)
from newsroom.workflow import Status
from people.models import Person, Role

PASSWORD = "correct horse battery"
# The public address and name of the site under test (the `site` fixture of tests/conftest.py).
SITE_URL = "https://news.example.cn"
SITE_NAME = "中原日报"


def make_user(
    username: str, group: str | None, person_name: str | None = None, kind: str = "staff"
) -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    if person_name:
        Person.objects.create(display_name=person_name, user=user, kind=kind)
    return user


def make_superuser(username: str = "boss", email: str = "boss@example.com") -> User:
    """An administrator: a superuser, in no newsroom group."""
    return User.objects.create_superuser(username, email=email, password=PASSWORD)


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
    fields.setdefault("image", image_upload())
    photo = Photo(gallery=gallery, **fields)
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


# --- the clock -----------------------------------------------------------------------------
_clocks: list = []


def move_clock_to(when: datetime.datetime) -> None:
    """From here to the end of the test the clock reads `when` and runs on from there, for
    the code under test and the database rows it writes alike (tests/conftest.py puts it back)."""
    clock = time_machine.travel(when, tick=True)
    clock.start()
    _clocks.append(clock)


def move_clock_by(delta: datetime.timedelta) -> None:
    move_clock_to(timezone.now() + delta)


def put_clock_back() -> None:
    while _clocks:
        _clocks.pop().stop()


def make_due(obj, editor, late_by: datetime.timedelta = datetime.timedelta(seconds=1)):
    """Schedule `obj` a minute ahead, then let the minute pass: it is public by the clock, still
    `scheduled` in its row, and no job (publish_scheduled) has run. Anything scheduled further
    ahead (an hour, say) stays in the future."""
    obj.schedule(at=timezone.now() + datetime.timedelta(minutes=1), by=editor)
    move_clock_to(obj.publish_at + late_by)
    return obj


# --- workflow states -----------------------------------------------------------------------
STATES = [
    "draft",
    "review",
    "scheduled_future",
    "scheduled_live",
    "published",
    "unpublished",
    "spiked",
]


def put_in_state(obj, state: str, editor):
    """Move `obj` (a fresh draft) into `state` through real transitions."""
    if state == "draft":
        return obj
    if state == "review":
        obj.submit_for_review(by=editor)
    elif state == "scheduled_future":
        obj.schedule(at=timezone.now() + datetime.timedelta(hours=2), by=editor)
    elif state == "scheduled_live":
        make_due(obj, editor)
    elif state == "published":
        obj.publish(by=editor)
    elif state == "unpublished":
        obj.publish(by=editor)
        obj.unpublish(by=editor, reason="事实有误")
    elif state == "spiked":
        obj.spike(by=editor)
    obj.refresh_from_db()
    assert obj.status == {
        "scheduled_future": Status.SCHEDULED,
        "scheduled_live": Status.SCHEDULED,
    }.get(state, state)
    return obj


# --- a small real paper --------------------------------------------------------------------
# The shape of the demo's print page (sections, a reporter and correspondents, stories with
# photos and tags, an exhibition with its gallery), built through the real workflow; the
# `paper` fixture of tests/conftest.py.
EDITION = datetime.date(2020, 9, 9)

STORIES = [
    # (kicker, headline, subheadline, section slug, page)
    (
        "优化营商环境",
        "中原区召开网上政务服务能力提升工作推进会",
        "三十项事项实现“一网通办”",
        "yaowen",
        1,
    ),
    ("生态中原", "喜迎国庆 “生态中原”摄影作品展开展", "展出绿化建设成果图片28张", "quyu", 2),
    ("", "贾鲁河综合治理工程建设情况调研", "", "quyu", 2),
    ("", "区政协召开核心片区建设专题协商会", "", "quyu", 3),
]


def sections() -> dict[str, Section]:
    names = [("要闻", "yaowen", 1), ("区域", "quyu", 2), ("民生", "minsheng", 3)]
    return {
        slug: Section.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})[0]
        for name, slug, order in names
    }


def story(editor, section=None, bylines=(), photo=None, tags=(), publish=True, **fields) -> Article:
    fields.setdefault("dateline", "本报讯")
    fields.setdefault("summary", "中原区召开推进会，部署网上政务服务能力提升工作。")
    fields.setdefault(
        "body",
        "<p>9月1日下午，中原区召开网上政务服务能力提升工作推进会。</p><p>会议要求，各单位要提高认识，压实责任。</p>",
    )
    article = make_article(by=editor, bylines=bylines, section=section, lead_photo=photo, **fields)
    if tags:
        article.tags.add(*tags)
    if publish:
        article.publish(by=editor)
    return article


def build_paper(editor, reporter_person: Person | None = None) -> dict:
    """Sections, people, four published stories (one on the front page, one corrected),
    an event with a gallery of three photos covering it. Returns the pieces by name."""
    secs = sections()
    reporter = reporter_person or make_person("张改华")
    correspondent = make_person(
        "吕杨子", kind=Person.Kind.CONTRIBUTOR, affiliation="中原区委宣传部", title="通讯员"
    )
    photographer = make_person("张亮", kind=Person.Kind.CONTRIBUTOR, affiliation="中原区城市管理局")
    event = make_event(
        by=editor,
        title="“生态中原”摄影作品展",
        starts_at=timezone.now() + datetime.timedelta(days=2),
        ends_at=timezone.now() + datetime.timedelta(days=20),
        venue="中原区委北一楼",
        organiser="中原区委、区政府",
        description="<p>展出绿化建设成果图片28张。</p>",
    )
    event.publish(by=editor)
    gallery = make_gallery(
        by=editor,
        title="“生态中原”摄影展掠影",
        description="摄影展开幕当天的现场图片。",
        section=secs["quyu"],
    )
    GalleryByline.objects.create(gallery=gallery, person=photographer, role=Role.PHOTOGRAPHER)
    captions = ["摄影作品展开幕现场", "展出的绿化建设成果图片", "市民驻足观看生态廊道作品"]
    photos = [
        make_photo(gallery, order=i, caption=c, alt_text=f"展厅照片 {i + 1}", credit=photographer)
        for i, c in enumerate(captions)
    ]
    gallery.events.add(event)
    gallery.publish(by=editor)

    articles = []
    for i, (kicker, headline, subheadline, section, page) in enumerate(STORIES):
        bylines = [(reporter, Role.REPORTER), (correspondent, Role.CORRESPONDENT)]
        article = story(
            editor,
            section=secs[section],
            bylines=bylines,
            photo=photos[0] if i == 1 else None,
            tags=["政协", "核心片区"] if i == 3 else ["理论学习"],
            kicker=kicker,
            headline=headline,
            subheadline=subheadline,
            print_edition_date=EDITION,
            print_page=page,
        )
        articles.append(article)
    articles[1].events.add(event)
    articles[1].galleries.add(gallery)
    articles[0].correct(by=editor, text="原文中“三十项”应为“三十一项”。")
    FrontPageSlot.objects.create(article=articles[0], order=1)
    return {
        "sections": secs,
        "reporter": reporter,
        "correspondent": correspondent,
        "photographer": photographer,
        "event": event,
        "gallery": gallery,
        "photos": photos,
        "articles": articles,
    }


def more_stories(
    editor, count: int, section=None, person=None, tag=None, **fields
) -> list[Article]:
    """`count` more published stories (for pagination and list-size tests)."""
    made = []
    for i in range(count):
        article = story(
            editor,
            section=section,
            bylines=[(person, Role.REPORTER)] if person else (),
            tags=[tag] if tag else (),
            headline=f"社区新闻第{i + 1}条",
            **fields,
        )
        made.append(article)
    return made


def add_bylines(article: Article, count: int) -> None:
    for i in range(count):
        ArticleByline.objects.create(
            article=article, person=make_person(f"通讯员{i}"), role=Role.CORRESPONDENT, order=10 + i
        )


def make_print_page(date=None, number: int = 1, *, zones=(), status: str = "draft", editor=None):
    """An edition (in `status`) with one page (no files) and a zone per article in `zones`."""
    from articles.models import PrintEdition, PrintPage, PrintZone

    edition, _created = PrintEdition.objects.get_or_create(date=date or datetime.date(2026, 3, 2))
    page = PrintPage.objects.create(
        edition=edition,
        number=number,
        name="要闻",
        files_dir=f"print/test-{edition.date}-{number}/",
        width_pt=595,
        height_pt=842,
    )
    for order, article in enumerate(zones):
        PrintZone.objects.create(
            page=page,
            article=article,
            order=order,
            points=[
                [0.1, 0.1 + order * 0.05],
                [0.4, 0.1 + order * 0.05],
                [0.4, 0.14 + order * 0.05],
            ],
        )
    if status == "published":
        edition.publish(by=editor)
    return page


# --- desks, roles and review chains (issue 12) ----------------------------------------------
def make_desk(name: str = "要闻部", slug: str | None = None, chain: str | None = None, sections=()):
    """A desk owning `sections` (Section objects or names), following the preset chain `chain`
    (a slug of newsroom.review.presets; None: the site default)."""
    from newsroom.review.models import ChainChoice, Desk
    from newsroom.review.presets import install_preset

    desk = Desk.objects.create(name=name, slug=slug or f"desk-{Desk.objects.count() + 1}")
    if chain is not None:
        ChainChoice.objects.create(desk=desk, chain=install_preset(chain))
    for section in sections:
        if isinstance(section, str):
            section = make_section(section)
        section.desk = desk
        section.save()
    return desk


def make_member(
    username: str,
    desk=None,
    role: str = "reporter",
    person_name: str | None = None,
    kind: str = "staff",
) -> User:
    """A staff login holding `role` on `desk` (a DeskMembership, which also puts it in the
    role's group); a site-wide role (chief_editor, admin) is its group alone, `desk` unused."""
    from newsroom.review.models import DeskMembership
    from newsroom.roles import ROLE_GROUPS, SITE_ROLES

    user = User.objects.filter(username=username).first() or make_user(
        username, None, person_name=person_name, kind=kind
    )
    if role in SITE_ROLES:
        user.groups.add(Group.objects.get_or_create(name=ROLE_GROUPS[role])[0])
    else:
        DeskMembership.objects.create(desk=desk, user=user, role=role)
    return user


def sign_up_to(obj, stage_name: str, signers: dict):
    """Submit `obj` (a draft) and approve it stage by stage until it waits at `stage_name`;
    `signers` maps a stage's signer role (editor, proofreader, chief, chief_editor) to who signs."""
    from newsroom import workflow
    from newsroom.review import chains

    workflow.perform(obj, "submit", by=signers["author"])
    while True:
        obj.refresh_from_db()
        chains.forget(obj)
        stage = chains.current_stage(obj)
        if stage is None or stage.name == stage_name:
            return obj
        workflow.perform(obj, "approve", by=signers[stage.signer])
