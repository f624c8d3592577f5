"""A demo newsroom: sections, people, logins, the six stories of a real print page,
its photo exhibition as an event with a gallery. Running it twice changes nothing."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from articles.models import Article, Event, FrontPageSlot, Gallery, GalleryByline, Photo, Section
from articles.printimport.importer import import_stories
from articles.printimport.parser import parse_page
from newsroom.roles import EDITORS, REPORTERS
from people.models import Person

DEMO_PAGE = Path(__file__).resolve().parents[2] / "demo" / "print-page-zhongyuan-2020-09.txt"
DEMO_PASSWORD = "newsroom-demo"
EDITION_DATE = datetime.date(2020, 9, 9)

SECTIONS = [
    ("要闻", "yaowen", 1),
    ("区域", "quyu", 2),
    ("民生", "minsheng", 3),
    ("图片", "tupian", 4),
]
STAFF = [
    ("张改华", "记者", "", "reporter"),
    ("王编辑", "值班编辑", "", "editor"),
]
CORRESPONDENTS = [
    ("吕杨子", "中原区委宣传部"),
    ("张亮", "中原区城市管理局"),
    ("木坤坤", "中原区贾鲁河片区指挥部"),
    ("吴赛", "中原区纪委监委"),
    ("张黎", "中原区政协"),
]
GALLERY_PHOTOS = [
    (
        "“生态中原”摄影作品展开幕现场",
        "Visitors at the opening of the photo exhibition",
        (46, 125, 50),
    ),
    (
        "展出的绿化建设成果图片",
        "Photos of new parks hanging in the exhibition hall",
        (21, 101, 192),
    ),
    ("市民驻足观看生态廊道作品", "People stopping at a photo of a green corridor", (239, 108, 0)),
]


def demo_image(colour, label: str) -> ContentFile:
    image = Image.new("RGB", (1200, 800), colour)
    draw = ImageDraw.Draw(image)
    for i in range(0, 1200, 60):
        draw.line([(i, 0), (i + 400, 800)], fill=tuple(min(255, c + 40) for c in colour), width=12)
    draw.rectangle([80, 620, 1120, 720], fill=(255, 255, 255))
    draw.text((100, 650), label, fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return ContentFile(out.getvalue(), name=f"{label}.jpg")


class Command(BaseCommand):
    help = "Loads the demo newsroom (idempotent) and prints the demo logins."

    @transaction.atomic
    def handle(self, *args, **options):
        sections = {
            slug: Section.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})[
                0
            ]
            for name, slug, order in SECTIONS
        }
        editor = self.user("editor", EDITORS, first_name="王编辑")
        reporter = self.user("reporter", REPORTERS, first_name="张改华")
        for name, title, _affiliation, username in STAFF:
            person, _ = Person.objects.get_or_create(
                display_name=name, defaults={"kind": Person.Kind.STAFF, "title": title}
            )
            user = {"reporter": reporter, "editor": editor}[username]
            if person.user_id is None and not Person.objects.filter(user=user).exists():
                person.user = user
                person.save(update_fields=["user"])
        for name, affiliation in CORRESPONDENTS:
            Person.objects.get_or_create(
                display_name=name,
                defaults={
                    "kind": Person.Kind.CONTRIBUTOR,
                    "affiliation": affiliation,
                    "title": "通讯员",
                },
            )

        stories = parse_page(DEMO_PAGE.read_text(encoding="utf-8")).stories
        report = import_stories(
            stories, by=reporter, edition_date=EDITION_DATE, page=2, section=sections["quyu"]
        )
        articles = report.created
        if articles:
            articles[0].section = sections["yaowen"]
            articles[0].save(update_fields=["section"])
            for article in articles[:4]:
                article.publish(by=editor)
            articles[4].tags.add("政协", "核心片区")
            articles[0].tags.add("理论学习", "抗疫")
            articles[2].tags.add("贾鲁河", "调研")
            articles[5].schedule(at=timezone.now() + datetime.timedelta(days=1), by=editor)
            FrontPageSlot.objects.get_or_create(article=articles[0], defaults={"order": 1})
            FrontPageSlot.objects.get_or_create(article=articles[2], defaults={"order": 2})
            self.exhibition(articles[1], editor, sections["tupian"])

        # Feature apps add their part of the demo (an AppConfig.load_demo method).
        for app_config in apps.get_app_configs():
            if hasattr(app_config, "load_demo"):
                # `articles`: the stories this run created (none on a second run).
                app_config.load_demo(
                    editor=editor, reporter=reporter, articles=articles, stdout=self.stdout
                )

        self.stdout.write(
            f"Demo newsroom ready: {Article.objects.count()} articles "
            f"({len(articles)} new, {len(report.skipped)} already there).\n"
            f"Logins (password “{DEMO_PASSWORD}”): editor (Editors), reporter (Reporters)."
        )

    def user(self, username, group_name, **fields) -> User:
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": True, **fields}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=group_name))
        return user

    def exhibition(self, article: Article, editor: User, section: Section):
        shanghai = timezone.get_fixed_timezone(8 * 60)
        event, created = Event.objects.get_or_create(
            title="“生态中原”摄影作品展",
            defaults={
                "starts_at": datetime.datetime(2020, 9, 7, 9, 30, tzinfo=shanghai),
                "ends_at": datetime.datetime(2020, 9, 30, 17, 0, tzinfo=shanghai),
                "venue": "中原区委北一楼",
                "organiser": "中原区委、区政府",
                "description": "<p>中原区喜迎中华人民共和国成立71周年“生态中原”摄影作品展，展出绿化建设成果图片28张。</p>",
                "created_by": editor,
            },
        )
        if created:
            event.publish(by=editor)
        gallery, created = Gallery.objects.get_or_create(
            title="“生态中原”摄影展掠影",
            defaults={
                "section": section,
                "created_by": editor,
                "description": "摄影展开幕当天的现场图片。",
            },
        )
        if created:
            photographer = Person.objects.get(display_name="张亮")
            GalleryByline.objects.create(
                gallery=gallery, person=photographer, role=GalleryByline.Role.PHOTOGRAPHER
            )
            for order, (caption, alt, colour) in enumerate(GALLERY_PHOTOS):
                photo = Photo(
                    gallery=gallery, order=order, caption=caption, alt_text=alt, credit=photographer
                )
                photo.image.save(
                    f"shengtai-{order + 1}.jpg",
                    demo_image(colour, f"shengtai-{order + 1}"),
                    save=False,
                )
                photo.save()
            gallery.events.add(event)
            gallery.publish(by=editor)
            article.events.add(event)
            article.galleries.add(gallery)
            article.lead_photo = gallery.photos.first()
            article.save(update_fields=["lead_photo"])
