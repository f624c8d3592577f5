"""One Aho-Corasick automaton over every listed word, and what a hit is (no Django here).

The automaton (pyahocorasick, C) holds the skeleton (`wordcheck.text.fold`) of every term,
every short or wrong form of a fixed formulation, every fixed formulation in full and every
exception. One pass over a text's skeleton finds them all; then:

- a hit inside an exception (a longer word that contains a listed word but is fine) goes;
- a short or wrong form inside the full formulation it belongs to goes (the full name
  contains its short name);
- a fixed formulation found in full is a hit only when it was not written exactly as listed
  (characters in between, traditional characters, another width);
- a listed word that starts or ends with a letter of an alphabetic script (English house
  style) counts only on word boundaries.

A `Matcher` pickles, so one build serves every worker through the cache (wordcheck.lists).

The automaton runs over UTF-8 bytes (spelled as a Latin-1 string, since this build of
pyahocorasick takes str): its trie keeps each node's edges in a list it searches one by one,
and with Chinese keys the root would have thousands of edges, one search per character of
the text (17 ms for 10,000 characters against 5,000 words; 0.3 ms over bytes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from wordcheck.text import fold, is_boundary_char, needs_boundaries, skeleton

# What a pattern in the automaton stands for.
TERM = "term"  # the listed word itself (banned, sensitive, common mistake)
VARIANT = "variant"  # a short or wrong form of a fixed formulation
INEXACT = "inexact"  # a fixed formulation, found in full but not written exactly
EXCEPTION = "exception"
FULL = "full"  # internal: a fixed formulation in full


def as_bytes(text: str) -> str:
    """`text` as UTF-8, one Latin-1 character a byte."""
    return text.encode("utf-8").decode("latin-1")


def char_offsets(encoded: str, offsets: Iterable[int]) -> dict[int, int]:
    """{byte offset: character offset} for offsets at character boundaries of `encoded`
    (as from as_bytes), decoding each stretch between two of them once."""
    result: dict[int, int] = {}
    byte_at = char_at = 0
    for offset in sorted(set(offsets)):
        char_at += len(encoded[byte_at:offset].encode("latin-1").decode("utf-8"))
        byte_at = offset
        result[offset] = char_at
    return result


@dataclass(frozen=True)
class EntrySpec:
    """What the matcher needs of a listed entry (built from wordcheck.models.Entry)."""

    id: int
    category: str
    term: str
    replacement: str = ""
    note: str = ""
    variants: tuple[str, ...] = ()
    list_name: str = ""
    is_exception: bool = False
    is_fixed: bool = False
    # A desk's own entry: its hits count on that desk's items only (None: everywhere).
    desk_id: int | None = None


@dataclass(frozen=True)
class Match:
    """A hit: [start, end) in the text given to Matcher.find()."""

    start: int
    end: int
    entry: EntrySpec
    kind: str  # TERM, VARIANT or INEXACT

    @property
    def suggestion(self) -> str:
        if self.kind in (VARIANT, INEXACT):
            return self.entry.term
        return self.entry.replacement


class Matcher:
    """All the lists of one version, compiled."""

    def __init__(self, entries: Iterable[EntrySpec], version: int = 0):
        self.version = version
        self.entries: list[EntrySpec] = list(entries)
        patterns: dict[str, list[tuple[int, str]]] = {}
        for index, entry in enumerate(self.entries):
            forms = [
                (entry.term, EXCEPTION if entry.is_exception else FULL if entry.is_fixed else TERM)
            ]
            forms += [(variant, VARIANT) for variant in entry.variants]
            for text, kind in forms:
                key = skeleton(text)
                if key:
                    patterns.setdefault(key, []).append((index, kind))
        self.automaton = ahocorasick.Automaton()
        for key, refs in patterns.items():
            encoded = as_bytes(key)
            self.automaton.add_word(
                encoded,
                (len(encoded), needs_boundaries(key[0]), needs_boundaries(key[-1]), tuple(refs)),
            )
        self.size = len(patterns)
        if patterns:
            self.automaton.make_automaton()

    def find(self, text: str) -> list[Match]:
        """Every hit in `text`, in order, with offsets into `text` itself."""
        if not self.size or not text:
            return []
        folded = fold(text)
        sk = folded.skeleton
        if not sk:
            return []
        last = len(sk) - 1
        found: list[tuple[int, int, int, str]] = []
        exceptions: list[tuple[int, int]] = []
        full: dict[int, list[tuple[int, int]]] = {}
        encoded = as_bytes(sk)
        raw = [
            (end + 1 - length, end + 1, value)
            for end, (length, *value) in self.automaton.iter(encoded)
        ]
        if not raw:
            return []
        if encoded.isascii():
            to_char = None
        else:
            to_char = char_offsets(encoded, [offset for a, b, _v in raw for offset in (a, b)])
        for byte_start, byte_end, (start_bound, end_bound, refs) in raw:
            if to_char is None:
                start, end = byte_start, byte_end - 1
            else:
                start, end = to_char[byte_start], to_char[byte_end] - 1
            if start_bound and start > 0 and not is_boundary_char(sk[start - 1]):
                continue
            if end_bound and end < last and not is_boundary_char(sk[end + 1]):
                continue
            for index, kind in refs:
                if kind == EXCEPTION:
                    exceptions.append((start, end + 1))
                else:
                    if kind == FULL:
                        full.setdefault(index, []).append((start, end + 1))
                    found.append((start, end + 1, index, kind))
        if not found:
            return []

        def covered(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
            return any(x <= a and b <= y for x, y in spans)

        matches: list[Match] = []
        taken_until: dict[tuple[int, str], int] = {}
        for a, b, index, kind in sorted(found):
            entry = self.entries[index]
            if exceptions and covered(a, b, exceptions):
                continue
            if kind == VARIANT and covered(a, b, full.get(index, [])):
                continue
            # Overlapping occurrences of one word (哈哈 in 哈哈哈) are one hit.
            if taken_until.get((index, kind), -1) > a:
                continue
            taken_until[(index, kind)] = b
            start, stop = folded.span(a, b)
            if kind == FULL:
                if text[start:stop] == entry.term:
                    continue
                kind = INEXACT
            matches.append(Match(start, stop, entry, kind))
        return matches
