"""Turn the plain text of a Chinese newspaper page into stories.

A page is a run of stories: up to three heading lines (kicker, headline, subheadline), a
paragraph that may start with a dateline (本报讯, 新华社北京3月2日电), more paragraphs, and
bylines (`记者 张改华 通讯员 吕杨子`, `新华社记者 王磊 摄`, a bare name under a commentary)
or credits of organisations (`某某县文旅局供图`, `——编者`).

The text comes in two kinds. Exported from the layout program, a paragraph is broken
wherever its print column ended, so lines must be joined again; copied from an e-paper or
a web page, every line is a paragraph, and a short line without closing punctuation is a
subhead or a heading, never half a sentence. The parser tells them apart per page: a page
is *column-broken* when some line shows a cut (see `_shows_column_breaks`), and only then
are lines joined.

The parser is pure Python so that it can be tested without a database; importer.py turns
its result into draft articles. Nothing is silently dropped: text that fits no story is
returned in `ParsedPage.unplaced` so that the editor sees it.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

__all__ = [
    "Byline",
    "Credit",
    "PageError",
    "ParsedPage",
    "Story",
    "decode_page",
    "normalise_punctuation",
    "parse_byline",
    "parse_page",
    "story_from_dict",
]

# The longest line still taken for a heading. Main title and subtitle are often set
# on one line separated by a space (53 characters in the Zhongyuan sample).
HEADING_MAX_CHARS = 64
MAX_HEADING_LINES = 3
# Subheads, box labels and bare names are short; a longer unpunctuated line in the body
# of an e-paper story is still its own paragraph, but not marked as a subhead.
SUBHEAD_MAX_CHARS = 24
# Blank lines between at most this share of the lines part stories (see _Page).
GAP_SHARE = 0.5
# A photo caption is a paragraph or two, not a whole story.
CAPTION_MAX_CHARS = 240

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_CHARACTER = re.compile(f"[{CJK}]")
CHINESE_TEXT = re.compile(rf"[{CJK}\u2010-\u206f\u3000-\u303f\uff00-\uffef]")
# Marks that make a Chinese line read as finished.
SENTENCE_ENDINGS = "。！？；：…"
# Closers that end a line without ending the sentence on their own: `“六稳”` can sit
# mid-sentence, `会议。”` cannot.
TRAILING_CLOSERS = "”’）」』》】〉"
# Marks no heading starts with (Chinese typesetting keeps them off a line's start,
# so a line starting with one is the tail of a paragraph).
CLOSING_MARKS = "，。、！？；：…”’）」』》】〉,.;:?!)"
# A paragraph ending in one of these is certainly cut mid-sentence.
MID_SENTENCE_MARKS = "，、“‘（《〈「『—"
# A line ending in one of these shows a column break (a kicker may end in a dash, so the
# dash shows nothing).
CUT_MARKS = "，、“‘（《〈「『"

HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
# Neighbours that make a half-width mark "inside Chinese text".
CHINESE_NEIGHBOUR = re.compile(rf"[{CJK}\u3000-\u303f\uff00-\uffef“”]")

# News agencies, papers and sites whose name opens a dateline or a reporter's credit.
PRESS = (
    r"(?:新华社|中新社|中新网|中国新闻网|人民网|新华网|央视网|央视新闻|央视|央广网|央广|光明网"
    r"|中国日报网|国际在线|环球网|澎湃新闻|人民日报|光明日报|经济日报|中国日报|法治日报"
    r"|工人日报|农民日报|科技日报|中国青年报"
    rf"|[{CJK}]{{2,4}}(?:日报|晚报|早报|都市报|商报|时报|新闻网|电视台))"
)
DATE = r"[0-9０-９]{1,2}月[0-9０-９]{1,2}日"
DATELINE = re.compile(
    rf"^(?:据\s*)?(?:"
    r"本报讯"
    rf"|本报[{CJK}]{{2,6}}讯"  # 本报郑州讯
    rf"|(?:本报|{PRESS})[{CJK}]{{0,8}}?{DATE}电"  # 新华社北京9月8日电
    rf"|{PRESS}电"  # 据新华社电
    rf"|{PRESS}讯"  # 大河报讯
    rf"|(?:本报|{PRESS})消息"
    r")"
)
BRACKETED = re.compile(r"^\s*[（(]([^（）()]*)[）)]")

# Role words, longest first so that 摄影记者 is not read as 摄影 + 记者.
ROLE_WORDS = [
    (rf"(?:本报|{PRESS})?\s*摄影\s*记者", "photographer"),
    (r"(?:本报\s*)?(?:见习|实习)\s*记者", "intern"),
    (r"特约\s*记者", "correspondent"),
    (rf"(?:本报|{PRESS})?\s*(?:首席|融媒体?|全媒体|特派|驻[{CJK}]{{1,4}})?\s*记者", "reporter"),
    (r"(?:本报|特约)?\s*通讯员", "correspondent"),
    (r"实习生", "intern"),
    (r"(?:本报|特约)?\s*评论员", "reporter"),
    (r"摄影", "photographer"),
]
ROLE = re.compile("|".join(f"(?:{pattern})" for pattern, _role in ROLE_WORDS))
ROLE_BY_WORD = [(re.compile(pattern), role) for pattern, role in ROLE_WORDS]
# 文/图 and 图/文: the named people wrote the story and took its photos.
TEXT_AND_PHOTO = re.compile(r"[文图]\s*[/／]\s*[图文]")
# 文/ before names credits the writing, 图/ the photos.
TEXT_BY = re.compile(r"文\s*[/／]")
PHOTO_BY = re.compile(r"图\s*[/／]")
# A lone 摄 after names: "记者 李明 摄" and "李明摄" credit a photo.
PHOTO_CREDIT = re.compile(r"摄(?=[\s)）(（]|$)")
# The agency of the photo, in brackets after 摄: 李航摄（人民视觉）.
PHOTO_AGENCY = re.compile(r"[（(]\s*([^（）()\s]{2,16}?)\s*(发)?\s*[）)]")
# Bullets set before a byline: □ 陈思远, ◎本报记者 李明.
BULLET = re.compile(r"[□■◎●◆◇▲△★☆]")
NAME_SEPARATOR = re.compile(r"\s+|[、，]\s*|[：:/／]\s*")
NAME_BODY = rf"(?:[{CJK}]{{1,8}}(?:[·•・][{CJK}]{{1,8}})+|[{CJK}]{{2,4}}?)"
# A two-character name printed in three characters' width: 李  明.
PADDED_NAME = re.compile(rf"([{CJK}])[ \t\u3000\u00a0]+([{CJK}])(?=[\s、，)）(（]|摄|$)")

# Organisations credited for a photo (某某县文旅局供图, （新华社供图）).
ORGANISATION_PHOTO = re.compile(
    r"^(?P<open>[（(])?\s*(?P<name>[^\s（）()：:，。；]{2,24}?)\s*(?P<mark>供图|供稿)\s*"
    r"(?P<close>[）)])?$"
)
# 新华社发（张涛 摄）: an agency distributes its photographer's photo.
DISTRIBUTED_PHOTO = re.compile(
    rf"^(?P<name>{PRESS}|[{CJK}]{{2,8}}?)发\s*(?P<open>[（(])(?P<inner>[^（）()]+)(?P<close>[）)])$"
)
# （李明参与采写）, （李明、王芳参与采写）: colleagues who helped with the story.
CONTRIBUTORS = re.compile(
    r"^(?P<open>[（(])\s*(?P<names>[^（）()]+?)\s*(?P<mark>参与(?:采写|采访|报道|调研|写作))\s*"
    r"(?P<close>[）)])$"
)
# ——编  者: the sign-off of an editor's note.
SIGN_OFF = re.compile(r"^(?P<dash>——|—|－－|--)\s*(?P<name>编\s*者|编\s*辑\s*部|本\s*报)$")
# ——李明: a commentary signed with a dash.
DASHED_NAME = re.compile(r"^(?P<dash>——|—)\s*(?P<name>.+)$")

# Common surnames, so that a bare two- or three-character line can be told for a name
# (a commentary's signature) rather than a word.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金江康廖石贾夏韦付傅方白邹孟熊秦邱侯尹薛闫段雷"
    "龙史陶贺顾毛郝龚邵万钱严覃武戴莫孔向常汤易乔赖庞颜倪庄聂章鲁岳翟殷詹申欧耿焦"
    "俞左柳甘祝包尚舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝游辛靳管柴鲍喻祁蒲"
    "房滕屈饶解牟艾尤穆司卓车项连褚娄窦戚岑党宫费卜冷晏席卫米柏宗瞿桂佟应臧闵苟邬"
    "边卞姬师仇栾隋商刁沙巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝封谈匡鞠惠荆冀郁胥储栗"
    "燕楚鄢劳谌奚皮粟冼蔺楼闻厉仝郜阚帅屠豆朴盖练廉禹井祖漆巴支卿狄计索宣晋初扈晁"
    "芮阙鹿薄邸雍辜裘亓修邰赫宿逯茹诸慕危亢嵇湛戎茅於揭尉檀昝幸"
)
COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "诸葛",
    "上官",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
    "令狐",
    "端木",
    "独孤",
    "南宫",
    "西门",
    "申屠",
    "轩辕",
    "呼延",
)

# Box labels inside a story: their own paragraph, marked as a subhead.
BOX_LABELS = {
    "记者手记",
    "采访手记",
    "记者札记",
    "记者观察",
    "记者感言",
    "人物小传",
    "人物简介",
    "人物档案",
    "短评",
    "编后",
    "编后语",
    "链接",
    "相关链接",
    "新闻链接",
    "背景链接",
    "知识链接",
    "延伸阅读",
    "小贴士",
    "名词解释",
    "背景",
    "数说",
}
BOX_LABEL_WRAPPING = "【】[]〔〕「」:：■□●◆▲"
# Lines that announce themselves as subheads: numbered (一、 （二） 3．), bulleted, or a
# short quoted phrase (“合作社+农户”模式见成效).
SUBHEAD_MARKED = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、是]"
    r"|[（(][一二三四五六七八九十0-9]{1,3}[）)]"
    r"|[0-9]{1,2}[、．]"
    r"|第[一二三四五六七八九十]{1,3}[，、：]"
    r"|[■□●◆◇▲△★☆◎▶►]"
    r"|——访"
    r"|“[^“”，。；！？（）]+”[^，。；、“”（）！？]{0,14}$"
    r")"
)
# 为何屡禁不止？ — a question set as a subhead.
QUESTION_SUBHEAD = re.compile(r"^[^，。；：、]{2,22}[？?]$")
# （人民时评）: a column's tag printed under its headline belongs to the headline.
COLUMN_TAG = re.compile(r"^[（(][^（）()0-9０-９版]{1,12}[）)]$")
# Credits the parser cannot read as bylines still look like credits.
LOOKS_LIKE_CREDIT = re.compile(
    r"^[（(].*[）)]$|摄|供图|供稿|图片|图文|来源|提供|编辑|责编|校对|审核|作者|撰文|制图|整理"
)
# （作者为本报评论员）, （下转第四版）: a line in brackets is no headline.
BRACKETED_LINE = re.compile(r"^[（(][^（）()]*[）)]$")
# A kicker printed above the headline: 坚持稳中求进——, 【聚焦】, 城事·关注, or the
# column's label (人民时评).
KICKER = re.compile(
    rf"(?:——|—)$|^【[^】]+】$|^[{CJK}]{{2,6}}[·•・][{CJK}]{{2,6}}$"
    rf"|^[{CJK}]{{0,4}}(?:时评|快评|锐评|热评|短评|评论|论坛|观察|视点|聚焦|关注|专稿|特稿|走笔|随笔)$"
)

DEFAULT_ROLE = "reporter"


@dataclass
class Byline:
    role: str  # "reporter" | "correspondent" | "intern" | "photographer"
    name: str


@dataclass
class Credit:
    """An organisation credited on the page (no person): 新华社供图, ——编者."""

    role: str  # "photo" | "editor"
    name: str


@dataclass
class Story:
    kicker: str = ""
    headline: str = ""
    subheadline: str = ""
    dateline: str = ""
    bylines: list[Byline] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    text_and_photo: bool = False
    paragraphs: list[str] = field(default_factory=list)
    # Indexes into `paragraphs` of subheads and box labels (记者手记), shown as such.
    subheads: list[int] = field(default_factory=list)
    # Role words, 文/图, separators and brackets as they were printed around the
    # names; not part of the story, but kept so that every character of the page
    # can be accounted for.
    byline_markers: list[str] = field(default_factory=list, repr=False)

    def as_dict(self, *, detailed: bool = False) -> dict:
        """The story as JSON-ready data. The plain shape (that of `import_print --dry-run
        --json`) names no credits and no subheads; `detailed` adds them."""
        plain = {
            "kicker": self.kicker,
            "headline": self.headline,
            "subheadline": self.subheadline,
            "dateline": self.dateline,
            "bylines": [{"role": b.role, "name": b.name} for b in self.bylines],
            "text_and_photo": self.text_and_photo,
            "paragraphs": list(self.paragraphs),
        }
        if not detailed:
            return plain
        return {
            **plain,
            "credits": [{"role": c.role, "name": c.name} for c in self.credits],
            "subheads": list(self.subheads),
        }


def story_from_dict(data: dict) -> Story:
    """The story that `Story.as_dict(detailed=True)` described (a signed preview carries
    stories so)."""
    return Story(
        kicker=data["kicker"],
        headline=data["headline"],
        subheadline=data["subheadline"],
        dateline=data["dateline"],
        bylines=[Byline(role=b["role"], name=b["name"]) for b in data["bylines"]],
        credits=[Credit(role=c["role"], name=c["name"]) for c in data.get("credits", [])],
        text_and_photo=bool(data["text_and_photo"]),
        paragraphs=list(data["paragraphs"]),
        subheads=[int(number) for number in data.get("subheads", [])],
    )


@dataclass
class ParsedPage:
    stories: list[Story]
    unplaced: list[str]


class PageError(ValueError):
    """The uploaded file is not a readable print page; the message is for the user."""


def _(message: str) -> str:
    # The parser is also used (and tested) without a configured project.
    from django.apps import apps

    if not apps.ready:
        return message
    from django.utils.translation import gettext

    return gettext(message)


# --- Decoding ------------------------------------------------------------------

# Fallback guesses we trust: the page is Chinese, and a Latin code page that
# "decodes" any byte soup would only hand the editor garbage.
TRUSTED_GUESSES = {
    "big5",
    "big5hkscs",
    "cp950",
    "gb2312",
    "gbk",
    "gb18030",
    "hz",
    "utf_8",
    "utf_16",
    "utf_16_be",
    "utf_16_le",
    "utf_32",
    "utf_32_be",
    "utf_32_le",
}
ALLOWED_CONTROLS = set("\t\n\r\f\v")
MAX_CONTROL_SHARE = 0.05
MAX_CHANCE_UTF8_CHARS = 4


def decode_page(data: bytes) -> str:
    """Decode an uploaded print page: UTF-8 (with or without BOM), GB18030/GBK, or a
    trusted guess; line endings become LF."""
    if not data.strip():
        raise PageError(_("The file is empty."))
    text = _decode_unicode_with_bom(data)
    if text is None:
        if b"\x00" in data:
            raise PageError(_("The file is not a text file."))
        text = _decode_text(data)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(
        1 for char in text if unicodedata.category(char) == "Cc" and char not in ALLOWED_CONTROLS
    )
    if "\x00" in text or controls > MAX_CONTROL_SHARE * len(text):
        raise PageError(_("The file is not a text file."))
    if not text.strip():
        raise PageError(_("The file is empty."))
    return text


def _decode_unicode_with_bom(data: bytes) -> str | None:
    # Notepad's "Unicode" is UTF-16 with a BOM; its NUL bytes are not binary.
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise PageError(
                    _("The file could not be read: its text encoding is not recognised.")
                ) from None
    return None


def _decode_text(data: bytes) -> str:
    # Strict UTF-8 first: GB18030 would also accept many UTF-8 byte runs, as mojibake.
    as_utf8 = _decode_strictly(data, "utf-8-sig")
    as_gb18030 = _decode_strictly(data, "gb18030")
    if as_utf8 is not None:
        # A short GB18030 text can be valid UTF-8 by chance (木 is C4 BE, "ľ" in
        # UTF-8); a few non-ASCII characters, none of them Chinese, are the tell.
        # Past a handful, valid UTF-8 by chance is too unlikely to second-guess.
        non_ascii = sum(1 for char in as_utf8 if not char.isascii())
        looks_mistaken = 0 < non_ascii <= MAX_CHANCE_UTF8_CHARS
        looks_mistaken = looks_mistaken and not data.startswith(codecs.BOM_UTF8)
        looks_mistaken = looks_mistaken and not CHINESE_TEXT.search(as_utf8)
        if looks_mistaken and as_gb18030 and CJK_CHARACTER.search(as_gb18030):
            return as_gb18030
        return as_utf8
    if as_gb18030 is not None:
        return as_gb18030
    guess = from_bytes(data).best()
    if guess is None or guess.encoding not in TRUSTED_GUESSES:
        raise PageError(_("The file could not be read: its text encoding is not recognised."))
    return str(guess)


def _decode_strictly(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


# --- Normalising ---------------------------------------------------------------

PAIRED_PARENS = re.compile(r"\(([^()\n]*)\)")
HALF_WIDTH_MARK = re.compile(r"[,;:?!()]")


def normalise_punctuation(line: str) -> str:
    """Half-width , ; : ? ! ( ) inside Chinese text become full-width; `3.5`, `10,000`
    and English sentences are left alone. The length never changes."""

    def touches_chinese(text: str, start: int, end: int) -> bool:
        before = text[start - 1] if start > 0 else ""
        after = text[end] if end < len(text) else ""
        return bool(CHINESE_NEIGHBOUR.match(before) or CHINESE_NEIGHBOUR.match(after))

    def convert_pair(match: re.Match) -> str:
        # `区(CCD)为`: a pair is Chinese if either bracket touches Chinese, inside or out.
        chinese = touches_chinese(line, match.start(), match.start() + 1) or touches_chinese(
            line, match.end() - 1, match.end()
        )
        return f"（{match.group(1)}）" if chinese else match.group(0)

    line = PAIRED_PARENS.sub(convert_pair, line)
    return HALF_WIDTH_MARK.sub(
        lambda m: (
            HALF_TO_FULL[m.group(0)] if touches_chinese(line, m.start(), m.end()) else m.group(0)
        ),
        line,
    )


def _is_finished(line: str) -> bool:
    stripped = line.rstrip(TRAILING_CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_ENDINGS


def _join_fragments(left: str, right: str) -> str:
    # Column breaks fall anywhere, even inside a word; only Latin words need a space.
    if left and right and left[-1].isascii() and left[-1].isalnum():
        if right[0].isascii() and right[0].isalnum():
            return f"{left} {right}"
    return left + right


# --- Bylines and credits -----------------------------------------------------------


@dataclass
class _BylineParse:
    bylines: list[Byline]
    markers: list[str]
    text_and_photo: bool
    credits: list[Credit] = field(default_factory=list)

    @property
    def credits_a_photo(self) -> bool:
        return "摄" in self.markers or any(c.role == "photo" for c in self.credits)


def parse_byline(text: str, *, inside_brackets: bool = False) -> _BylineParse | None:
    """Read `记者 张改华 通讯员 吕杨子` and its variants (`本报记者  李  明`, `李明摄`,
    `新华社记者 王磊 摄`, `李航摄（人民视觉）`, `文/图 李明`), or return None when the text
    is anything else. On a line of its own a role word must be followed by a space, so
    that a heading such as 记者走基层 is not taken for a byline; inside the dateline's
    brackets (本报讯（记者李明）) it need not be."""
    bylines: list[Byline] = []
    credits: list[Credit] = []
    markers: list[str] = []
    text_and_photo = False
    role: str | None = None
    role_has_names = False
    names_since_role: list[Byline] = []
    has_role_or_mark = False

    role_token, name_token = _BRACKET_TOKENS if inside_brackets else _LINE_TOKENS
    position = 0
    text = text.strip()
    if bullet := BULLET.match(text):
        # □ 钟  毅: a bullet before names marks them as a byline.
        markers.append(bullet.group(0))
        position = bullet.end()
        # Only a name after the bullet: ■ 聚焦两会 is a heading.
        has_role_or_mark = bare_name(text[position:]) is not None
    while position < len(text):
        separator = NAME_SEPARATOR.match(text, position)
        if separator:
            if separator.group(0).strip():
                markers.append(separator.group(0).strip())
            position = separator.end()
            continue
        if match := TEXT_AND_PHOTO.match(text, position):
            markers.append(match.group(0))
            text_and_photo = has_role_or_mark = True
        elif match := role_token.match(text, position):
            markers.append(match.group(0))
            new_role = _role_of(match.group(0))
            if role is not None and not role_has_names:
                # `摄影 记者 孙伟`: two role words in a row describe one person.
                if "photographer" in (role, new_role):
                    new_role = "photographer"
            role, role_has_names, names_since_role = new_role, False, []
            has_role_or_mark = True
        elif (match := PHOTO_CREDIT.match(text, position)) and names_since_role:
            markers.append(match.group(0))
            for byline in names_since_role:
                byline.role = "photographer"
            has_role_or_mark = True
            if agency := PHOTO_AGENCY.match(text, match.end()):
                # 李航摄（人民视觉）: the agency that distributes the photo.
                markers += ["（", "）"] + (["发"] if agency.group(2) else [])
                credits.append(Credit(role="photo", name=agency.group(1)))
                match = agency
        elif not bylines and (
            match := PHOTO_BY.match(text, position) or TEXT_BY.match(text, position)
        ):
            markers.append(match.group(0))
            role = "photographer" if match.group(0).startswith("图") else DEFAULT_ROLE
            role_has_names, names_since_role, has_role_or_mark = False, [], True
        elif (match := PADDED_NAME.match(text, position)) or (
            match := name_token.match(text, position)
        ):
            name = "".join(match.groups()) if match.re is PADDED_NAME else match.group(0)
            byline = Byline(role=role or DEFAULT_ROLE, name=name)
            bylines.append(byline)
            names_since_role.append(byline)
            role_has_names = True
        else:
            return None
        position = match.end()
    if not bylines or not has_role_or_mark:
        return None
    return _BylineParse(
        bylines=bylines, markers=markers, text_and_photo=text_and_photo, credits=credits
    )


def _byline_tokens(*, inside_brackets: bool) -> tuple[re.Pattern, re.Pattern]:
    after_role = "" if inside_brackets else r"(?=\s|[：:/／]|$)"
    name_end = rf"\s|[、，：:]|$|{TEXT_AND_PHOTO.pattern}|{PHOTO_CREDIT.pattern}"
    if inside_brackets:
        name_end += rf"|[）)]|{ROLE.pattern}"
    return re.compile(rf"(?:{ROLE.pattern}){after_role}"), re.compile(rf"{NAME_BODY}(?={name_end})")


_LINE_TOKENS = _byline_tokens(inside_brackets=False)
_BRACKET_TOKENS = _byline_tokens(inside_brackets=True)


def _role_of(word: str) -> str:
    for pattern, role in ROLE_BY_WORD:
        if pattern.fullmatch(word):
            return role
    return DEFAULT_ROLE


def bare_name(line: str) -> str | None:
    """The name on a line that holds nothing else (林  晓, 欧阳明), or None. Only
    common surnames count, so that a short word is not taken for a name."""
    parts = line.split()
    if len(parts) > 1 and not all(len(part) == 1 for part in parts):
        return None
    name = "".join(parts)
    if not re.fullmatch(f"[{CJK}]{{2,4}}", name):
        return None
    if name.startswith(COMPOUND_SURNAMES):
        return name if len(name) >= 3 else None
    return name if len(name) <= 3 and name[0] in SURNAMES else None


def parse_credit_line(line: str) -> _BylineParse | None:
    """A line that credits people or organisations and says so (a role word, 摄, 供图,
    参与采写, a sign-off dash), or None. A bare name is told by its place instead; see
    `bare_name`."""
    if match := ORGANISATION_PHOTO.match(line):
        markers = [match.group("mark")] + [m for m in (match["open"], match["close"]) if m]
        inner = parse_byline(match.group("name"))
        if inner is not None:
            # 记者 李明 供图: a person after all.
            for byline in inner.bylines:
                byline.role = "photographer"
            return _BylineParse(inner.bylines, inner.markers + markers, False, inner.credits)
        return _BylineParse([], markers, False, [Credit("photo", match.group("name"))])
    if match := DISTRIBUTED_PHOTO.match(line):
        inner = parse_credit_line(match.group("inner").strip())
        if inner is not None and inner.credits_a_photo:
            markers = ["发", match["open"], match["close"]]
            credit = Credit("photo", match.group("name"))
            return _BylineParse(
                inner.bylines, inner.markers + markers, False, [credit, *inner.credits]
            )
    if match := CONTRIBUTORS.match(line):
        markers = [match["open"], match["mark"], match["close"]]
        names = match.group("names")
        inner = parse_byline(names, inside_brackets=True)
        if inner is None:
            people = re.split(r"[、，,\s]+", names.strip())
            if not all(re.fullmatch(NAME_BODY, name) for name in people):
                return None
            separators = re.findall(r"[、，,]", names)
            inner = _BylineParse([Byline(DEFAULT_ROLE, name) for name in people], separators, False)
        return _BylineParse(inner.bylines, inner.markers + markers, False, inner.credits)
    if match := SIGN_OFF.match(line):
        name = re.sub(r"\s", "", match.group("name"))
        return _BylineParse([], [match.group("dash")], False, [Credit("editor", name)])
    if (match := DASHED_NAME.match(line)) and (name := bare_name(match.group("name"))):
        return _BylineParse([Byline(DEFAULT_ROLE, name)], [match.group("dash")], False)
    if (
        line[:1] in "（("
        and line[-1:] in "）)"
        # （作者为本报评论员）: a note on the author, part of the text.
        and not line[1:].lstrip().startswith("作者")
        and (inner := parse_byline(line[1:-1], inside_brackets=True)) is not None
    ):
        # （本报记者 张三）: a byline in brackets at a story's end.
        return _BylineParse(
            inner.bylines, [*inner.markers, line[0], line[-1]], inner.text_and_photo, inner.credits
        )
    return parse_byline(line)


def _split_inline_credit(line: str) -> tuple[str, _BylineParse] | None:
    """A caption with its photo credit on the same line (图为新街。 宋佳琪 摄): the
    caption and the credit, or None."""
    for match in re.finditer(r"[。！？”）)]\s*", line):
        caption, credit_text = line[: match.end()].rstrip(), line[match.end() :]
        if not credit_text or len(credit_text) > 40 or not caption.rstrip(TRAILING_CLOSERS + ")"):
            continue
        if credit_text.startswith(("（", "(")) and credit_text.endswith(("）", ")")):
            # 图为新街。（宋佳琪 摄）
            inner = parse_credit_line(credit_text[1:-1].strip())
            if inner is not None and inner.credits_a_photo:
                inner.markers += [credit_text[0], credit_text[-1]]
                return caption, inner
        credit = parse_credit_line(credit_text)
        if credit is not None and credit.credits_a_photo:
            return caption, credit
    return None


# --- Page structure --------------------------------------------------------------


def _is_box_label(line: str) -> bool:
    return line.strip(BOX_LABEL_WRAPPING + " \u3000") in BOX_LABELS


def _is_marked_subhead(line: str) -> bool:
    """Does the line announce itself as a subhead or a box label, whatever the page?"""
    if len(line) > SUBHEAD_MAX_CHARS or line.endswith(tuple(MID_SENTENCE_MARKS)):
        return False
    return _is_box_label(line) or bool(SUBHEAD_MARKED.match(line) or QUESTION_SUBHEAD.match(line))


class _Page:
    """The page's non-blank lines, each classified once: the story finder looks
    ahead from every line."""

    def __init__(self, raw_lines: list[str], gap_before: list[bool] | None = None) -> None:
        # Punctuation is normalised per line to classify lines, but paragraphs are
        # normalised again once joined: a column break can cut a mark off its
        # Chinese neighbour. Normalising keeps lengths, so positions agree.
        self.raw_lines = raw_lines
        self.lines = lines = [normalise_punctuation(line) for line in raw_lines]
        self.credits = [parse_credit_line(line) for line in lines]
        self.names = [bare_name(line) for line in lines]
        self.is_dateline = [DATELINE.match(line) is not None for line in lines]
        self.inline_credits = [
            _split_inline_credit(line) if credit is None else None
            for line, credit in zip(lines, self.credits, strict=True)
        ]
        self.is_heading = [
            len(line) <= HEADING_MAX_CHARS
            and not _is_finished(line)
            and line[0] not in CLOSING_MARKS
            and not line.endswith(tuple(CUT_MARKS))
            and "。" not in line
            and "；" not in line
            and not is_dateline
            and credit is None
            and inline is None
            for line, is_dateline, credit, inline in zip(
                lines, self.is_dateline, self.credits, self.inline_credits, strict=True
            )
        ]
        self.is_column_broken = self._shows_column_breaks()
        # On an e-paper page copied with blank lines between some lines only, the blank
        # lines part the stories (on a layout export they part every line, and say nothing).
        gap_before = gap_before or [False] * len(lines)
        gaps = sum(gap_before)
        self.gap_parts_stories = not self.is_column_broken and 0 < gaps <= GAP_SHARE * max(
            len(lines) - 1, 1
        )
        self.gap_before = gap_before

    def is_paragraph(self, index: int) -> bool:
        return self.credits[index] is None and not self.is_heading[index]

    def _shows_column_breaks(self) -> bool:
        """Was the page exported from a layout program, its paragraphs cut at the foot
        of each column? Copied from an e-paper, every line is a whole paragraph, a
        heading or a credit; one line that is plainly half a sentence says otherwise."""
        opens_paragraph = False  # the line before was a dateline on its own
        for index, line in enumerate(self.lines):
            after_dateline, opens_paragraph = opens_paragraph, False
            if self.credits[index] is not None or self.inline_credits[index] is not None:
                continue
            if self.is_dateline[index]:
                line = line[DATELINE.match(line).end() :].strip()
                if bracket := BRACKETED.match(line):
                    line = line[bracket.end() :].strip()
                if not line:
                    opens_paragraph = True
                    continue
            if after_dateline and not _is_finished(line):
                return True
            if line[0] in CLOSING_MARKS or line.endswith(tuple(CUT_MARKS)):
                return True
            if not _is_finished(line) and (
                len(line) > HEADING_MAX_CHARS
                or "。" in line
                or "；" in line
                or self.is_dateline[index]
            ):
                return True
        return False


@dataclass
class _StoryStart:
    headings: list[str]
    byline_indexes: list[int]
    body_start: int  # index of the dateline or first paragraph line
    name_indexes: list[int] = field(default_factory=list)  # bare names under the headings


def _ends_unfinished(page: _Page, story: Story | None) -> bool:
    """Does the story's last paragraph stop mid-sentence at a column's foot?"""
    if story is None or not story.paragraphs or not page.is_column_broken:
        return False
    return not _is_finished(normalise_punctuation(story.paragraphs[-1]))


def _story_starts_at(
    page: _Page, index: int, *, story_is_open: bool, story: Story | None = None
) -> _StoryStart | None:
    """Does a story begin at `index`? Headings (one to three), maybe bylines, then a
    dateline; or a plain paragraph instead of the dateline where no story is open (the
    last one closed with its byline) or bylines sit under the headings. Inside an open
    story a short line followed by a paragraph is a subhead (or, on a column-broken page,
    a fragment) unless the page shows a new story there: a photo and its credit, or (on
    an e-paper page, where subheads are single lines) two or three heading lines."""
    if page.is_dateline[index]:
        return _StoryStart(headings=[], byline_indexes=[], body_start=index)
    count = len(page.lines)
    position = index
    while position < count and page.is_heading[position]:
        position += 1
    heading_indexes = list(range(index, position))
    name_indexes = []
    # 林  晓 under a commentary's headline: its author.
    if (
        len(heading_indexes) >= 2
        and page.names[heading_indexes[-1]]
        and position < count
        and (page.is_dateline[position] or page.is_paragraph(position))
    ):
        name_indexes = [heading_indexes.pop()]
    if not heading_indexes or len(heading_indexes) > MAX_HEADING_LINES:
        return None
    headings = [page.lines[i] for i in heading_indexes]
    if (len(headings) >= 2 and LOOKS_LIKE_CREDIT.search(headings[0])) or BRACKETED_LINE.match(
        headings[0]
    ):
        # （资料图片）, 责任编辑 李明: the tail of the story above, never the next kicker.
        return None
    byline_start = position
    while position < count and page.credits[position] is not None:
        position += 1
    start = _StoryStart(headings, list(range(byline_start, position)), position, name_indexes)
    if position >= count:
        return None
    if page.is_dateline[position]:
        return start
    if not page.is_paragraph(position):
        return None
    if story_is_open and page.gap_parts_stories and page.gap_before[index]:
        story_is_open = False
    if not story_is_open or start.byline_indexes or name_indexes:
        return start
    if len(headings) == 1 and _is_box_label(headings[0]):
        return None  # 记者手记 over a photo's caption: still the story above
    if _is_photo_story(page, position) and not _ends_unfinished(page, story):
        return start
    if not page.is_column_broken and (
        len(headings) >= 2 or COLUMN_TAG.search(headings[0]) or _ends_with_column_tag(headings[0])
    ):
        return start
    return None


def _ends_with_column_tag(heading: str) -> bool:
    bracket = re.search(r"[（(][^（）()]{2,12}[）)]$", heading)
    return bracket is not None and bracket.start() > 0 and COLUMN_TAG.match(bracket.group(0))


def _is_photo_story(page: _Page, body_start: int) -> bool:
    """A headline over a caption that carries a photo credit, on its line or the next."""
    if len(page.lines[body_start]) > CAPTION_MAX_CHARS:
        return False
    if (inline := page.inline_credits[body_start]) is not None:
        return inline[1].credits_a_photo
    following = body_start + 1
    return (
        _is_finished(page.lines[body_start])
        and following < len(page.lines)
        and page.credits[following] is not None
        and page.credits[following].credits_a_photo
    )


def parse_page(text: str) -> ParsedPage:
    kept, gap_before, blank = [], [], False
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            kept.append(line.strip())
            gap_before.append(blank and len(kept) > 1)
            blank = False
        else:
            blank = True
    page = _Page(kept, gap_before)
    stories: list[Story] = []
    unplaced: list[str] = []
    story: Story | None = None
    story_ended = False  # a byline block closed the story
    # A byline block may run over several lines; anything unplaced after it ends it.
    byline_block_open = False

    index = 0
    while index < len(page.lines):
        credit = page.credits[index]
        if story is not None and not story_ended and _signs_off(page, index, story):
            _add_byline(story, _BylineParse([Byline(DEFAULT_ROLE, page.names[index])], [], False))
            story_ended = byline_block_open = True
            index += 1
            continue
        if story is None or story_ended:
            start = _story_starts_at(page, index, story_is_open=False)
        elif credit is None:
            last_paragraph = normalise_punctuation(story.paragraphs[-1]) if story.paragraphs else ""
            if (
                page.is_column_broken
                and last_paragraph.endswith(tuple(MID_SENTENCE_MARKS))
                and not page.is_dateline[index]
            ):
                start = None  # `…，` goes on; only a dateline can interrupt it
            else:
                start = _story_starts_at(page, index, story_is_open=True, story=story)
        else:
            start = None

        if start is not None and story is not None and story_ended and _reopens(page, index):
            start = None
            story_ended = False
        if start is not None:
            story = _begin_story(page, start)
            stories.append(story)
            story_ended = byline_block_open = False
            index = start.body_start + 1
            continue

        raw_line = page.raw_lines[index]
        line = page.lines[index]
        if story is not None and story_ended and _reopens(page, index):
            story_ended = False  # a box (记者手记) that belongs to the story above
        index += 1
        if story is None or (story_ended and not (credit and byline_block_open)):
            unplaced.append(raw_line)
            byline_block_open = False
        elif credit is not None:
            _add_byline(story, credit)
            story_ended = byline_block_open = True
        elif (inline := page.inline_credits[index - 1]) is not None:
            caption, caption_credit = inline
            story.paragraphs.append(raw_line[: len(caption)].strip())
            _add_byline(story, caption_credit)
        elif _continues_paragraph(page, story):
            # The paragraph stopped mid-sentence at the foot of a column.
            story.paragraphs[-1] = _join_fragments(story.paragraphs[-1], raw_line)
        else:
            story.paragraphs.append(raw_line)
            if _is_marked_subhead(line) or (
                page.is_heading[index - 1]
                and not page.is_column_broken
                and len(line) <= SUBHEAD_MAX_CHARS
            ):
                story.subheads.append(len(story.paragraphs) - 1)
    for story in stories:
        story.paragraphs = [normalise_punctuation(paragraph) for paragraph in story.paragraphs]
    return ParsedPage(stories=stories, unplaced=unplaced)


def _continues_paragraph(page: _Page, story: Story) -> bool:
    if not page.is_column_broken or not story.paragraphs:
        return False
    if len(story.paragraphs) - 1 in story.subheads:
        return False
    return not _is_finished(normalise_punctuation(story.paragraphs[-1]))


def _signs_off(page: _Page, index: int, story: Story) -> bool:
    """A bare name after the last paragraph of a story that names nobody yet: the
    author of a commentary or column signing it (林  晓)."""
    if not page.names[index] or page.credits[index] is not None:
        return False
    if story.bylines or not story.paragraphs:
        return False
    if not _is_finished(normalise_punctuation(story.paragraphs[-1])):
        return False
    following = index + 1
    return following >= len(page.lines) or not page.is_paragraph(following)


def _reopens(page: _Page, index: int) -> bool:
    """A box label (记者手记) after a story's byline, over a paragraph: part of the story."""
    following = index + 1
    return (
        _is_box_label(page.lines[index])
        and following < len(page.lines)
        and page.is_paragraph(following)
    )


def _begin_story(page: _Page, start: _StoryStart) -> Story:
    story = Story()
    headings = list(start.headings)
    # （人民时评） on a line of its own after the headline belongs to it.
    for position in range(len(headings) - 1, 0, -1):
        if COLUMN_TAG.match(headings[position]) and not KICKER.search(headings[position - 1]):
            headings[position - 1] += headings.pop(position)
    if len(headings) == 3:
        story.kicker, story.headline, story.subheadline = headings
    elif len(headings) == 2 and KICKER.search(headings[0]):
        story.kicker, story.headline = headings
    elif len(headings) == 2:
        story.headline, story.subheadline = headings
    elif headings:
        story.headline = headings[0]
    for index in start.name_indexes:
        _add_byline(story, _BylineParse([Byline(DEFAULT_ROLE, page.names[index])], [], False))
    for index in start.byline_indexes:
        _add_byline(story, page.credits[index])

    # Paragraphs are kept as printed until the story is complete (see _Page).
    first_line = page.lines[start.body_start]
    raw_first_line = page.raw_lines[start.body_start]
    if dateline := DATELINE.match(first_line):
        story.dateline = dateline.group(0)
        rest = first_line[dateline.end() :]
        bracket = BRACKETED.match(rest)
        if bracket and (byline := parse_byline(bracket.group(1), inside_brackets=True)):
            # 本报讯（记者 李明 实习生 王芳）: the bracket holds the byline.
            opening, closing = bracket.group(0).lstrip()[0], bracket.group(0)[-1]
            story.byline_markers += [opening, closing]
            _add_byline(story, byline)
            rest = rest[bracket.end() :]
        raw_rest = raw_first_line[len(first_line) - len(rest) :]
        if raw_rest.strip():
            story.paragraphs.append(raw_rest.strip())
    elif (inline := page.inline_credits[start.body_start]) is not None:
        caption, caption_credit = inline
        story.paragraphs.append(raw_first_line[: len(caption)].strip())
        _add_byline(story, caption_credit)
    else:
        story.paragraphs.append(raw_first_line)
    return story


def _add_byline(story: Story, byline: _BylineParse) -> None:
    story.bylines.extend(byline.bylines)
    story.credits.extend(byline.credits)
    story.byline_markers.extend(byline.markers)
    story.text_and_photo = story.text_and_photo or byline.text_and_photo
