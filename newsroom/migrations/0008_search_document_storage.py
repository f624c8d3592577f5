"""The search documents' texts and vectors stored out of line, so that the table itself holds
only the narrow columns a search's first step reads (id, type, object id).

A search matching thousands of items reads one heap row per match through the GIN index's
bitmap; with the texts inline (a story's text is a few kilobytes of CJK) that was a page
every eight matches. Out of line it is a page every forty, and the search statement for a
query matching 3,300 stories took 4.3 ms instead of 5.4 (bench/site.py's database). Rows
are moved as they are written: `manage.py rebuild_search_index` rewrites them all, and
`VACUUM FULL newsroom_searchdocument` then gives the space back.
"""

from django.db import migrations

TABLE = "newsroom_searchdocument"
COLUMNS = ("text", "heading", "document")


def _store(schema_editor, tuple_target: str, storage: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} {tuple_target}")
    columns = ", ".join(f"ALTER COLUMN {column} SET STORAGE {storage}" for column in COLUMNS)
    schema_editor.execute(f"ALTER TABLE {TABLE} {columns}")


def store_out_of_line(apps, schema_editor):
    # A row longer than 256 bytes has its long values moved to the TOAST table; EXTERNAL
    # keeps them uncompressed there (a vector barely compresses, and is read on every rank).
    _store(schema_editor, "SET (toast_tuple_target = 256)", "EXTERNAL")


def store_inline(apps, schema_editor):
    _store(schema_editor, "RESET (toast_tuple_target)", "EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0007_review_setup")]

    operations = [migrations.RunPython(store_out_of_line, store_inline, elidable=False)]
