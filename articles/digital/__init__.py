"""The 数字报 (digital edition): printed pages online from their PDF, with story zones.

- pdfworker.py: the child process that renders and reads a PDF (no Django), run under limits
  by pdf.py.
- layout.py: pure Python: text lines → the print parser's text, stories → zone polygons.
- processing.py: an upload becomes pages, stories (through articles/printimport/) and zones.
- tasks.py: the task queue's side; admin.py: upload, progress and the zone editor;
  views.py: the public pages under /print/; sample.py: pages laid out as PDFs (demo, tests).
"""
