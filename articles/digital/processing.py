"""An uploaded PDF becomes pages of an edition, their stories and their zones.

`receive_upload()` (in the request) checks the file quickly in the child process (a PDF,
not encrypted, no scripts, not too many pages), keeps it and queues `process_upload`
(articles/digital/tasks.py). The task renders and reads every page in the child
(articles/digital/pdf.py), then, in one transaction, writes the pages, their renditions,
the stories through the print import (articles/printimport/: the same parser and the same
"already imported" rule as a text import, so nothing is duplicated) and the zones. Whatever
fails, nothing is half-saved: the transaction rolls back and the files written are deleted;
the upload keeps the message for the editor.
"""

from __future__ import annotations

import datetime
import io
import logging
import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from articles import renditions
from articles.digital import pdf
from articles.digital.layout import PageReading
from articles.media import photo_storage
from articles.models import Article, PrintEdition, PrintPage, PrintUpload, PrintZone
from articles.models.print_edition import PRINT_FILES_DIR
from articles.printimport.importer import import_stories, story_headline
from articles.printimport.parser import PageError, parse_page
from newsroom.tasks import enqueue_on_commit
from newsroom.text import clean_text

logger = logging.getLogger(__name__)

PdfRefused = pdf.PdfRefused


def receive_upload(
    uploaded,
    *,
    edition_date: datetime.date,
    first_page: int,
    page_names: list[str],
    by,
) -> PrintUpload:
    """Keep an uploaded PDF and queue its processing; PdfRefused (nothing kept) when it is
    too big, not a PDF, encrypted, scripted, damaged or has too many pages."""
    size = getattr(uploaded, "size", 0) or 0
    if size > settings.PRINT_PDF_MAX_BYTES:
        raise PdfRefused(
            _("The file is %(size)s; a PDF may be at most %(limit)s.")
            % {
                "size": filesizeformat(size),
                "limit": filesizeformat(settings.PRINT_PDF_MAX_BYTES),
            }
        )
    uploaded.seek(0)
    if b"%PDF-" not in uploaded.read(1024):
        raise PdfRefused(pdf.messages()["not_pdf"])
    uploaded.seek(0)
    storage = photo_storage()
    name = storage.save(
        f"{PRINT_FILES_DIR}uploads/{secrets.token_urlsafe(16)}.pdf", ContentFile(uploaded.read())
    )
    try:
        pages = pdf.check_pdf(storage.path(name))
        if first_page + pages - 1 > 999:
            raise PdfRefused(_("Page numbers go up to 999."))
        with transaction.atomic():
            upload = PrintUpload.objects.create(
                edition_date=edition_date,
                first_page=first_page,
                page_names=page_names,
                source=name,
                original_name=clean_text(getattr(uploaded, "name", "") or "")[:200],
                pages_total=pages,
                created_by=by,
            )
            from articles.digital.tasks import process_print_upload

            enqueue_on_commit(process_print_upload, upload.pk)
    except BaseException:
        storage.delete(name)
        raise
    return upload


def process_upload(upload: PrintUpload) -> None:
    """Process a queued upload (the task). Safe to run again: a finished upload is left
    alone, and a page processed again replaces the page (its automatic zones too)."""
    if upload.state == PrintUpload.State.DONE:
        return
    storage = photo_storage()
    PrintUpload.objects.filter(pk=upload.pk).update(
        state=PrintUpload.State.RUNNING, pages_done=0, message=""
    )

    def progress(done: int, total: int) -> None:
        PrintUpload.objects.filter(pk=upload.pk).update(pages_done=done, pages_total=total)

    written: list[str] = []
    try:
        with pdf.scratch_dir() as scratch:
            result = pdf.process_pdf(storage.path(upload.source), scratch, progress)
            with transaction.atomic():
                edition, _created = PrintEdition.objects.get_or_create(
                    date=upload.edition_date, defaults={"created_by": upload.created_by}
                )
                notes = []
                for index, data in enumerate(result["pages"]):
                    number = upload.first_page + index
                    name = upload.page_names[index] if index < len(upload.page_names) else ""
                    page = _write_page(edition, number, name, data, Path(scratch), upload, written)
                    if not page.has_text_layer:
                        notes.append(
                            _(
                                "Page %(page)d has no text layer (a scanned page?): it has its "
                                "image; draw its zones by hand."
                            )
                            % {"page": number}
                        )
                    else:
                        found = zone_page(page, by=upload.created_by, import_new=True)
                        notes.append(
                            _("Page %(page)d: %(stories)d stories, %(zones)d zones.")
                            % {"page": number, "stories": found[0], "zones": found[1]}
                        )
                PrintUpload.objects.filter(pk=upload.pk).update(
                    state=PrintUpload.State.DONE,
                    message="\n".join(notes),
                    finished_at=timezone.now(),
                )
    except (PdfRefused, PageError) as refused:
        _delete(written)
        _fail(upload, str(refused))
        return
    except Exception:
        _delete(written)
        logger.exception("Processing print upload %s failed", upload.pk)
        _fail(upload, _("Processing this PDF failed. Please try again or tell an administrator."))
        raise
    storage.delete(upload.source)


def _fail(upload: PrintUpload, message: str) -> None:
    PrintUpload.objects.filter(pk=upload.pk).update(
        state=PrintUpload.State.FAILED, message=message, finished_at=timezone.now()
    )
    photo_storage().delete(upload.source)


def _delete(names: list[str]) -> None:
    storage = photo_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete %s", name)


def _write_page(
    edition: PrintEdition,
    number: int,
    name: str,
    data: dict,
    scratch: Path,
    upload: PrintUpload,
    written: list[str],
) -> PrintPage:
    storage = photo_storage()
    files_dir = f"{PRINT_FILES_DIR}{edition.date:%Y%m%d}-{number}-{secrets.token_urlsafe(12)}/"
    pdf_name = storage.save(
        f"{files_dir}page-{number}.pdf", ContentFile((scratch / data["pdf"]).read_bytes())
    )
    written.append(pdf_name)
    made = _renditions(scratch / data["image"], files_dir, number)
    for entry in made:
        written.extend(entry["files"])
    lines = data["lines"]
    reading = PageReading.of(lines, data["height_pt"] / data["width_pt"]) if lines else None
    old = PrintPage.objects.filter(edition=edition, number=number).first()
    if old is not None:
        # Replaced by the new upload: its files go once the new ones are committed.
        stale = old.all_files()
        transaction.on_commit(lambda: _delete(stale))
        old.delete()
    return PrintPage.objects.create(
        edition=edition,
        number=number,
        name=clean_text(name)[:40],
        files_dir=files_dir,
        pdf=pdf_name,
        renditions=made,
        width_pt=data["width_pt"],
        height_pt=data["height_pt"],
        has_text_layer=bool(lines),
        lines=lines,
        text=clean_text(reading.text, multiline=True) if reading else "",
    )


def _renditions(png: Path, files_dir: str, number: int) -> list[dict]:
    """WebP and JPEG at the rendition widths (articles/renditions.py), smallest first."""
    storage = photo_storage()
    made = []
    with Image.open(png) as image:
        image.load()
        for max_width in renditions.widths_for(image.width):
            size = renditions.scaled_size(image.width, image.height, max_width)
            resized = image if size == image.size else image.resize(size, Image.Resampling.LANCZOS)
            entry = {"width": size[0], "height": size[1], "files": []}
            for kind, (fmt, options) in renditions.FORMATS.items():
                out = io.BytesIO()
                resized.save(out, fmt, **options)
                name = storage.save(
                    f"{files_dir}page-{number}-{max_width}.{kind}", ContentFile(out.getvalue())
                )
                entry[kind] = storage.url(name)
                entry["files"].append(name)
            made.append(entry)
    return made


def zone_page(page: PrintPage, *, by, import_new: bool) -> tuple[int, int]:
    """Parse the page's text, import its new stories (in review) when `import_new`, and
    replace its automatic zones by zones computed from the text; zones an editor drew or
    changed stay. (stories found, zones made)."""
    if not page.has_text_layer or not page.lines:
        return 0, 0
    reading = PageReading.of(page.lines, page.aspect)
    stories = parse_page(clean_text(reading.text, multiline=True)).stories
    date, number = page.edition.date, page.number
    if import_new:
        import_stories(stories, by=by, edition_date=date, page=number)
    articles = _articles_for(stories, date, number)
    page.zones.filter(is_automatic=True).delete()
    zones = [
        PrintZone(page=page, article=articles.get(owner), points=polygon, order=order)
        for order, (owner, polygon) in enumerate(reading.zones(stories))
    ]
    PrintZone.objects.bulk_create(zones)
    return len(stories), len(zones)


def _articles_for(stories, date, number) -> dict[int, Article]:
    """Story index → the article holding it: same headline, this edition's date and page
    (or none set), the one imported from this page first."""
    headlines = {index: story_headline(story)[0] for index, story in enumerate(stories)}
    candidates = (
        Article.objects.filter(headline__in=set(headlines.values()))
        .filter(Q(print_edition_date=date) | Q(print_edition_date=None))
        .filter(Q(print_page=number) | Q(print_page=None))
        .order_by("-print_edition_date", "pk")
        .only("pk", "headline")
    )
    by_headline: dict[str, Article] = {}
    for article in candidates:
        by_headline.setdefault(article.headline, article)
    return {
        index: by_headline[headline]
        for index, headline in headlines.items()
        if headline in by_headline
    }
