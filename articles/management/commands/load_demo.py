"""A demo newsroom: two desks (要闻部 on 三审三校, 区域新闻部 on the single-editor chain),
sections, people, a login for each role, the six stories of a real print page, its photo
exhibition as an event with a gallery, and stories waiting at each stage of 三审三校.
Running it twice changes nothing."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import reversion
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
from newsroom import workflow
from newsroom.review.models import Chain, ChainChoice, Desk, DeskMembership
from newsroom.review.presets import install_preset
from newsroom.roles import EDITORS, REPORTERS, ROLE_GROUPS, Role
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
# Desks: name, slug, the chain preset they follow, the sections they own.
DESKS = [
    ("要闻部", "yaowen-desk", "sanshen", ["yaowen"]),
    ("区域新闻部", "quyu-desk", "single", ["quyu", "minsheng"]),
]
# A login for each role beside `reporter` and `editor`: username, name, site-wide group (or
# None), roles on desks.
ROLE_LOGINS = [
    ("desk-editor", "李责编", None, [("yaowen-desk", Role.EDITOR), ("quyu-desk", Role.EDITOR)]),
    ("desk-chief", "赵主任", None, [("yaowen-desk", Role.CHIEF)]),
    ("proofreader", "孙校对", None, [("yaowen-desk", Role.PROOFREADER)]),
    ("chief-editor", "周总编", ROLE_GROUPS[Role.CHIEF_EDITOR], []),
    ("photographer", "刘摄影", None, [("yaowen-desk", Role.PHOTOGRAPHER)]),
    ("correspondent", "吕杨子", None, [("quyu-desk", Role.CORRESPONDENT)]),
    ("siteadmin", "系统管理员", ROLE_GROUPS[Role.ADMIN], []),
]
# Who signs each stage of 三审三校 in the demo, by stage name.
SANSHEN_SIGNERS = {
    "初审": "desk-editor",
    "一校": "proofreader",
    "复审": "desk-chief",
    "二校": "proofreader",
    "三校": "proofreader",
    "终审": "chief-editor",
}
# Stories of 要闻部 waiting at each stage: headline, how many stages are signed.
WAITING = [
    ("郑州地铁10号线一期工程进入全面调试阶段", 0),
    ("全市秋粮收购工作有序推进", 1),
    ("中原区老旧小区改造今年完成四十二个", 2),
    ("贾鲁河综合治理二期工程通过验收", 3),
    ("我市新增十条定制公交线路", 4),
    ("市民服务中心推出“周末不打烊”服务", 5),
    ("郑州入选全国首批城市更新示范城市", 6),
]
SENT_BACK = ("二七区社区食堂覆盖率达九成", "请核实覆盖率数字的来源，并补充一位居民的说法。")

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
        desks = self.desks(sections)
        editor = self.user("editor", EDITORS, first_name="王编辑")
        reporter = self.user("reporter", REPORTERS, first_name="张改华")
        for desk in desks.values():
            DeskMembership.objects.get_or_create(desk=desk, user=reporter, role=Role.REPORTER)
        logins = {"editor": editor, "reporter": reporter}
        for username, name, group_name, memberships in ROLE_LOGINS:
            logins[username] = self.user(username, group_name, first_name=name)
            for desk_slug, role in memberships:
                DeskMembership.objects.get_or_create(
                    desk=desks[desk_slug], user=logins[username], role=role
                )
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
            articles[0].save()
            # The import submitted it on 区域新闻部's chain: withdrawn and filed again on 要闻部's,
            # it goes through every stage of 三审三校 (its 签发单 is complete).
            articles[0].withdraw(by=reporter)
            self.sign(articles[0], logins, stages=len(SANSHEN_SIGNERS) - 1)
            articles[0].publish(by=logins["chief-editor"])
            for article in articles[1:4]:
                article.publish(by=editor)
            articles[4].tags.add("政协", "核心片区")
            articles[0].tags.add("理论学习", "抗疫")
            articles[2].tags.add("贾鲁河", "调研")
            articles[5].schedule(at=timezone.now() + datetime.timedelta(days=1), by=editor)
            FrontPageSlot.objects.get_or_create(article=articles[0], defaults={"order": 1})
            FrontPageSlot.objects.get_or_create(article=articles[2], defaults={"order": 2})
            self.exhibition(articles[1], editor, sections["tupian"])

        self.waiting_stories(sections["yaowen"], logins)

        # The same page as its PDF: the 数字报 at /print/ (articles/digital/demo.py).
        from articles.digital.demo import load_demo_edition

        self.stdout.write(
            load_demo_edition(stories, date=EDITION_DATE, page=2, name="区域", editor=editor)
        )

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
            f"Logins (password “{DEMO_PASSWORD}”): editor and chief-editor (chief editors), "
            "reporter, desk-editor, desk-chief, proofreader, photographer, correspondent, "
            "siteadmin (see the README)."
        )

    def desks(self, sections) -> dict[str, Desk]:
        """The two desks, their chains and their sections."""
        desks = {}
        for name, slug, preset, section_slugs in DESKS:
            desk, _created = Desk.objects.get_or_create(slug=slug, defaults={"name": name})
            chain = Chain.objects.filter(slug=preset).first() or install_preset(preset)
            ChainChoice.objects.get_or_create(
                desk=desk, content_type=None, defaults={"chain": chain}
            )
            for section_slug in section_slugs:
                section = sections[section_slug]
                if section.desk_id != desk.pk:
                    section.desk = desk
                    section.save(update_fields=["desk"])
            desks[slug] = desk
        return desks

    def sign(self, article, logins, stages: int) -> None:
        """Submit `article` (as its author) and sign its first `stages` stages, each by the
        demo login of that stage's role."""
        if article.status == workflow.Status.DRAFT:
            article.submit_for_review(by=article.created_by)
        for _ in range(stages):
            stage = article.review_stage
            if stage is None:
                return
            by = logins[SANSHEN_SIGNERS.get(stage.name, "chief-editor")]
            workflow.perform(article, "approve", by=by, note=f"{stage.name}：同意。")

    def waiting_stories(self, section, logins) -> None:
        """要闻部's stories at each stage of 三审三校, and one sent back to the reporter."""
        reporter = logins["reporter"]
        for headline, signed in WAITING:
            article = self.story(section, reporter, headline)
            if article is None:
                continue
            if signed >= 2:
                # The desk editor tightened the lead after signing 初审: the record shows it.
                self.sign(article, logins, stages=1)
                article.refresh_from_db()
                self.save_revision(
                    article, logins["desk-editor"], body=article.body + "<p>（责任编辑补充）</p>"
                )
                from newsroom.review.chains import content_edited

                content_edited(article, logins["desk-editor"])
                signed -= 1
            self.sign(article, logins, stages=signed)
        headline, note = SENT_BACK
        article = self.story(section, reporter, headline)
        if article is not None:
            self.sign(article, logins, stages=1)
            workflow.perform(article, "send_back", by=logins["desk-chief"], note=note)

    def story(self, section, reporter, headline):
        """A new story of the reporter's in `section`, in its own revision (None if there)."""
        if Article.objects.filter(headline=headline).exists():
            return None
        article = Article(
            headline=headline,
            section=section,
            created_by=reporter,
            dateline="本报讯",
            body=f"<p>本报讯 {headline}。记者从市区有关部门获悉，相关工作正按计划推进。</p>",
        )
        self.save_revision(article, reporter)
        return article

    @staticmethod
    def save_revision(article, by, **changes) -> None:
        for name, value in changes.items():
            setattr(article, name, value)
        if article.pk:
            article.edit_version += 1
        with reversion.create_revision():
            reversion.set_user(by)
            article.save()

    def user(self, username, group_name, **fields) -> User:
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": True, **fields}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        if group_name:
            user.groups.add(Group.objects.get_or_create(name=group_name)[0])
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
