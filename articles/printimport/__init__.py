"""The print import: the plain text of a newspaper page becomes draft stories.

One vocabulary throughout: a *page* holds *stories*; a story has *headings* (kicker,
headline, subheadline), a dateline, *bylines* (people, with roles) and *credits*
(organisations, such as 新华社供图), and paragraphs; text that fits no story is *unplaced*.

- parser.py: pure Python, text in, stories out (no database, no Django needed).
- importer.py: plan the import of parsed stories (read only) and carry it out.
- forms.py, admin.py: the admin's upload, preview (which an editor may correct) and
  signed confirmation.
- the `import_print` management command (articles/management/commands) calls importer.py.
"""
