"""The 数字报's processing of a 10-page edition PDF, made here with reportlab.

    .venv/bin/python bench/print_pdf.py            # 10 pages
    .venv/bin/python bench/print_pdf.py --pages 100

Each page is the demo's sample page (six stories, ~3,000 characters) laid out on an A3 page
in six columns (articles/digital/sample.py). It prints, for the whole edition:

- the child process (articles/digital/pdfworker.py, as the task runs it under its limits):
  wall time, and its peak memory (max RSS, from getrusage of the children);
- reading the text and computing the zones in the parent (layout.py + the print parser);
- making the page renditions (WebP and JPEG at 480, 960, 1600 px, as processing.py does).
No database is touched.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "true")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10)
    args = parser.parse_args()

    import django

    django.setup()
    from PIL import Image

    from articles import renditions
    from articles.digital import layout, pdf, sample
    from articles.printimport.parser import parse_page

    demo = Path(__file__).resolve().parents[1] / "articles" / "demo"
    stories = parse_page((demo / "print-page-zhongyuan-2020-09.txt").read_text("utf-8")).stories
    laid_out = [sample.story_from_parsed(story) for story in stories]
    started = time.perf_counter()
    data = sample.pdf_bytes([sample.flowing_page(laid_out) for _ in range(args.pages)])
    made_in = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "edition.pdf"
        path.write_bytes(data)
        started = time.perf_counter()
        result = pdf.process_pdf(str(path), folder)
        child = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        started = time.perf_counter()
        zones = 0
        for page in result["pages"]:
            reading = layout.PageReading.of(page["lines"], page["height_pt"] / page["width_pt"])
            zones += len(reading.zones(parse_page(reading.text).stories))
        zoning = time.perf_counter() - started
        started = time.perf_counter()
        for page in result["pages"]:
            with Image.open(Path(folder) / page["image"]) as image:
                image.load()
                for width in renditions.widths_for(image.width):
                    size = renditions.scaled_size(image.width, image.height, width)
                    resized = image.resize(size, Image.Resampling.LANCZOS)
                    for fmt, options in renditions.FORMATS.values():
                        resized.save(io.BytesIO(), fmt, **options)
        images = time.perf_counter() - started
    print(f"edition: {args.pages} pages, {len(data) / 1024:.0f} KB PDF (made in {made_in:.1f} s)")
    print(
        f"child process (render {sample.__name__.split('.')[-1]} pages at "
        f"{os.environ.get('PRINT_PAGE_RENDER_WIDTH', 1600)} px, text with positions): "
        f"{child:.1f} s wall, peak memory {peak_mb:.0f} MB"
    )
    print(f"text and zones in the parent: {zoning:.2f} s ({zones} zones)")
    print(f"renditions (WebP + JPEG x 3 widths): {images:.1f} s")
    print(
        f"total: {child + zoning + images:.1f} s, {(child + zoning + images) / args.pages:.2f} s a page"
    )


if __name__ == "__main__":
    main()
