"""Lay out stories as a newspaper page PDF (reportlab), knowing where every line went.

Used by the demo loader (the sample page as a PDF), the tests (pages whose true story regions
are known) and bench/print_pdf.py. Text is set in Adobe's STSong-Light CID font, which
reportlab names without embedding (viewers and pdfium use a system CJK font), so no font
file is needed; lines are justified, paragraphs indented two characters, bylines set flush
right, and body text flows from frame to frame (column to column), shortened beside photos.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

FONT = "STSong-Light"
BODY_SIZE = 9.0
LEADING = 1.5
HEADING_SIZES = {"kicker": 11.0, "headline": 18.0, "subheadline": 12.0}
PHOTO_GAP = 6.0


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def width_of(text: str, size: float) -> float:
    from reportlab.pdfbase import pdfmetrics

    _register_font()
    return pdfmetrics.stringWidth(text, FONT, size)


@dataclass
class Rect:
    x0: float
    top: float
    x1: float
    bottom: float

    def overlaps_rows(self, top: float, bottom: float) -> bool:
        return top < self.bottom and bottom > self.top


@dataclass
class SampleStory:
    """A story as the text import knows it: headings, paragraphs (the first may open with a
    dateline) and a byline line."""

    headline: str
    paragraphs: list[str]
    kicker: str = ""
    subheadline: str = ""
    byline: str = ""

    def text_lines(self) -> list[str]:
        lines = [t for t in (self.kicker, self.headline, self.subheadline) if t]
        return lines + list(self.paragraphs) + ([self.byline] if self.byline else [])


@dataclass
class DrawnLine:
    story: int
    text: str
    size: float
    x0: float
    top: float
    x1: float

    @property
    def bottom(self) -> float:
        return self.top + self.size


@dataclass
class Flow:
    """Frames (columns or parts of them) filled top to bottom, one after the other."""

    frames: list[Rect]
    photos: list[Rect] = field(default_factory=list)
    frame: int = 0
    y: float | None = None

    def _span(self, top: float, bottom: float) -> tuple[float, float]:
        rect = self.frames[self.frame]
        x0, x1 = rect.x0, rect.x1
        for photo in self.photos:
            if photo.overlaps_rows(top, bottom) and photo.x0 < x1 and photo.x1 > x0:
                if photo.x0 - x0 >= x1 - photo.x1:
                    x1 = min(x1, photo.x0 - PHOTO_GAP)
                else:
                    x0 = max(x0, photo.x1 + PHOTO_GAP)
        return x0, x1

    def next_line(self, size: float) -> tuple[float, float, float]:
        """(x0, x1, top) of the next line of this size, moving to the next frame if needed."""
        while True:
            rect = self.frames[self.frame]
            top = rect.top if self.y is None else self.y
            if top + size <= rect.bottom:
                x0, x1 = self._span(top, top + size * LEADING)
                if x1 - x0 >= size * 2:
                    self.y = top + size * LEADING
                    return x0, x1, top
                self.y = top + size * LEADING  # beside a photo too wide: skip the row
                continue
            if self.frame + 1 >= len(self.frames):
                raise ValueError("the text does not fit its frames")
            self.frame += 1
            self.y = None

    def skip(self, space: float) -> None:
        if self.y is not None:
            self.y += space


class Page:
    def __init__(self, width: float = 595.0, height: float = 842.0):
        self.width, self.height = width, height
        self.lines: list[DrawnLine] = []
        self.photos: list[Rect] = []

    def set_text(self, flow: Flow, story: int, text: str, size: float, *, indent=0, right=False):
        """Set a paragraph: justified lines, the first indented `indent` characters."""
        rest = text
        first = True
        while rest:
            x0, x1, top = flow.next_line(size)
            start = x0 + (indent * size if first else 0)
            count = 1
            while count < len(rest) and width_of(rest[: count + 1], size) <= x1 - start:
                count += 1
            # Chinese typesetting keeps closing marks off the start of a line.
            while count < len(rest) and rest[count] in "，。、！？；：”’）》" and count > 1:
                count -= 1
            piece, rest = rest[:count], rest[count:]
            natural = width_of(piece, size)
            if right:
                start = x1 - natural
            self.lines.append(
                DrawnLine(
                    story, piece, size, start, top, x1 if rest and not right else start + natural
                )
            )
            first = False

    def set_story(self, flow: Flow, number: int, story: SampleStory) -> None:
        for kind in ("kicker", "headline", "subheadline"):
            text = getattr(story, kind)
            if text:
                self.set_text(flow, number, text, HEADING_SIZES[kind])
        flow.skip(BODY_SIZE * 0.5)
        for paragraph in story.paragraphs:
            self.set_text(flow, number, paragraph, BODY_SIZE, indent=2)
        if story.byline:
            self.set_text(flow, number, story.byline, BODY_SIZE, right=True)
        flow.skip(BODY_SIZE * 1.5)

    def add_photo(self, rect: Rect) -> Rect:
        self.photos.append(rect)
        return rect

    def draw(self, canvas) -> None:
        canvas.setPageSize((self.width, self.height))
        for photo in self.photos:
            canvas.setFillColorRGB(0.55, 0.62, 0.7)
            canvas.rect(
                photo.x0,
                self.height - photo.bottom,
                photo.x1 - photo.x0,
                photo.bottom - photo.top,
                stroke=0,
                fill=1,
            )
        canvas.setFillColorRGB(0, 0, 0)
        for line in self.lines:
            text = canvas.beginText()
            text.setFont(FONT, line.size)
            natural = width_of(line.text, line.size)
            spare = (line.x1 - line.x0) - natural
            if len(line.text) > 1 and spare > 0.01:
                text.setCharSpace(spare / (len(line.text) - 1))
            text.setTextOrigin(line.x0, self.height - line.top - line.size * 0.86)
            text.textOut(line.text)
            canvas.drawText(text)
        canvas.showPage()


def columns(page: Page, count: int, *, margin=28.0, gutter=12.0, top=40.0, bottom=None):
    """The page's columns as frames."""
    bottom = bottom or page.height - margin
    width = (page.width - 2 * margin - gutter * (count - 1)) / count
    return [
        Rect(margin + i * (width + gutter), top, margin + i * (width + gutter) + width, bottom)
        for i in range(count)
    ]


def pdf_bytes(pages: list[Page], title: str = "") -> bytes:
    from reportlab.pdfgen import canvas as pdf_canvas

    _register_font()
    out = io.BytesIO()
    canvas = pdf_canvas.Canvas(out, pagesize=(pages[0].width, pages[0].height))
    if title:
        canvas.setTitle(title)
    for page in pages:
        page.draw(canvas)
    canvas.save()
    return out.getvalue()


def flowing_page(stories: list[SampleStory], *, width=842.0, height=1190.0, cols=6) -> Page:
    """A page with the stories one after another down its columns (the demo's layout)."""
    _register_font()
    page = Page(width, height)
    flow = Flow(columns(page, cols))
    for number, story in enumerate(stories):
        page.set_story(flow, number, story)
    return page


def page_text(stories: list[SampleStory]) -> str:
    """The same stories as a text import reads them (one paragraph a line)."""
    return "\n".join(line for story in stories for line in story.text_lines()) + "\n"


def story_from_parsed(story) -> SampleStory:
    """A parsed story (articles.printimport.parser.Story) laid out again."""
    dateline = story.dateline
    paragraphs = list(story.paragraphs)
    if dateline and paragraphs:
        paragraphs[0] = f"{dateline}　{paragraphs[0]}"
    byline = " ".join(f"{ROLE_WORDS.get(b.role, '')} {b.name}".strip() for b in story.bylines)
    return SampleStory(
        headline=story.headline,
        kicker=story.kicker,
        subheadline=story.subheadline,
        paragraphs=paragraphs,
        byline=byline,
    )


ROLE_WORDS = {"reporter": "记者", "correspondent": "通讯员", "intern": "实习生", "photographer": ""}
