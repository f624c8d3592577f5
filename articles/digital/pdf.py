"""Reading a PDF in a child process with bounded CPU time, memory and wall-clock time.

The child (articles/digital/pdfworker.py) renders and extracts; this side starts it with
`resource.setrlimit` limits (PRINT_PDF_CPU_SECONDS, PRINT_PDF_MEMORY_MB) and a wall-clock
time-out, reads its progress, and turns its error codes into messages for the editor
(PdfRefused). A PDF library crashing or looping on a crafted file ends the child only.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _


class PdfRefused(ValueError):
    """The PDF cannot be used; the message says why, for the editor."""


def messages() -> dict[str, str]:
    return {
        "not_pdf": _("This file is not a PDF. Please upload the page’s PDF."),
        "encrypted": _(
            "This PDF is encrypted or protected by a password. Please export it again "
            "without protection."
        ),
        "malformed": _("This PDF is damaged and cannot be read. Please export it again."),
        "active": _(
            "This PDF contains scripts, actions or embedded files; a newspaper page needs "
            "none. Please export it again as a plain PDF."
        ),
        "empty": _("This PDF has no pages."),
        "too_many_pages": _(
            "This PDF has more pages than one upload may hold (at most %(max)d). Please split it."
        )
        % {"max": settings.PRINT_PDF_MAX_PAGES},
        "page_size": _("A page of this PDF is far bigger than a newspaper page."),
        "memory": _("Reading this PDF needed more memory than is allowed (%(mb)d MB).")
        % {"mb": settings.PRINT_PDF_MEMORY_MB},
        "time": _("Reading this PDF took longer than is allowed (%(seconds)d seconds).")
        % {"seconds": settings.PRINT_PDF_CPU_SECONDS},
    }


def _limits(cpu_seconds: int, memory_bytes: int) -> Callable[[], None]:
    def apply() -> None:  # pragma: no cover - runs in the child, between fork and exec
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def run_worker(args: list[str], on_progress: Callable[[int, int], None] | None = None) -> dict:
    """Run the child with `args`; its last JSON message, or PdfRefused."""
    process = subprocess.Popen(
        [sys.executable, "-m", "articles.digital.pdfworker", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        preexec_fn=_limits(settings.PRINT_PDF_CPU_SECONDS, settings.PRINT_PDF_MEMORY_MB << 20),
        cwd=str(Path(__file__).resolve().parents[2]),
    )
    # CPU time is bounded by RLIMIT_CPU; a child blocked without using the CPU by this.
    timer = threading.Timer(settings.PRINT_PDF_CPU_SECONDS * 2 + 10, process.kill)
    timer.start()
    last: dict = {}
    try:
        assert process.stdout is not None
        for raw in process.stdout:
            try:
                message = json.loads(raw)
            except ValueError:
                continue
            last = message
            if "done" in message and on_progress is not None:
                on_progress(int(message["done"]), int(message["total"]))
        status = process.wait()
    finally:
        timer.cancel()
        if process.poll() is None:
            process.kill()
    if "error" in last:
        raise PdfRefused(messages().get(last["error"], messages()["malformed"]))
    if status != 0:
        # Killed by a limit: SIGXCPU / SIGKILL (time), or died allocating (memory).
        code = "time" if status in (-9, -24) else "memory" if status < 0 else "malformed"
        raise PdfRefused(messages()[code])
    return last


def check_pdf(path: str) -> int:
    """The number of pages of an acceptable PDF, or PdfRefused (quick: nothing rendered)."""
    pages = int(run_worker(["check", path])["pages"])
    if pages > settings.PRINT_PDF_MAX_PAGES:
        raise PdfRefused(messages()["too_many_pages"])
    return pages


def process_pdf(
    path: str, out_dir: str, on_progress: Callable[[int, int], None] | None = None
) -> dict:
    """Render every page (PRINT_PAGE_RENDER_WIDTH pixels wide) into `out_dir` and extract
    its text lines; the child's result.json as a dict, or PdfRefused."""
    run_worker(
        [
            "process",
            path,
            out_dir,
            str(settings.PRINT_PDF_MAX_PAGES),
            str(settings.PRINT_PAGE_RENDER_WIDTH),
        ],
        on_progress,
    )
    return json.loads((Path(out_dir) / "result.json").read_text(encoding="utf-8"))


def scratch_dir() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="newsroom-pdf-")
