"""Moved to tests/helpers.py (kept so that imports from here keep working)."""

from tests.helpers import STATES, put_in_state

__all__ = ["STATES", "put_in_state"]
