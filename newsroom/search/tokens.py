"""Chinese-aware search tokens for PostgreSQL full-text search (pure Python, no Django).

The method (see shared/research/chinese-search.md): every CJK character is indexed as itself
and as the bigram that starts at it (疫 疫情 情 情防 防 防控 控); Latin/digit runs stay whole
words. A query run of n ≥ 2 CJK characters becomes a phrase over its bigrams with distance 2,
so it matches exactly where the run is a substring of the text.

English stemming: the token string is fed to ``to_tsvector('english', …)``, not ``'simple'``.
The english configuration stems ``asciiword``/``word`` tokens with Snowball and drops English
stop words; Snowball leaves CJK tokens untouched (no Latin suffix to strip), so one call
indexes both, with CJK and Latin positions interleaved. The query side goes through
``to_tsquery('english', %s)``, which stems the Latin lexemes the same way.
``newsroom/search/sql.py`` holds the SQL twin of ``document_tokens`` and the SQL snippets.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

# Characters indexed one by one plus bigrams. Written as regex escapes that mean the same in
# Python `re` and PostgreSQL ARE, because sql.py builds the SQL tokeniser from these strings.
# Kana and hangul are included: Japanese has no spaces, and Korean words carry attached
# particles, so substring matching needs n-grams there too. Bopomofo rides along (Taiwan).
CJK_CLASS = (
    r"\u3005-\u3007"  # 々 〆 〇 (〇 is the zero in 二〇二四年)
    r"\u3041-\u3096\u309d-\u309f"  # hiragana, iteration marks
    r"\u30a1-\u30fa\u30fc-\u30ff"  # katakana and ー (not ・, which is punctuation)
    r"\u3105-\u312f\u31a0-\u31bf"  # bopomofo
    r"\u31f0-\u31ff"  # katakana phonetic extensions
    r"\u1100-\u11ff\u3131-\u318e\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff"  # hangul
    r"\u3400-\u4dbf"  # CJK unified ideographs extension A
    r"\u4e00-\u9fff"  # CJK unified ideographs
    r"\uf900-\ufaff"  # compatibility ideographs (NFKC maps most to unified ones)
    r"\U00020000-\U000323af"  # extensions B–H and the compatibility supplement
)
# Characters that form words: ASCII letters and digits, Latin-1 and Latin Extended-A/B
# letters, Greek and Cyrillic. Everything else (punctuation, symbols, spaces, control
# characters, NUL) separates tokens and is dropped.
WORD_CLASS = (
    r"0-9A-Za-z"
    r"\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
    r"\u0386\u0388-\u03ff"
    r"\u0400-\u0481\u048a-\u04ff"
)

# A token run: a run of CJK characters (group 1) or of word characters (group 2). sql.py
# matches the very same pattern in newsroom_cjk_tokens(), so both sides cut text alike.
TOKEN_PATTERN = f"([{CJK_CLASS}]+)|([{WORD_CLASS}]+)"

_TOKEN_RE = re.compile(TOKEN_PATTERN)
_CJK_RE = re.compile(f"[{CJK_CLASS}]")
_QUOTES_RE = re.compile('["“”「」『』]')

# tsvector positions stop at 16,383 and each CJK character takes two, so phrases cannot match
# beyond about 8,000 characters. Search documents are cut there (the caller cuts, in Python and
# SQL alike); the rare longer article is findable by its first 8,000 characters.
DOCUMENT_MAX_CHARS = 8000
TS_CONFIG = "english"
# Hostile or pasted queries are trimmed, never rejected.
QUERY_MAX_INPUT_CHARS = 400
QUERY_MAX_CHARS = 100
QUERY_MAX_TERMS = 16


# Full-width punctuation and the ellipsis, in nearly every Chinese text, sent NFKC down its
# slow path (2.2 ms for a results page's forty texts, 0.07 ms once they are replaced).
# Replacing a character by its compatibility decomposition first changes nothing in the
# result: NFKC decomposes it so anyway.
_COMMON_COMPATIBILITY = [
    (char, unicodedata.normalize("NFKD", char)) for char in "，：；（）！？％\u3000…"
]


def normalise(text: str) -> str:
    """NFKC (full-width ＡＢＣ１２３，→ ABC123,) then lowercase, as PostgreSQL's
    ``lower(normalize(text, NFKC))`` does it."""
    text = text or ""
    for char, decomposed in _COMMON_COMPATIBILITY:
        if char in text:
            text = text.replace(char, decomposed)
    text = unicodedata.normalize("NFKC", text)
    # Python lowercases Σ by context (ς at a word end) and İ to two characters; PostgreSQL
    # lower() maps one character to one, so do the same to keep the SQL tokeniser identical.
    if "Σ" in text:
        text = text.replace("Σ", "σ")
    if "İ" in text:
        text = text.replace("İ", "i")
    return text.lower()


def document_tokens(text: str) -> str:
    """The space-joined token string for ``to_tsvector('english', …)``.

    ``document_tokens("疫情防控 WiFi！")`` == ``"疫 疫情 情 情防 防 防控 控 wifi"``. The SQL function
    ``newsroom_cjk_tokens`` (sql.py) returns exactly the same string for the same input.
    """
    tokens = []
    for cjk, word in _TOKEN_RE.findall(normalise(text)):
        if len(cjk) > 1:
            # Each character, then the bigram starting at it: c1 c1c2 c2 c2c3 … cn.
            tokens.extend(f"{a} {a}{b}" for a, b in zip(cjk, cjk[1:], strict=False))
            tokens.append(cjk[-1])
        else:
            tokens.append(cjk or word)
    return " ".join(tokens)


def search_document(headline: str, body: str) -> tuple[str, str]:
    """Token strings for the headline (weight A) and the body (cut at DOCUMENT_MAX_CHARS)."""
    return document_tokens(headline or ""), document_tokens((body or "")[:DOCUMENT_MAX_CHARS])


@dataclass(frozen=True)
class ParsedQuery:
    """A user's query made safe.

    ``tsquery`` only ever contains quoted lexemes built from CJK and word characters and the
    operators this module writes; bind it as a parameter: ``to_tsquery('english', %s)``.
    ``needles`` are the normalised strings a snippet highlights. ``candidates`` ANDs the same
    lexemes without phrase distances: a superset of the matches that the GIN index answers
    without reading a single stored vector (sql.TWO_STAGE_SEARCH).
    """

    tsquery: str
    needles: tuple[str, ...]
    candidates: str = ""


def _lexeme(token: str) -> str:
    # Tokens never contain quotes or backslashes (they are separators); escape anyway.
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _phrase(tokens: list[str]) -> tuple[str, list[str]]:
    """tsquery phrase whose distances mirror the positions document_tokens gives `tokens`,
    and its lexemes."""
    parts: list[str] = []
    quoted: list[str] = []
    last_position = None
    position = 0  # position of the next token in the document
    for token in tokens:
        if _CJK_RE.match(token) and len(token) > 1:
            # The run occupies 2n-1 positions: c1 b1 c2 b2 … cn; bigram i sits at position+1+2i.
            lexemes = [(token[i : i + 2], position + 1 + 2 * i) for i in range(len(token) - 1)]
            position += 2 * len(token) - 1
        else:
            lexemes = [(token, position)]
            position += 1
        for lexeme, at in lexemes:
            if last_position is not None:
                distance = at - last_position
                parts.append("<->" if distance == 1 else f"<{distance}>")
            parts.append(_lexeme(lexeme))
            quoted.append(_lexeme(lexeme))
            last_position = at
    text = " ".join(parts)
    return (f"( {text} )" if len(parts) > 1 else text), quoted


def query_tsquery_parts(query: str | None) -> ParsedQuery | None:
    """Turn what a user typed into a safe tsquery, or None when nothing is searchable.

    Unquoted: every CJK run and every Latin word is a term, and terms are ANDed; a CJK run of
    n ≥ 2 characters is a phrase over its bigrams (疫情防控 → '疫情' <2> '情防' <2> '防控'), one
    character matches the character. Text in "…" (or “…”, 「…」) is one phrase. Tsquery
    operators, quotes and control characters in the input are only separators. Input is cut
    to QUERY_MAX_CHARS characters and QUERY_MAX_TERMS terms.
    """
    if not query:
        return None
    text = normalise(query[:QUERY_MAX_INPUT_CHARS])[:QUERY_MAX_CHARS]
    terms: list[tuple[str, list[str]]] = []
    needles: list[str] = []
    # Split on quote marks: odd pieces were inside quotes (an unclosed quote runs to the end).
    for index, piece in enumerate(_QUOTES_RE.split(text)):
        tokens = [cjk or word for cjk, word in _TOKEN_RE.findall(piece)]
        if not tokens:
            continue
        needles.extend(tokens)
        if index % 2:
            terms.append(_phrase(tokens))
        else:
            terms.extend(_phrase([token]) for token in tokens)
    terms = list({term: lexemes for term, lexemes in terms}.items())[:QUERY_MAX_TERMS]
    if not terms:
        return None
    lexemes = dict.fromkeys(lexeme for _, quoted in terms for lexeme in quoted)
    return ParsedQuery(
        tsquery=" & ".join(term for term, _ in terms),
        candidates=" & ".join(lexemes),
        needles=tuple(dict.fromkeys(needles)),
    )


def _parse(query: str | ParsedQuery | None) -> ParsedQuery | None:
    return query if isinstance(query, ParsedQuery) else query_tsquery_parts(query)


# A results page asks for the same query's pattern twice a hit.
@functools.lru_cache(maxsize=256)
def _needle_regex(needles: tuple[str, ...]) -> re.Pattern[str] | None:
    alternatives = []
    for needle in sorted(set(needles), key=len, reverse=True):
        if _CJK_RE.match(needle):
            alternatives.append(re.escape(needle))
        else:
            # Latin needles match at a word start and run to the word end, so a stemmed
            # match (query "park", text "parking") is highlighted whole.
            alternatives.append(f"(?<![{WORD_CLASS}]){re.escape(needle)}[{WORD_CLASS}]*")
    return re.compile("|".join(alternatives)) if alternatives else None


def _normalise_with_offsets(text: str) -> tuple[str, list[int]] | None:
    """normalise(text) and, for each of its characters plus the end, an offset into text;
    None in the pathological case where normalising piece by piece differs."""
    pieces: list[str] = []
    offsets: list[int] = []
    start = 0
    # Normalise cluster by cluster (a character and its combining marks or hangul vowel and
    # final jamo) so that composition never crosses a piece.
    for end in range(1, len(text) + 1):
        if end < len(text) and (
            unicodedata.combining(text[end]) or "\u1160" <= text[end] <= "\u11ff"
        ):
            continue
        piece = normalise(text[start:end])
        pieces.append(piece)
        offsets.extend([start] * len(piece))
        start = end
    offsets.append(len(text))
    folded = "".join(pieces)
    return (folded, offsets) if folded == normalise(text) else None


def _match_spans(text: str, pattern: re.Pattern[str]) -> tuple[str, list[tuple[int, int, str]]]:
    """(text shown, [(start, end, normalised match)]) with offsets into the text shown."""
    folded = normalise(text)
    found = [(m.start(), m.end()) for m in pattern.finditer(folded) if m.end() > m.start()]
    found = found[:200]
    # Fast path: normalising kept every character in place (the usual case, full-width
    # forms included), checked on the matches themselves.
    if len(folded) == len(text) and all(
        text[a:b] == folded[a:b] or normalise(text[a:b]) == folded[a:b] for a, b in found
    ):
        return text, [(a, b, folded[a:b]) for a, b in found]
    mapped = _normalise_with_offsets(text)
    if mapped is None:
        return folded, [(a, b, folded[a:b]) for a, b in found]
    folded, offsets = mapped
    found = [(m.start(), m.end()) for m in pattern.finditer(folded) if m.end() > m.start()][:200]
    return text, [(offsets[a], offsets[b], folded[a:b]) for a, b in found]


def snippet(
    text: str, query: str | ParsedQuery | None, length: int = 120
) -> list[tuple[str, bool]]:
    """About `length` characters of `text` around the best cluster of matches, as
    (original text, is_match) segments. Not escaped: see snippet_html()."""
    text = text or ""
    parsed = _parse(query)
    pattern = _needle_regex(parsed.needles) if parsed else None
    source, spans = _match_spans(text, pattern) if pattern else (text, [])

    # Choose the window that shows the most distinct matched strings, then the most matches.
    # Spans are in order and never overlap, so those inside a window are a slice of them.
    best_start, best_score = 0, (-1, -1)
    lead = length // 5
    starts, ends = [a for a, _, _ in spans], [b for _, b, _ in spans]
    keys = [key for _, _, key in spans]
    for s in starts:
        start = max(0, min(s - lead, len(source) - length))
        inside = keys[bisect_left(starts, start) : bisect_right(ends, start + length)]
        score = (len(set(inside)), len(inside))
        if score > best_score:
            best_start, best_score = start, score
    end = min(len(source), best_start + length)

    segments: list[tuple[str, bool]] = []
    if best_start > 0:
        segments.append(("…", False))
    cursor = best_start
    for a, b, _ in spans:
        if a < cursor or b > end:
            continue
        if a > cursor:
            segments.append((source[cursor:a], False))
        segments.append((source[a:b], True))
        cursor = b
    if end > cursor:
        segments.append((source[cursor:end], False))
    if end < len(source):
        segments.append(("…", False))
    return segments


def snippet_html(text: str, query: str | ParsedQuery | None, length: int = 120) -> str:
    """snippet() as HTML: every segment escaped, matches wrapped in <mark>."""
    return "".join(
        f"<mark>{html.escape(part)}</mark>" if is_match else html.escape(part)
        for part, is_match in snippet(text, query, length)
    )
