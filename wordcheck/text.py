"""Text as the check sees it, with a map back to the text as written (pure Python, no Django).

`fold(text)` returns the *skeleton* the automaton runs over, and maps every skeleton offset
back to the original string, so that each hit is reported where the writer put it:

- each character is normalised the way the search engine does it (`newsroom.search.tokens
  .normalise`: NFKC, so full-width ＡＢＣ１２３ are ABC123, then lowercase), Latin accents are
  dropped (an accent typed as a combining mark must not hide a word), and traditional
  characters become simplified ones (OpenCC's t2s table, character by character so that
  positions stay put);
- invisible characters (zero-width spaces and joiners, soft hyphens, variation selectors,
  combining marks) are dropped everywhere;
- any other run of non-word characters (spaces, punctuation, symbols, emoji, line breaks) is
  dropped too, except between two letters or digits of an alphabetic script, where it becomes
  one space: Chinese has no spaces, so 敏 感、词 is 敏感词, while English words keep their
  boundaries (a lot is not alot).

Listed words go through the same `fold()`, so whatever the text does to a word, the word
does to itself. `html_text(markup)` gives the text of sanitised rich text with a map back to
the markup.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from newsroom.search.tokens import CJK_CLASS, normalise

ZERO_WIDTH = "\x00"  # what invisible characters become before the separators are folded

_CJK = re.compile(f"[{CJK_CLASS}]")
_WORD_CHAR = re.compile(r"[^\W_]")
# Invisible characters outside the BMP table: tags and the variation selectors supplement.
_ASTRAL_INVISIBLE = [(0xE0000, 0xE01F0)]
# OpenCC's t2s is consulted for these blocks (CJK ideographs and their extensions).
_HAN_RANGES = [(0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x323B0)]


def _is_latin(char: str) -> bool:
    return char < "\u0250" or "\u1e00" <= char <= "\u1eff"


def traditional_to_simplified() -> dict[str, str]:
    """OpenCC's t2s, one character at a time: {traditional: simplified} for every Han
    character it changes. Built once per process (about 50 ms)."""
    import opencc

    chars = [chr(code) for start, end in _HAN_RANGES for code in range(start, end)]
    # One call: each character alone on its line, so no phrase joins two of them.
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # a future OpenCC that joins lines: give up on it
        return {}
    return {c: s for c, s in zip(chars, converted, strict=True) if c != s and len(s) == 1}


def _fold_char(char: str, t2s: dict[str, str]) -> str:
    folded = normalise(char)
    if any(_is_latin(c) for c in folded):
        # Accents go: a word typed with a combining accent (dropped as invisible) must match.
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(t2s.get(c, c) for c in folded)


@lru_cache(maxsize=1)
def fold_table() -> dict[str, str]:
    """{character: folded form} for every character of already lowercased text that folds
    to something else, leaving out separators that fold to separators (they are dropped
    anyway). Built once per process."""
    t2s = traditional_to_simplified()
    table: dict[str, str] = {}
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000 or 0x4E00 <= code < 0xA000 or 0xAC00 <= code < 0xD7A4:
            continue  # surrogates; ideographs and hangul fold only through t2s (below)
        char = chr(code)
        category = unicodedata.category(char)
        if category in ("Cf", "Mn", "Me"):
            table[char] = ZERO_WIDTH
        elif category == "Cc" or char == "_":
            table[char] = " "  # they separate, and \x00 and \x01 are the fold's own marks
        else:
            folded = _fold_char(char, t2s)
            if folded != char and (char.isalnum() or _WORD_CHAR.search(folded)):
                table[char] = folded or ZERO_WIDTH
    table.update(t2s)
    for start, end in _ASTRAL_INVISIBLE:
        table.update((chr(code), ZERO_WIDTH) for code in range(start, end))
    for code in range(0x2F800, 0x2FA20):  # CJK compatibility supplement: NFKC maps them
        folded = _fold_char(chr(code), t2s)
        if folded != chr(code):
            table[chr(code)] = folded
    return table


class OffsetMap:
    """Maps offsets of a derived string back to its source, piece by piece.

    Each piece starts at `derived[i]` in the derived string and at `source[i]` in the source;
    a linear piece maps character for character, any other piece maps whole onto
    source[i]..ends[i] (an entity, a separator, a character that NFKC expanded)."""

    __slots__ = ("derived", "source", "ends", "linear")

    def __init__(self):
        self.derived: list[int] = []
        self.source: list[int] = []
        self.ends: list[int] = []
        self.linear: list[bool] = []

    def add(self, derived: int, source: int, end: int, linear: bool) -> None:
        self.derived.append(derived)
        self.source.append(source)
        self.ends.append(end)
        self.linear.append(linear)

    def start(self, offset: int) -> int:
        i = bisect_right(self.derived, offset) - 1
        if i < 0:
            return 0
        if self.linear[i]:
            return self.source[i] + (offset - self.derived[i])
        return self.source[i]

    def end(self, offset: int) -> int:
        """The source offset just after derived character `offset - 1`."""
        i = bisect_right(self.derived, offset - 1) - 1
        if i < 0:
            return 0
        if self.linear[i]:
            return self.source[i] + (offset - 1 - self.derived[i]) + 1
        return self.ends[i]


@lru_cache(maxsize=1)
def _fold_keys() -> frozenset[str]:
    return frozenset(fold_table())


@lru_cache(maxsize=1)
def _expanding_keys() -> frozenset[str]:
    """Characters that fold to several (ﬁ → fi): their text takes the slow path."""
    return frozenset(c for c, folded in fold_table().items() if len(folded) != 1)


@lru_cache(maxsize=1)
def _ordinal_table() -> dict[int, str]:
    return {ord(c): folded for c, folded in fold_table().items()}


@lru_cache(maxsize=1)
def _bmp_fold_pattern() -> re.Pattern[str]:
    """The BMP keys of fold_table() as one character class. Kept to the BMP, the class
    compiles to a bitmap and a search costs about 10 ns a character (with characters beyond
    it, the regular expression engine walks a list of ranges for each character)."""
    ranges: list[list[int]] = []
    for code in sorted(ord(c) for c in fold_table() if c <= "\uffff"):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile(
        "["
        + "".join(
            re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
            for a, b in ranges
        )
        + "]"
    )


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _translate(text: str) -> tuple[str, list[int] | None]:
    """Lowercased and folded, character by character, and where the result is longer than
    `text` (ﬁ → fi, ½ → 1⁄2, İ → i̇), the original offset of each of its characters."""
    table = fold_table()
    lowered = text.lower()
    if len(lowered) == len(text):
        # Simplified Chinese and English have few characters to fold: replace just those.
        if not _bmp_fold_pattern().search(lowered) and not _ASTRAL.search(lowered):
            return lowered, None
        present = _fold_keys().intersection(lowered)
        if not present:
            return lowered, None
        if present.isdisjoint(_expanding_keys()):
            if len(present) <= 64:
                for char in present:
                    lowered = lowered.replace(char, table[char])
                return lowered, None
            return lowered.translate(_ordinal_table()), None
    # Rare: some character became several. Fold one at a time to map each back.
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = "".join(table.get(c, c) for c in char.lower())
        pieces.append(piece)
        origin.extend([index] * len(piece))
    return "".join(pieces), origin


# A run of separators between two letters of an alphabetic script with something visible
# in it: it becomes one space. Any other run of separators is dropped. (The fold has made
# every separator a non-word character: "_" is a space by then.)
_LETTER = rf"[^\W{CJK_CLASS}]"
_BOUNDARY = rf"(?<={_LETTER})\x00*[^\w\x00]\W*(?={_LETTER})"
_BOUNDARY_RUN = re.compile(_BOUNDARY)
_KEPT = re.compile(r"[\w\x01]+")
_SEPARATOR = re.compile(r"\W")
_SEPARATOR_SPLIT = re.compile(r"([^\w\x01]+)")
_COMMON_SEPARATORS = "，。、“”‘’：；（）！？《》…—·\n \x00,.:;()!?\"'-/"
_RUN = re.compile(rf"(?P<boundary>{_BOUNDARY})|\W+")


class Folded:
    """A text's skeleton and how to find a span of it in the original text. The map is made
    the first time a span is asked for: most texts have no hit."""

    __slots__ = ("skeleton", "_translated", "_marked", "_origin", "_map")

    def __init__(self, skeleton, translated, marked, origin):
        self.skeleton = skeleton
        self._translated = translated  # folded, separators still there
        self._marked = marked  # the same with each word boundary as one \x01
        self._origin = origin
        self._map = None

    def _build_map(self):
        markers: list[int] = []  # where each boundary's \x01 is in the marked text
        shrink: list[int] = []  # how much shorter the marked text is after it
        if len(self._marked) != len(self._translated):
            shrunk = 0
            for match in _BOUNDARY_RUN.finditer(self._translated):
                a, b = match.span()
                markers.append(a - shrunk)
                shrunk += b - a - 1
                shrink.append(shrunk)
        # Kept runs and separator runs alternate; their lengths give every offset (in C).
        parts = _SEPARATOR_SPLIT.split(self._marked)
        offsets = list(accumulate(map(len, parts), initial=0))
        kept = offsets[0::2]
        starts = list(accumulate(map(len, parts[0::2]), initial=0))
        return markers, shrink, kept, starts

    def _to_translated(self, skeleton_offset: int) -> int:
        markers, shrink, kept, starts = self._map
        run = bisect_right(starts, skeleton_offset) - 1
        marked = kept[run] + skeleton_offset - starts[run]
        before = bisect_left(markers, marked)
        return marked + (shrink[before - 1] if before else 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original [start, end) of skeleton[start:end] (never starting or ending on a
        word boundary)."""
        if self._map is None:
            self._map = self._build_map()
        a, b = self._to_translated(start), self._to_translated(end - 1) + 1
        if self._origin is not None:
            return self._origin[a], self._origin[b - 1] + 1
        return a, b


def fold(text: str) -> Folded:
    """The skeleton of `text` (see the module docstring), able to map back to `text`."""
    translated, origin = _translate(text or "")
    marked = _BOUNDARY_RUN.sub("\x01", translated)
    if "\x01" in marked:
        skeleton = "".join(_KEPT.findall(marked)).replace("\x01", " ")
    else:
        # No word boundary to keep: every separator goes. Chinese text uses a handful of
        # them, and str.replace() is far cheaper than a regular expression over every run.
        skeleton = marked
        for separator in _COMMON_SEPARATORS:
            if separator in skeleton:
                skeleton = skeleton.replace(separator, "")
        if _SEPARATOR.search(skeleton):
            skeleton = "".join(_KEPT.findall(skeleton))
    return Folded(skeleton, translated, marked, origin)


def skeleton(text: str) -> str:
    """fold(text).skeleton: the form a listed word is stored and matched in."""
    return fold(text).skeleton


def is_boundary_char(char: str) -> bool:
    """Does a Latin (or other alphabetic) word stop before/after this skeleton character?"""
    return char == " " or bool(_CJK.match(char))


def needs_boundaries(char: str) -> bool:
    """A word starting or ending with this character matches only on word boundaries."""
    return not _CJK.match(char)


# --- rich text -----------------------------------------------------------------------------------

BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
_MARKUP = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>"  # a tag
    r"|<!--.*?-->"  # a comment (the sanitiser drops them; other writers may not)
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?",
    re.S,
)


@dataclass(frozen=True)
class SourceText:
    """The text a reader sees, and the map from its offsets to the field's stored value."""

    text: str
    _map: OffsetMap | None  # None: the text is the value itself

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self._map is None:
            return start, end
        return self._map.start(start), self._map.end(end)


def plain(value: str) -> SourceText:
    return SourceText(value or "", None)


def html_text(markup: str) -> SourceText:
    """The text of sanitised rich text: tags dropped (block ends become a line break),
    entities decoded; each character maps back to where the markup holds it."""
    markup = markup or ""
    if "<" not in markup and "&" not in markup:
        return SourceText(markup, None)
    mapping = OffsetMap()
    pieces: list[str] = []
    length = 0
    position = 0
    for match in _MARKUP.finditer(markup):
        a, b = match.span()
        if a > position:
            pieces.append(markup[position:a])
            mapping.add(length, position, a, True)
            length += a - position
        token = match.group()
        if token[0] == "&":
            decoded = html.unescape(token)
            if decoded != token:
                pieces.append(decoded)
                mapping.add(length, a, b, False)
                length += len(decoded)
            else:
                pieces.append(token)
                mapping.add(length, a, b, True)
                length += len(token)
        elif match.group(2) and match.group(2).lower() in BLOCK_TAGS:
            pieces.append("\n")
            mapping.add(length, a, b, False)
            length += 1
        position = b
    if position < len(markup):
        pieces.append(markup[position:])
        mapping.add(length, position, len(markup), True)
    return SourceText("".join(pieces), mapping)
