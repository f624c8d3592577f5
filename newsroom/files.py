"""Files written by a unit of work that fails are deleted again.

A database transaction rolls back its rows, but not the files its saves wrote: a gallery
save that fails on its fifth photo would leave four originals and their renditions on disk,
named by no row. Storages that mix in `TrackedStorageMixin` report each file they write to
the innermost `files_kept_only_on_success()` block; when the block raises, those files go.
The admin runs every add and change form inside one (newsroom/admin_hardening.py).
"""

from __future__ import annotations

import contextvars
import logging
from contextlib import contextmanager

from django.core.files.storage import FileSystemStorage

logger = logging.getLogger(__name__)

_stored_files: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "newsroom_stored_files", default=None
)


class TrackedStorageMixin:
    """For a Storage class: every file it saves is reported to `files_kept_only_on_success`."""

    def _save(self, name, content):
        name = super()._save(name, content)
        stored = _stored_files.get()
        if stored is not None:
            stored.append((self, name))
        return name


class TrackedFileSystemStorage(TrackedStorageMixin, FileSystemStorage):
    """The default storage (portraits of people and other uploads under MEDIA_ROOT)."""


@contextmanager
def files_kept_only_on_success():
    """Deletes the files tracked storages wrote inside the block if the block raises.

    Put it outside the transaction, so that the files and the rows go together."""
    stored: list = []
    token = _stored_files.set(stored)
    try:
        yield stored
    except BaseException:
        for storage, name in stored:
            try:
                storage.delete(name)
            except OSError:  # already gone, or the disk is why the save failed
                logger.warning("Could not delete %s after a failed save", name, exc_info=True)
        raise
    finally:
        _stored_files.reset(token)
