"""Turn the plain text of a Chinese local-newspaper print page into stories.

A print page, copied out of the layout program or an e-paper, is a run of stories:
one to three heading lines, a paragraph that starts with a dateline (本报讯), more
paragraphs broken wherever the print column ended, and a byline block such as
`记者 张改华 通讯员 吕杨子`. The parser is pure Python so that it can be tested
without a database; the import view turns its result into draft articles.

Nothing is silently dropped: text that fits no story is returned in
`ParsedPage.unplaced` so that the editor sees it.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

__all__ = [
    "Byline",
    "Story",
    "ParsedPage",
    "PageError",
    "decode_page",
    "parse_page",
]

# The longest line still taken for a heading. Main title and subtitle are often set
# on one line separated by a space (53 characters in the Zhongyuan sample).
HEADING_MAX_CHARS = 64
MAX_HEADING_LINES = 3

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

HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
# Neighbours that make a half-width mark "inside Chinese text".
CHINESE_NEIGHBOUR = re.compile(rf"[{CJK}\u3000-\u303f\uff00-\uffef“”]")

DATELINE = re.compile(
    rf"""^(?:
        本报讯
      | 本报[{CJK}]{{2,6}}讯                                     # 本报郑州讯
      | (?:本报|新华社|中新社|中新网|人民网|新华网|央视网)
        [{CJK}]{{0,8}}[0-9０-９]{{1,2}}月[0-9０-９]{{1,2}}日电   # 新华社北京9月8日电
    )""",
    re.VERBOSE,
)
BRACKETED = re.compile(r"^\s*[（(]([^（）()]*)[）)]")

# Role words, longest first so that 摄影记者 is not read as 摄影 + 记者.
ROLE_WORDS = [
    (r"本报\s*摄影\s*记者", "photographer"),
    (r"摄影\s*记者", "photographer"),
    (r"(?:本报\s*)?(?:见习|实习)\s*记者", "intern"),
    (r"特约\s*记者", "correspondent"),
    (r"(?:本报\s*)?(?:首席|融媒体?|全媒体)?\s*记者", "reporter"),
    (r"(?:本报|特约)?\s*通讯员", "correspondent"),
    (r"实习生", "intern"),
    (r"摄影", "photographer"),
]
ROLE = re.compile("|".join(f"(?:{pattern})" for pattern, _role in ROLE_WORDS))
ROLE_BY_WORD = [(re.compile(pattern), role) for pattern, role in ROLE_WORDS]
# 文/图 and 图/文: the named people wrote the story and took its photos.
TEXT_AND_PHOTO = re.compile(r"[文图]\s*[/／]\s*[图文]")
# A lone 摄 after names: "记者 李明 摄" credits a photo.
PHOTO_CREDIT = re.compile(r"摄(?=[\s)）]|$)")
NAME_SEPARATOR = re.compile(r"\s+|[、，]\s*|[：:]\s*")
NAME_BODY = rf"(?:[{CJK}]{{1,8}}(?:[·•・][{CJK}]{{1,8}})+|[{CJK}]{{2,4}}?)"

DEFAULT_ROLE = "reporter"


@dataclass
class Byline:
    role: str  # "reporter" | "correspondent" | "intern" | "photographer"
    name: str


@dataclass
class Story:
    kicker: str = ""
    headline: str = ""
    subheadline: str = ""
    dateline: str = ""
    bylines: list[Byline] = field(default_factory=list)
    text_and_photo: bool = False
    paragraphs: list[str] = field(default_factory=list)
    # Role words, 文/图, separators and brackets as they were printed around the
    # names; not part of the story, but kept so that every character of the page
    # can be accounted for.
    byline_markers: list[str] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict:
        return {
            "kicker": self.kicker,
            "headline": self.headline,
            "subheadline": self.subheadline,
            "dateline": self.dateline,
            "bylines": [{"role": b.role, "name": b.name} for b in self.bylines],
            "text_and_photo": self.text_and_photo,
            "paragraphs": list(self.paragraphs),
        }


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


# --- Bylines -------------------------------------------------------------------


@dataclass
class _BylineParse:
    bylines: list[Byline]
    markers: list[str]
    text_and_photo: bool


def parse_byline(text: str, *, inside_brackets: bool = False) -> _BylineParse | None:
    """Read `记者 张改华 通讯员 吕杨子` and its variants, or return None when the text
    is anything else. On a line of its own a role word must be followed by a space, so
    that a heading such as 记者走基层 is not taken for a byline; inside the dateline's
    brackets (本报讯（记者李明）) it need not be."""
    bylines: list[Byline] = []
    markers: list[str] = []
    text_and_photo = False
    role: str | None = None
    role_has_names = False
    names_since_role: list[Byline] = []
    has_role_or_mark = False

    role_token, name_token = _BRACKET_TOKENS if inside_brackets else _LINE_TOKENS
    position = 0
    text = text.strip()
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
        elif match := name_token.match(text, position):
            byline = Byline(role=role or DEFAULT_ROLE, name=match.group(0))
            bylines.append(byline)
            names_since_role.append(byline)
            role_has_names = True
        else:
            return None
        position = match.end()
    if not bylines or not has_role_or_mark:
        return None
    return _BylineParse(bylines=bylines, markers=markers, text_and_photo=text_and_photo)


def _byline_tokens(*, inside_brackets: bool) -> tuple[re.Pattern, re.Pattern]:
    after_role = "" if inside_brackets else r"(?=\s|[：:]|$)"
    name_end = rf"\s|[、，：:]|$|{TEXT_AND_PHOTO.pattern}"
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


# --- Page structure --------------------------------------------------------------


class _Page:
    """The page's non-blank lines, each classified once: the story finder looks
    ahead from every line."""

    def __init__(self, raw_lines: list[str]) -> None:
        # Punctuation is normalised per line to classify lines, but paragraphs are
        # normalised again once joined: a column break can cut a mark off its
        # Chinese neighbour. Normalising keeps lengths, so positions agree.
        self.raw_lines = raw_lines
        self.lines = lines = [normalise_punctuation(line) for line in raw_lines]
        self.bylines = [parse_byline(line) for line in lines]
        self.is_dateline = [DATELINE.match(line) is not None for line in lines]
        self.is_heading = [
            len(line) <= HEADING_MAX_CHARS
            and not _is_finished(line)
            and line[0] not in CLOSING_MARKS
            and "。" not in line
            and "；" not in line
            and not is_dateline
            and byline is None
            for line, is_dateline, byline in zip(lines, self.is_dateline, self.bylines, strict=True)
        ]

    def is_paragraph(self, index: int) -> bool:
        return self.bylines[index] is None and not self.is_heading[index]


@dataclass
class _StoryStart:
    headings: list[str]
    byline_indexes: list[int]
    body_start: int  # index of the dateline or first paragraph line


def _story_starts_at(page: _Page, index: int, *, needs_dateline: bool) -> _StoryStart | None:
    """Does a story begin at `index`? Headings (one to three), maybe bylines, then a
    dateline; or a plain paragraph instead of the dateline where `needs_dateline` is
    false or bylines sit under the headings. Inside a story a short unfinished line
    followed by a paragraph is a column-broken fragment or a subhead, not a new story."""
    if page.is_dateline[index]:
        return _StoryStart(headings=[], byline_indexes=[], body_start=index)
    position = index
    while position < len(page.lines) and page.is_heading[position]:
        position += 1
    headings = page.lines[index:position]
    if not headings or len(headings) > MAX_HEADING_LINES:
        return None
    byline_start = position
    while position < len(page.lines) and page.bylines[position] is not None:
        position += 1
    byline_indexes = list(range(byline_start, position))
    if position >= len(page.lines):
        return None
    if page.is_dateline[position]:
        return _StoryStart(headings, byline_indexes, position)
    if not page.is_paragraph(position) or (needs_dateline and not byline_indexes):
        return None
    return _StoryStart(headings, byline_indexes, position)


def parse_page(text: str) -> ParsedPage:
    lines = (line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    page = _Page([line for line in lines if line])
    stories: list[Story] = []
    unplaced: list[str] = []
    story: Story | None = None
    story_ended = False  # a byline block closed the story
    # A byline block may run over several lines; anything unplaced after it ends it.
    byline_block_open = False

    index = 0
    while index < len(page.lines):
        byline = page.bylines[index]
        if story is None or story_ended:
            start = _story_starts_at(page, index, needs_dateline=False)
        elif byline is None:
            last_paragraph = normalise_punctuation(story.paragraphs[-1]) if story.paragraphs else ""
            if last_paragraph.endswith(tuple(MID_SENTENCE_MARKS)) and not page.is_dateline[index]:
                start = None  # `…，` goes on; only a dateline can interrupt it
            else:
                start = _story_starts_at(page, index, needs_dateline=True)
        else:
            start = None

        if start is not None:
            story = _begin_story(page, start)
            stories.append(story)
            story_ended = byline_block_open = False
            index = start.body_start + 1
            continue

        raw_line = page.raw_lines[index]
        index += 1
        if story is None or (story_ended and not (byline and byline_block_open)):
            unplaced.append(raw_line)
            byline_block_open = False
        elif byline is not None:
            _add_byline(story, byline)
            story_ended = byline_block_open = True
        elif story.paragraphs and not _is_finished(normalise_punctuation(story.paragraphs[-1])):
            # The paragraph stopped mid-sentence at the foot of a column.
            story.paragraphs[-1] = _join_fragments(story.paragraphs[-1], raw_line)
        else:
            story.paragraphs.append(raw_line)
    for story in stories:
        story.paragraphs = [normalise_punctuation(paragraph) for paragraph in story.paragraphs]
    return ParsedPage(stories=stories, unplaced=unplaced)


def _begin_story(page: _Page, start: _StoryStart) -> Story:
    story = Story()
    headings = start.headings
    if len(headings) == 3:
        story.kicker, story.headline, story.subheadline = headings
    elif len(headings) == 2:
        story.headline, story.subheadline = headings
    elif headings:
        story.headline = headings[0]
    for index in start.byline_indexes:
        _add_byline(story, page.bylines[index])

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
    else:
        story.paragraphs.append(raw_first_line)
    return story


def _add_byline(story: Story, byline: _BylineParse) -> None:
    story.bylines.extend(byline.bylines)
    story.byline_markers.extend(byline.markers)
    story.text_and_photo = story.text_and_photo or byline.text_and_photo
