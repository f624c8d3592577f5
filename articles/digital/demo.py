"""The demo's 数字报: the sample print page laid out as a PDF and loaded like an upload."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile

from articles.digital import processing, sample
from articles.media import photo_storage
from articles.models import PrintEdition, PrintUpload


def load_demo_edition(stories, *, date: datetime.date, page: int, name: str, editor) -> str:
    """Lay `stories` (parsed) out as page `page` of `date`, process it and publish the
    edition. Nothing happens when the edition exists already. Returns what was done."""
    if PrintEdition.objects.filter(date=date).exists():
        return "数字报: already there."
    laid_out = sample.flowing_page([sample.story_from_parsed(story) for story in stories])
    data = sample.pdf_bytes([laid_out], title=f"{date} {name}")
    source = photo_storage().save("print/uploads/demo.pdf", ContentFile(data))
    upload = PrintUpload.objects.create(
        edition_date=date,
        first_page=page,
        page_names=[name],
        source=source,
        original_name="demo.pdf",
        pages_total=1,
        created_by=editor,
    )
    processing.process_upload(upload)
    upload.refresh_from_db()
    edition = PrintEdition.objects.filter(date=date).first()
    if edition is not None:
        edition.publish(by=editor)
    return f"数字报: {upload.get_state_display()} — {upload.message}"
