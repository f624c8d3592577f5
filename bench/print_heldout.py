"""Score the print-page parser on pages it was not tuned on.

    .venv/bin/python bench/print_heldout.py [DIR]

DIR holds page files and an expected.json naming, per page, each story's kicker,
headline, subheadline, dateline, bylines ([role, name]) and paragraph count. Prints, per
page and in total: stories found (by headline), and how many stories are exact on their
headings, dateline, bylines with roles, and paragraph count, and on all four at once.
No database is needed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from articles.printimport.parser import decode_page, parse_page  # noqa: E402

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "tests/articles/printpages/heldout"
ASPECTS = ["headings", "dateline", "bylines", "paragraphs"]


def aspects_of(story: dict) -> dict:
    return {
        "headings": (story["kicker"], story["headline"], story["subheadline"]),
        "dateline": story["dateline"],
        "bylines": [tuple(b) for b in story["bylines"]],
        "paragraphs": story["paragraphs"],
    }


def parsed_aspects(story) -> dict:
    return aspects_of(
        {
            **story.as_dict(),
            "bylines": [(b.role, b.name) for b in story.bylines],
            "paragraphs": len(story.paragraphs),
        }
    )


def score(directory: Path, *, verbose: bool) -> dict:
    expected_pages = json.loads((directory / "expected.json").read_text(encoding="utf-8"))
    totals = {"stories": 0, "found": 0, "all": 0, **dict.fromkeys(ASPECTS, 0)}
    for name, expected_stories in expected_pages.items():
        result = parse_page(decode_page((directory / name).read_bytes()))
        by_headline = {}
        for story in result.stories:
            by_headline.setdefault(story.headline, story)
        page = {"stories": 0, "found": 0, "all": 0, **dict.fromkeys(ASPECTS, 0)}
        for expected in expected_stories:
            page["stories"] += 1
            story = by_headline.get(expected["headline"])
            if story is None:
                if verbose:
                    print(f"  {name}: NOT FOUND {expected['headline']}")
                continue
            page["found"] += 1
            want, got = aspects_of(expected), parsed_aspects(story)
            exact = [aspect for aspect in ASPECTS if want[aspect] == got[aspect]]
            for aspect in exact:
                page[aspect] += 1
            page["all"] += len(exact) == len(ASPECTS)
            if verbose:
                for aspect in set(ASPECTS) - set(exact):
                    print(
                        f"  {name}: {expected['headline']}: {aspect} {got[aspect]!r} != {want[aspect]!r}"
                    )
        extra = len(result.stories) - page["found"]
        print(
            f"{name}: {page['found']}/{page['stories']} stories found ({extra} more parsed), "
            + ", ".join(f"{aspect} {page[aspect]}" for aspect in [*ASPECTS, "all"])
            + f", unplaced lines {len(result.unplaced)}"
        )
        for key in totals:
            totals[key] += page[key]
    print(
        f"TOTAL: {totals['found']}/{totals['stories']} found; exact: "
        + ", ".join(
            f"{aspect} {totals[aspect]}/{totals['stories']}" for aspect in [*ASPECTS, "all"]
        )
    )
    return totals


if __name__ == "__main__":
    args = [arg for arg in sys.argv[1:] if arg != "-v"]
    score(Path(args[0]) if args else DEFAULT_DIR, verbose="-v" in sys.argv)
