"""Moved to tests/helpers.py (kept so that imports from here keep working)."""

from tests.helpers import (
    EDITION,
    STORIES,
    add_bylines,
    build_paper,
    more_stories,
    sections,
    story,
)

__all__ = ["EDITION", "STORIES", "add_bylines", "build_paper", "more_stories", "sections", "story"]
