"""The 数字报 from a PDF: pages the tests lay out themselves (tests/articles/print_pdfs.py),
so that every story's true region is known, read in the bounded child process."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas as pdf_canvas

from articles.digital import layout, pdf, processing, sample
from articles.media import photo_storage
from articles.models import Article, PrintEdition, PrintPage, PrintUpload, PrintZone
from articles.printimport.parser import parse_page
from newsroom.workflow import Status
from tests.articles.print_pdfs import sample_pdf

DATE = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def in_english(settings):
    """The messages are compared in English; the zh_Hans catalogue translates them all."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(scope="module")
def read_sample(tmp_path_factory):
    """The sample page's PDF read by the child, once for the module."""
    data, page, stories = sample_pdf()
    folder = tmp_path_factory.mktemp("pdf")
    path = folder / "page.pdf"
    path.write_bytes(data)
    result = pdf.process_pdf(str(path), str(folder))
    return result["pages"][0], page, stories


def _reading(data):
    return layout.PageReading.of(data["lines"], data["height_pt"] / data["width_pt"])


def test_a_pdf_page_gives_the_stories_of_a_text_import_of_the_same_page(read_sample):
    data, _page, stories = read_sample
    from_pdf = parse_page(_reading(data).text).stories
    from_text = parse_page(sample.page_text(stories)).stories
    assert [s.as_dict() for s in from_pdf] == [s.as_dict() for s in from_text]
    assert [s.headline for s in from_pdf] == [s.headline for s in stories]


def test_every_zone_covers_all_of_its_story_and_none_of_another(read_sample):
    """Each drawn line's characters (their centres) lie in a zone of their own story and in
    no zone of another: across columns, under a wide headline and round the photo."""
    data, page, stories = read_sample
    reading = _reading(data)
    zones = reading.zones(parse_page(reading.text).stories)
    assert {owner for owner, _polygon in zones} == set(range(len(stories)))
    width, height = page.width, page.height
    checked = 0
    for line in page.lines:
        advance = (line.x1 - line.x0) / max(len(line.text), 1)
        for number in range(len(line.text)):
            x = (line.x0 + advance * (number + 0.5)) / width
            y = (line.top + line.size / 2) / height
            inside = {owner for owner, polygon in zones if layout.contains(polygon, x, y)}
            assert inside == {line.story}, (line.text, number, inside)
            checked += 1
    assert checked > 400
    # Story 1 runs round the photo: its zone leaves the photo out.
    photo = page.photos[0]
    centre = ((photo.x0 + photo.x1) / 2 / width, (photo.top + photo.bottom) / 2 / height)
    assert not any(layout.contains(polygon, *centre) for _owner, polygon in zones)
    # Story 2 runs across two columns: two polygons.
    assert sum(1 for owner, _p in zones if owner == 2) == 2


def _upload(data: bytes, name="page.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _stored_files() -> list[str]:
    root = photo_storage().path("")
    import os

    return [os.path.join(d, f) for d, _s, files in os.walk(root) for f in files]


@pytest.mark.django_db
def test_an_uploaded_pdf_becomes_a_draft_edition_with_stories_in_review_and_zones(
    editor, committed
):
    data, _page, stories = sample_pdf()
    with committed():
        upload = processing.receive_upload(
            _upload(data), edition_date=DATE, first_page=2, page_names=["区域"], by=editor
        )
    upload.refresh_from_db()
    assert upload.state == PrintUpload.State.DONE, upload.message
    assert (upload.pages_done, upload.pages_total) == (1, 1)
    edition = PrintEdition.objects.get(date=DATE)
    assert edition.status == Status.DRAFT  # public only once an editor publishes it
    page = PrintPage.objects.get(edition=edition)
    assert (page.number, page.name, page.has_text_layer) == (2, "区域", True)
    assert [r["width"] for r in page.renditions] == [480, 960, 1600]
    assert photo_storage().exists(page.pdf)
    articles = Article.objects.filter(print_edition_date=DATE, print_page=2)
    assert sorted(a.headline for a in articles) == sorted(s.headline for s in stories)
    assert {a.status for a in articles} == {Status.REVIEW}
    zones = PrintZone.objects.filter(page=page)
    assert {z.article.headline for z in zones} == {s.headline for s in stories}
    assert "4" in upload.message  # "Page 2: 4 stories, 5 zones."

    # The same page again (a corrected PDF): the stories are matched, not duplicated.
    with committed():
        processing.receive_upload(
            _upload(data), edition_date=DATE, first_page=2, page_names=["区域"], by=editor
        )
    assert Article.objects.filter(print_edition_date=DATE).count() == len(stories)
    assert PrintPage.objects.filter(edition=edition).count() == 1
    assert PrintZone.objects.filter(page__edition=edition).count() == zones.count()


@pytest.mark.django_db
def test_a_page_imported_as_text_before_is_linked_not_duplicated(editor, committed):
    from articles.printimport.importer import import_stories

    data, _page, stories = sample_pdf()
    import_stories(
        parse_page(sample.page_text(stories)).stories, by=editor, edition_date=DATE, page=1
    )
    before = set(Article.objects.values_list("pk", flat=True))
    with committed():
        processing.receive_upload(
            _upload(data), edition_date=DATE, first_page=1, page_names=[], by=editor
        )
    assert set(Article.objects.values_list("pk", flat=True)) == before
    assert set(PrintZone.objects.values_list("article_id", flat=True)) == before


def _encrypted_pdf() -> bytes:
    out = io.BytesIO()
    canvas = pdf_canvas.Canvas(out, encrypt=StandardEncryption("secret", "owner"))
    canvas.drawString(100, 700, "locked")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _image_only_pdf(pages=1) -> bytes:
    out = io.BytesIO()
    canvas = pdf_canvas.Canvas(out)
    for _number in range(pages):
        canvas.setFillColorRGB(0.3, 0.3, 0.3)
        canvas.rect(50, 50, 400, 600, stroke=0, fill=1)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


SCRIPTED = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"4 0 obj<</S/JavaScript/JS(app.alert\\(1\\))>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"GIF89a not a pdf at all", "not a PDF"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 200, "damaged"),
        (_encrypted_pdf(), "encrypted"),
        (SCRIPTED, "scripts"),
        (sample_pdf()[0][: len(sample_pdf()[0]) // 3], "damaged"),
    ],
    ids=["not-pdf", "garbage", "encrypted", "scripted", "truncated"],
)
def test_hostile_files_are_refused_with_a_message_and_nothing_is_saved(
    editor, committed, data, says
):
    with committed(), pytest.raises(processing.PdfRefused, match=says):
        processing.receive_upload(
            _upload(data), edition_date=DATE, first_page=1, page_names=[], by=editor
        )
    assert not PrintUpload.objects.exists()
    assert not PrintEdition.objects.exists()
    assert _stored_files() == []


@pytest.mark.django_db
def test_more_pages_than_allowed_are_refused(editor, committed, settings):
    settings.PRINT_PDF_MAX_PAGES = 3
    with committed(), pytest.raises(processing.PdfRefused, match="at most 3"):
        processing.receive_upload(
            _upload(_image_only_pdf(pages=4)),
            edition_date=DATE,
            first_page=1,
            page_names=[],
            by=editor,
        )
    assert not PrintUpload.objects.exists() and _stored_files() == []


@pytest.mark.django_db
def test_a_scanned_page_gets_its_image_and_is_said_to_need_zones_by_hand(editor, committed):
    with committed():
        upload = processing.receive_upload(
            _upload(_image_only_pdf()), edition_date=DATE, first_page=1, page_names=[], by=editor
        )
    upload.refresh_from_db()
    assert upload.state == PrintUpload.State.DONE
    assert "no text layer" in upload.message
    page = PrintPage.objects.get()
    assert not page.has_text_layer and page.renditions and not page.zones.exists()


@pytest.mark.django_db
def test_a_pdf_beyond_the_memory_limit_fails_cleanly(editor, committed, settings):
    """The child dies on its memory limit; the upload says so and nothing else is kept."""
    data, _page, _stories = sample_pdf()
    with committed():
        upload = processing.receive_upload(
            _upload(data), edition_date=DATE, first_page=1, page_names=[], by=editor
        )
        settings.PRINT_PDF_MEMORY_MB = 1
        PrintUpload.objects.filter(pk=upload.pk).update(state=PrintUpload.State.QUEUED)
    # (the immediate backend ran the task on commit with the normal limit; run it again)
    upload = PrintUpload.objects.get(pk=upload.pk)
    upload.state = PrintUpload.State.QUEUED
    PrintPage.objects.all().delete()
    PrintEdition.objects.all().delete()
    storage = photo_storage()
    from django.core.files.base import ContentFile

    upload.source = storage.save("print/uploads/again.pdf", ContentFile(data))
    upload.save()
    processing.process_upload(upload)
    upload.refresh_from_db()
    assert upload.state == PrintUpload.State.FAILED
    assert "memory" in upload.message or "damaged" in upload.message
    assert not PrintPage.objects.exists()
