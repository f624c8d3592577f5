"""Tasks for the queue's tests: each leaves a trace in a file, so a test (and a worker in
another process) can see what ran, and how many times."""

import os
import time
from pathlib import Path

from django_tasks import task

from newsroom.tasks import retrying_task


def _append(path: str, line: str) -> None:
    # O_APPEND: lines written by several processes do not overwrite each other.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


@task
def note_done(path: str, label: str) -> str:
    _append(path, f"done {label}")
    return label


@task
def slow_then_done(path: str, label: str, seconds: float) -> str:
    """Says it started, works for `seconds`, and only then does its one visible effect."""
    _append(path, f"started {label}")
    time.sleep(seconds)
    _append(path, f"done {label}")
    return label


@retrying_task(max_attempts=3)
def always_fails(path: str) -> None:
    _append(path, "attempt")
    raise RuntimeError("the mail server said no")


def lines(path) -> list[str]:
    path = Path(path)
    return path.read_text().splitlines() if path.exists() else []
