"""The child process that reads a PDF: `python -m articles.digital.pdfworker MODE PDF OUT ...`.

It runs apart from the web process or the task worker, under CPU-time and memory limits set
by its parent (articles/digital/pdf.py), so a hostile or huge PDF costs at most that and
kills nothing but this process. It needs no Django: pypdfium2 renders, pdfplumber (on
pdfminer.six) gives the characters with their positions.

Modes:
- `check PDF`: prints {"pages": n} or {"error": code}.
- `process PDF OUT MAX_PAGES WIDTH`: for each page prints {"done": i, "total": n} and writes
  OUT/page-<i>.png (WIDTH pixels wide) and, at the end, OUT/result.json:
  {"pages": [{"width_pt", "height_pt", "image", "lines": [{"text", "box", "size"}]}]}.
Errors are printed as {"error": code} with exit status 2; the parent turns codes into
messages for the editor.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

# Marks of active content: scripts, launching programs, embedded files. A newspaper page
# has none; a PDF with them is refused rather than rendered.
ACTIVE_CONTENT = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)\b")
# Chinese characters and full-width marks: set apart by justification, never by spaces.
WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2018-\u201f]")
# Beyond this many pixels a page is not a newspaper page (a 1600 px wide broadsheet has ~3 M).
MAX_PIXELS = 40_000_000


class Refused(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def emit(**data) -> None:
    sys.stdout.write(json.dumps(data) + "\n")
    sys.stdout.flush()


def open_checked(path: str):
    """(pdfplumber PDF, pdfium document) of a PDF we accept, or Refused with why not."""
    import pdfplumber
    import pypdfium2 as pdfium
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    with open(path, "rb") as f:
        head = f.read(1024)
    if b"%PDF-" not in head:
        raise Refused("not_pdf")
    data = Path(path).read_bytes()
    if ACTIVE_CONTENT.search(data):
        raise Refused("active")
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        raise Refused("encrypted" if "password" in str(error).lower() else "malformed") from None
    try:
        plumber = pdfplumber.open(path)
    except Exception as error:
        document.close()
        cause = error.args[0] if error.args else error
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise Refused("encrypted") from None
        raise Refused("malformed") from None
    if getattr(plumber.doc, "encryption", None):
        plumber.close()
        document.close()
        raise Refused("encrypted")
    catalog = plumber.doc.catalog
    names = _resolve(catalog.get("Names"))
    if isinstance(names, dict) and "JavaScript" in names or "AA" in catalog:
        raise Refused("active")
    if len(document) == 0:
        raise Refused("empty")
    return plumber, document


def _resolve(value):
    from pdfminer.pdftypes import resolve1

    try:
        return resolve1(value)
    except Exception:
        return None


def text_lines(page) -> list[dict]:
    """The page's text lines in the order the layout program wrote them: characters in
    stream order, a new line wherever the baseline moves or the text jumps back or far on.
    Boxes are relative to the page: [x0, top, x1, bottom] in 0..1."""
    width, height = float(page.width), float(page.height)
    lines: list[dict] = []
    current = None
    for char in page.chars:
        if not char.get("upright", True):
            continue
        text = char["text"]
        size = float(char["size"]) or 1.0
        x0, x1, top, bottom = char["x0"], char["x1"], char["top"], char["bottom"]
        same_line = (
            current is not None
            and abs(top - current["top"]) < 0.5 * size
            and x0 >= current["x1"] - 0.5 * size
            and x0 - current["x1"] < 3 * size
        )
        if not same_line:
            if current is not None:
                lines.append(current)
            current = {"text": "", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "size": size}
        elif (
            x0 - current["x1"] > 0.3 * size
            and text.strip()
            and current["text"][-1:] not in ("", " ")
            and not (WIDE.match(text) or WIDE.match(current["text"][-1]))
        ):
            current["text"] += " "  # a gap between Latin words (justified Chinese has none)
        current["text"] += text
        current["x0"] = min(current["x0"], x0)
        current["x1"] = max(current["x1"], x1)
        current["top"] = min(current["top"], top)
        current["bottom"] = max(current["bottom"], bottom)
    if current is not None:
        lines.append(current)
    return [
        {
            # Not stripped: a space at a line's end is a space between words (a headline and
            # its subtitle set on one line, 标题 副标题), kept when lines are joined.
            "text": line["text"],
            "box": [
                round(line["x0"] / width, 5),
                round(line["top"] / height, 5),
                round(line["x1"] / width, 5),
                round(line["bottom"] / height, 5),
            ],
            "size": round(line["size"] / height, 6),
        }
        for line in lines
        if line["text"].strip()
    ]


def check(path: str) -> int:
    plumber, document = open_checked(path)
    try:
        return len(document)
    finally:
        plumber.close()
        document.close()


def process(path: str, out: str, max_pages: int, render_width: int) -> None:
    import pypdfium2 as pdfium

    plumber, document = open_checked(path)
    total = len(document)
    if total > max_pages:
        raise Refused("too_many_pages")
    pages = []
    out_dir = Path(out)
    for index in range(total):
        pdf_page = document[index]
        width_pt, height_pt = pdf_page.get_size()
        if width_pt <= 0 or height_pt <= 0:
            raise Refused("malformed")
        scale = render_width / width_pt
        if render_width * height_pt * scale > MAX_PIXELS:
            raise Refused("page_size")
        image = pdf_page.render(scale=scale).to_pil().convert("RGB")
        name = f"page-{index + 1}.png"
        image.save(out_dir / name, "PNG", optimize=False, compress_level=3)
        image.close()
        pdf_page.close()
        # The page's own PDF, for readers to download.
        single = pdfium.PdfDocument.new()
        single.import_pages(document, [index])
        single.save(str(out_dir / f"page-{index + 1}.pdf"))
        single.close()
        plumber_page = plumber.pages[index]
        lines = text_lines(plumber_page)
        plumber_page.close()  # frees the page's parsed objects
        pages.append(
            {
                "width_pt": width_pt,
                "height_pt": height_pt,
                "image": name,
                "pdf": f"page-{index + 1}.pdf",
                "lines": lines,
            }
        )
        emit(done=index + 1, total=total)
    plumber.close()
    document.close()
    (out_dir / "result.json").write_text(json.dumps({"pages": pages}), encoding="utf-8")


def main(argv: list[str]) -> int:
    try:
        if argv[0] == "check":
            emit(pages=check(argv[1]))
        elif argv[0] == "process":
            process(argv[1], argv[2], int(argv[3]), int(argv[4]))
            emit(ok=True)
        else:
            emit(error="usage")
            return 2
    except Refused as refused:
        emit(error=refused.code)
        return 2
    except MemoryError:
        emit(error="memory")
        return 2
    except Exception as error:  # any other failure of a library on a bad file
        emit(error="malformed", detail=type(error).__name__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
