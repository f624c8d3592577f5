"""From a PDF page's text lines to the print parser's text, and from stories back to zones.

Pure Python (no Django), like the parser. The lines come from pdfworker.text_lines(): in the
order the layout program wrote them, each with its box relative to the page ([x0, top, x1,
bottom] in 0..1) and its font size (relative to the page's height).

1. `paragraphs()` joins the lines of a paragraph again as typesetting shows them: a paragraph
   goes on while the line is full to its column's edge and the next line, of the same size,
   is not indented and follows it (below, or at the head of the next column); a change of
   size (a heading), an indent, a short line that finishes a sentence, or a jump elsewhere
   ends it. The result is one paragraph a line, as a page copied from an e-paper: the text
   the print parser reads (articles/printimport/parser.py), so that a PDF import gives the
   stories of a text import of the same page.
2. `assign()` says which story each paragraph went to, by the character pairs they share.
3. `story_polygons()` draws a story's zone: its lines in runs down a column, each run the
   union of its line boxes (a staircase that follows a story round a photo), one polygon
   per column, so a story across columns is covered without covering its neighbours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SENTENCE_END = "。！？…；：”’）」』》!?."
# Characters that say what a line is (CJK, letters, digits); punctuation and spaces differ
# between the PDF and the parser's output (normalised marks, joined lines) and are ignored.
MEANINGFUL = re.compile(r"[\w\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# A line's end this many characters short of its column's edge is snapped to it.
SNAP_EMS = 4.0
# Share of a paragraph's character pairs a story must hold to claim it.
MIN_SCORE = 0.5


@dataclass
class Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # relative to the page height
    aspect: float  # page height / width, to turn sizes into widths

    @classmethod
    def of(cls, data: dict, aspect: float) -> Line:
        x0, top, x1, bottom = data["box"]
        return cls(data["text"], x0, top, x1, bottom, data["size"], aspect)

    @property
    def em_x(self) -> float:
        """One character's width, relative to the page width."""
        return self.size * self.aspect


def lines_of(data: Iterable[dict], aspect: float) -> list[Line]:
    return [Line.of(d, aspect) for d in data]


def _same_size(a: Line, b: Line) -> bool:
    return abs(a.size - b.size) <= 0.08 * max(a.size, b.size)


def _overlap_x(a: Line, b: Line) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 0


def _column(lines: Sequence[Line], index: int, reach: int = 4) -> tuple[float, float]:
    """Left and right edge of the column `lines[index]` is set in: its neighbours in reading
    order of the same size that share some of its width."""
    line = lines[index]
    left, right = line.x0, line.x1
    for other in lines[max(0, index - reach) : index + reach + 1]:
        if _same_size(line, other) and _overlap_x(line, other):
            left, right = min(left, other.x0), max(right, other.x1)
    return left, right


def _follows(a: Line, b: Line) -> bool:
    """b is where a paragraph goes on after a: the next line down, or the head of the next
    column (up and to the right)."""
    gap = b.top - a.bottom
    if _overlap_x(a, b) and -0.3 * a.size <= gap < 1.2 * a.size:
        return True
    return b.top < a.top and b.x0 >= a.x1 - a.em_x


def paragraphs(lines: Sequence[Line]) -> list[list[int]]:
    """Indexes of `lines`, grouped into paragraphs (and headings), in reading order."""
    groups: list[list[int]] = []
    for index in range(len(lines)):
        if groups and _continues(lines, index - 1, index):
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups


def _continues(lines: Sequence[Line], before: int, after: int) -> bool:
    a, b = lines[before], lines[after]
    if not _same_size(a, b) or not _follows(a, b):
        return False
    left_b, _right_b = _column(lines, after)
    if b.x0 - left_b > 0.8 * b.em_x:
        return False  # indented: a new paragraph (or a byline set apart)
    _left_a, right_a = _column(lines, before)
    is_full = right_a - a.x1 < 0.8 * a.em_x
    return is_full or not a.text.rstrip().endswith(tuple(SENTENCE_END))


def join(texts: Iterable[str]) -> str:
    """Lines of one paragraph as one: Chinese joins directly, Latin words with a space."""
    out = ""
    spaced = False
    for raw in texts:
        text = raw.strip()
        if not text:
            spaced = True
            continue
        spaced = spaced or raw[:1].isspace()
        latin = re.match(r"[A-Za-z0-9]", text[:1]) and re.search(r"[A-Za-z0-9,.]$", out)
        if out and (spaced or latin):
            out += " "
        out += text
        spaced = raw[-1:].isspace()
    return out


def page_text(lines: Sequence[Line], groups: Sequence[Sequence[int]]) -> str:
    return "\n".join(join(lines[i].text for i in group) for group in groups)


def pairs(text: str) -> set[str]:
    chars = "".join(MEANINGFUL.findall(text))
    return {chars[i : i + 2] for i in range(len(chars) - 1)} or ({chars} if chars else set())


def story_pairs(story) -> set[str]:
    """Character pairs of everything printed of a parsed story (articles.printimport.parser.Story)."""
    parts = [story.kicker, story.headline, story.subheadline, story.dateline, *story.paragraphs]
    parts += [b.name for b in story.bylines] + [c.name for c in story.credits]
    parts += list(story.byline_markers)
    found: set[str] = set()
    for part in parts:
        found |= pairs(part)
    # Bylines are printed as role words and names together (记者 张三 通讯员 李四).
    found |= pairs("".join(story.byline_markers) + "".join(b.name for b in story.bylines))
    return found


def assign(paragraph_texts: Sequence[str], stories: Sequence) -> list[int | None]:
    """For each paragraph of the page, the index of the story it belongs to (None: none).

    A paragraph goes to the story holding most of its character pairs; one that no story
    holds enough of (a byline printed with its role words, a stray mark) stays with the
    story before it."""
    story_sets = [story_pairs(story) for story in stories]
    found: list[int | None] = []
    previous: int | None = None
    for text in paragraph_texts:
        mine = pairs(text)
        best, best_score = None, 0.0
        for number, theirs in enumerate(story_sets):
            score = len(mine & theirs) / len(mine) if mine else 0.0
            if score > best_score or (score == best_score and number == previous):
                best, best_score = number, score
        chosen = best if best_score >= MIN_SCORE and len(mine) > 1 else previous
        found.append(chosen)
        previous = chosen if chosen is not None else previous
    return found


def _runs(lines: Sequence[Line]) -> list[list[Line]]:
    """A story's lines (reading order) in runs down one column."""
    runs: list[list[Line]] = []
    for line in lines:
        if runs:
            last = runs[-1][-1]
            gap = line.top - last.bottom
            if _overlap_x(last, line) and -0.3 * last.size <= gap < 2.5 * max(last.size, line.size):
                runs[-1].append(line)
                continue
        runs.append([line])
    return runs


def _staircase(run: Sequence[Line], pad_y: float) -> list[list[float]]:
    """The outline of the union of a run's line boxes, the gaps between lines filled: down
    the right edges, back up the left ones."""
    rows = []
    # Indents, short last lines and flush-right bylines are snapped to the run's edges, so
    # a zone has a few corners; a photo beside the text is wider than this and stays out.
    left_edge, right_edge = min(line.x0 for line in run), max(line.x1 for line in run)
    for number, line in enumerate(run):
        pad_x = 0.15 * line.em_x
        snap = SNAP_EMS * line.em_x
        x0 = left_edge if line.x0 - left_edge < snap else line.x0
        x1 = right_edge if right_edge - line.x1 < snap else line.x1
        top = line.top - pad_y if number == 0 else rows[-1][1]
        bottom = run[number + 1].top if number + 1 < len(run) else line.bottom + pad_y
        bottom = max(bottom, line.bottom)
        rows.append([top, bottom, x0 - pad_x, x1 + pad_x])
    points = []
    for top, bottom, _left, right in rows:
        points += [[right, top], [right, bottom]]
    for top, bottom, left, _right in reversed(rows):
        points += [[left, bottom], [left, top]]
    return _simplify([[_clamp(x), _clamp(y)] for x, y in points])


def _clamp(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 5)


def _simplify(points: list[list[float]]) -> list[list[float]]:
    """Drop repeated points and points in the middle of a straight edge."""
    kept: list[list[float]] = []
    for point in points:
        if kept and kept[-1] == point:
            continue
        if len(kept) >= 2:
            (ax, ay), (bx, by) = kept[-2], kept[-1]
            if (ax == bx == point[0]) or (ay == by == point[1]):
                kept[-1] = point
                continue
        kept.append(point)
    if len(kept) > 1 and kept[0] == kept[-1]:
        kept.pop()
    return kept


def story_polygons(lines: Sequence[Line]) -> list[list[list[float]]]:
    """The polygons that together cover a story's lines (one per run down a column)."""
    polygons = []
    for run in _runs(lines):
        pad_y = 0.15 * min(line.size for line in run)
        polygon = _staircase(run, pad_y)
        if len(polygon) >= 3:
            polygons.append(polygon)
    return polygons


def contains(polygon: Sequence[Sequence[float]], x: float, y: float) -> bool:
    """Is (x, y) inside the polygon (even-odd rule)?"""
    inside = False
    count = len(polygon)
    for i in range(count):
        x1, y1 = polygon[i]
        x2, y2 = polygon[(i + 1) % count]
        if (y1 > y) != (y2 > y):
            crossing = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < crossing:
                inside = not inside
    return inside


@dataclass
class PageReading:
    """What a page's text layer says: its text for the parser and, per paragraph, its lines."""

    lines: list[Line]
    groups: list[list[int]]
    text: str

    @classmethod
    def of(cls, data: Iterable[dict], aspect: float) -> PageReading:
        lines = lines_of(data, aspect)
        groups = paragraphs(lines)
        return cls(lines, groups, page_text(lines, groups))

    def zones(self, stories: Sequence) -> list[tuple[int, list[list[float]]]]:
        """[(story index, polygon)] for the stories found on the page."""
        owners = assign([join(self.lines[i].text for i in g) for g in self.groups], stories)
        by_story: dict[int, list[Line]] = {}
        for group, owner in zip(self.groups, owners, strict=True):
            if owner is not None:
                by_story.setdefault(owner, []).extend(self.lines[i] for i in group)
        return [
            (owner, polygon)
            for owner in sorted(by_story)
            for polygon in story_polygons(by_story[owner])
        ]
