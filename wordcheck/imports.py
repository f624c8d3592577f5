"""Lists in and out as UTF-8 text: parse, show what an import would change, then apply it
whole or not at all.

Two formats:

- CSV with a header line naming its columns: ``category,term,replacement,note,variants``
  (only category and term are required; variants are separated by ``|``);
- plain text: one word a line, optionally ``word<TAB>replacement<TAB>note``, all of the
  category chosen on the form. Lines starting with ``#`` and empty lines are skipped.

Any bad line stops the import: the preview lists every bad line with its number and what is
wrong, and offers nothing to confirm. An import that replaces a list removes the list's
entries that the file does not have.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wordcheck.models import CATEGORIES, Entry, EntryChange, ListsVersion, WordList, entry_errors
from wordcheck.text import skeleton

MAX_BYTES = 20 * 1024 * 1024
MAX_LINES = 200_000
COLUMNS = ["category", "term", "replacement", "note", "variants"]
BATCH = 2000


class ImportProblem(Exception):
    """The file as a whole cannot be read (not UTF-8, too big, no header…)."""


@dataclass
class Row:
    line: int
    category: str
    term: str
    replacement: str = ""
    note: str = ""
    variants: list[str] = field(default_factory=list)
    folded: str = ""  # skeleton(term), set by _validate()

    @property
    def key(self) -> tuple[str, str]:
        return self.category, self.folded

    def values(self) -> dict:
        return {
            "category": self.category,
            "term": self.term,
            "replacement": self.replacement,
            "note": self.note,
            "variants": "\n".join(self.variants),
        }


@dataclass
class LineError:
    line: int
    message: str


@dataclass
class Plan:
    added: list[Row] = field(default_factory=list)
    changed: list[tuple[dict, Row]] = field(default_factory=list)  # (before, after)
    removed: list[dict] = field(default_factory=list)
    unchanged: int = 0
    errors: list[LineError] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def decode(data: bytes) -> str:
    """UTF-8 text (a byte-order mark is fine), or ImportProblem saying where it is not."""
    if len(data) > MAX_BYTES:
        raise ImportProblem(
            _("The file is larger than %(max)d MB.") % {"max": MAX_BYTES // (1024 * 1024)}
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportProblem(
            _(
                "The file is not UTF-8 text: line %(line)d has bytes that are not UTF-8. "
                "Save it as UTF-8 (in Excel: “CSV UTF-8”) and upload it again."
            )
            % {"line": line}
        ) from None


def _is_csv_header(line: str) -> bool:
    names = [name.strip().lower() for name in next(csv.reader([line]), [])]
    return "category" in names and "term" in names


def parse(text: str, default_category: str = "") -> tuple[list[Row], list[LineError]]:
    """Rows and bad lines of an uploaded list (see the module docstring)."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise ImportProblem(_("The file has more than %(max)d lines.") % {"max": MAX_LINES})
    first = next((line for line in lines if line.strip() and not line.startswith("#")), "")
    rows: list[Row] = []
    errors: list[LineError] = []
    if first and _is_csv_header(first):
        _parse_csv(text, rows, errors)
    else:
        if default_category not in CATEGORIES:
            raise ImportProblem(
                _("A plain-text list needs a category: choose one, or upload CSV with a header.")
            )
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = [part.strip() for part in line.split("\t")]
            if len(parts) > 3:
                errors.append(LineError(number, _("More than three tab-separated parts.")))
                continue
            parts += [""] * (3 - len(parts))
            rows.append(Row(number, default_category, parts[0], parts[1], parts[2]))
    _validate(rows, errors)
    errors.sort(key=lambda error: error.line)
    bad = {error.line for error in errors}
    return [row for row in rows if row.line not in bad], errors


def _parse_csv(text: str, rows: list[Row], errors: list[LineError]) -> None:
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    for record in reader:
        number = reader.line_num
        if not any(cell.strip() for cell in record) or record[0].startswith("#"):
            continue
        if header is None:
            header = [name.strip().lower() for name in record]
            unknown = [name for name in header if name not in COLUMNS]
            if unknown:
                errors.append(
                    LineError(
                        number,
                        _("Unknown column “%(name)s”; the columns are: %(columns)s.")
                        % {"name": unknown[0][:40], "columns": ", ".join(COLUMNS)},
                    )
                )
                return
            continue
        if len(record) > len(header):
            errors.append(
                LineError(
                    number,
                    _(
                        "%(found)d fields where the header has %(expected)d (a comma in a word "
                        "needs quotes)."
                    )
                    % {"found": len(record), "expected": len(header)},
                )
            )
            continue
        values = dict(zip(header, [cell.strip() for cell in record], strict=False))
        rows.append(
            Row(
                number,
                values.get("category", "").lower(),
                values.get("term", ""),
                values.get("replacement", ""),
                values.get("note", ""),
                [v.strip() for v in values.get("variants", "").split("|") if v.strip()],
            )
        )


def _validate(rows: list[Row], errors: list[LineError]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        row.folded = skeleton(row.term)
        problems = entry_errors(row.category, row.term, row.replacement, row.variants, row.folded)
        if len(row.note) > 300:
            problems["note"] = _("The note is longer than 300 characters.")
        if problems:
            errors.append(LineError(row.line, " ".join(str(p) for p in problems.values())))
            continue
        if row.key in seen:
            errors.append(
                LineError(
                    row.line,
                    _("“%(term)s” is already on line %(line)d (written perhaps another way).")
                    % {"term": row.term[:40], "line": seen[row.key]},
                )
            )
            continue
        seen[row.key] = row.line


ENTRY_FIELDS = ["id", "category", "term", "key", "replacement", "note", "variants"]


def plan(word_list: WordList, rows: list[Row], replace: bool) -> Plan:
    """What importing `rows` into `word_list` would change."""
    existing = {
        (values["category"], values["key"]): values
        for values in Entry.objects.filter(word_list=word_list).values(*ENTRY_FIELDS)
    }
    result = Plan()
    for row in rows:
        before = existing.pop(row.key, None)
        if before is None:
            result.added.append(row)
        elif any(before[name] != value for name, value in row.values().items()):
            result.changed.append((before, row))
        else:
            result.unchanged += 1
    if replace:
        result.removed = list(existing.values())
    return result


def _snapshot(values: dict) -> dict:
    return {name: values.get(name, "") for name in COLUMNS[:4] + ["variants"]}


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    """INSERT the rows in batches with executemany(): bulk_create() spends about a millisecond
    a row building and preparing model instances, a minute for a list of 50,000 words."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})", rows[start : start + BATCH]
            )


def apply(word_list: WordList, changes: Plan, by, source: str = "") -> dict[str, int]:
    """Make the planned changes in one transaction and log each of them."""
    if changes.errors:
        raise ImportProblem(_("The file has bad lines; nothing was imported."))
    now = timezone.now()
    at = connection.ops.adapt_datetimefield_value(now)
    by_id = by.pk if by is not None else None
    source = source[:200]
    log: list[tuple] = []

    def logged(kind, category, term, before=None, after=None):
        log.append(
            (
                at,
                by_id,
                kind,
                word_list.pk,
                word_list.name,
                category,
                term,
                _json(before),
                _json(after),
                source,
            )
        )

    with transaction.atomic():
        _insert(
            Entry,
            [
                "word_list",
                "category",
                "term",
                "key",
                "replacement",
                "variants",
                "note",
                "is_active",
                "created_at",
                "updated_at",
            ],
            [
                (
                    word_list.pk,
                    row.category,
                    row.term,
                    row.folded,
                    row.replacement,
                    "\n".join(row.variants),
                    row.note,
                    True,
                    at,
                    at,
                )
                for row in changes.added
            ],
        )
        for row in changes.added:
            logged(EntryChange.Kind.ADDED, row.category, row.term, after=_snapshot(row.values()))
        updated = []
        for before, row in changes.changed:
            entry = Entry(pk=before["id"], word_list=word_list, key=row.folded, **row.values())
            entry.updated_at = now
            updated.append(entry)
            logged(
                EntryChange.Kind.CHANGED,
                row.category,
                row.term,
                before=_snapshot(before),
                after=_snapshot(row.values()),
            )
        Entry.objects.bulk_update(
            updated,
            ["term", "key", "replacement", "note", "variants", "updated_at"],
            batch_size=BATCH,
        )
        removed_ids = [values["id"] for values in changes.removed]
        for start in range(0, len(removed_ids), BATCH):
            Entry.objects.filter(pk__in=removed_ids[start : start + BATCH]).delete()
        for values in changes.removed:
            logged(
                EntryChange.Kind.REMOVED,
                values["category"],
                values["term"],
                before=_snapshot(values),
            )
        _insert(
            EntryChange,
            [
                "at",
                "by",
                "kind",
                "word_list",
                "list_name",
                "category",
                "term",
                "before",
                "after",
                "source",
            ],
            log,
        )
        WordList.objects.filter(pk=word_list.pk).update(updated_at=now)
        ListsVersion.bump()
    return {
        "added": len(changes.added),
        "changed": len(changes.changed),
        "removed": len(changes.removed),
    }


def _json(value):
    if value is None:
        return None
    return connection.ops.adapt_json_value(value, None)


def export_csv(word_list: WordList) -> str:
    """The list in the CSV import format (header included)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for entry in word_list.entries.order_by("category", "key"):
        writer.writerow(entry.as_row())
    return out.getvalue()
