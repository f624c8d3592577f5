"""The sign-off record of an item (审稿单 / 签发单): who signed which stage, when, with what
note, which revision they signed, and what changed between the signed revisions and what
went out. Shown on the change form, printed on A4 for the paper's files, exported as CSV.

Everything here reads: sign-offs are written by the workflow (newsroom.workflow.perform)
and cleared or marked by newsroom.review.chains.content_edited.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from reversion.models import Version

from newsroom import revisions

# The longest range one CSV export covers: a year of sign-offs is a few hundred thousand rows.
EXPORT_MAX_DAYS = 366
# The log's moves that clear signatures.
RETURNS = ("send_back", "reapprove")
# Fields whose changes are the workflow's, not the text's: never shown as a diff.
NOT_CONTENT = {
    "status",
    "status_note",
    "publish_at",
    "first_published_at",
    "last_published_at",
    "edit_version",
    "created_by",
    "created_at",
    "updated_at",
    "desk",
    "review_stage",
    "tags",
    "search_document",
}


@dataclass
class Signature:
    """One sign-off row of the record, with the version of the item it signed."""

    signoff: object
    version: Version | None
    # The next signed version (the next sign-off's), and the compare links to it and to
    # what was published; None where they are the same version or unknown.
    next_version: Version | None = None
    diff_next_url: str | None = None
    diff_published_url: str | None = None
    # Only for the printed record (model_admin.compare, per field): [{"field", "diff"}].
    changes_to_next: list = field(default_factory=list)
    changes_to_published: list = field(default_factory=list)
    # Lines a feature app adds to the signature (register_signature_annotator), e.g. what the
    # word check found in the text that was signed.
    extra: list = field(default_factory=list)

    @property
    def is_cleared(self) -> bool:
        return self.signoff.cleared_at is not None


@dataclass
class Record:
    obj: object
    signatures: list[Signature]
    # The chain's stages still to sign in this round, in order (the record's empty lines).
    pending_stages: list
    published_version: Version | None
    current_stage: object | None
    # The send-backs and re-approvals of the log (Transition rows), oldest first: why
    # signatures were cleared, with the note.
    returns: list = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return any(s.changes_to_next or s.changes_to_published for s in self.signatures)

    @property
    def valid(self) -> list[Signature]:
        """The signatures that stand (not cleared by a send-back or an edit), in order."""
        return [s for s in self.signatures if not s.is_cleared]


# Feature apps add lines to each signature from their AppConfig.ready() (the core imports none
# of them): annotator(obj, signoffs) -> {signoff pk: [line, …]}, one call per record (so that
# an annotator reads what it needs of every signature in one query).
_annotators: list = []


def register_signature_annotator(annotator) -> None:
    if annotator not in _annotators:
        _annotators.append(annotator)


def _compare_url(obj, v1: Version | None, v2: Version | None) -> str | None:
    if v1 is None or v2 is None or v1.pk == v2.pk:
        return None
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_compare", args=[obj.pk])
    first, second = sorted([v1.pk, v2.pk])
    return f"{url}?version_id1={first}&version_id2={second}"


def published_version(obj, versions: list[Version]) -> Version | None:
    """The stored version that readers were shown last: the latest saved at or before the
    item last went public (a scheduled item: its publication time, once it has come)."""
    went_public = obj.last_published_at
    if went_public is None and obj.is_published():
        went_public = obj.publish_at
    if went_public is None:
        return None
    before = [v for v in versions if v.revision.date_created <= went_public]
    return before[-1] if before else None


def record_of(obj, model_admin=None, with_changes: bool = False) -> Record:
    """The sign-off record of `obj`, oldest signature first.

    A constant number of queries: the sign-offs (with stage and signer), the item's
    versions, the stages of its chain, the send-backs of its log. With `with_changes` (the printed record), the
    field-by-field changes of each signed revision to the next and to the published one
    come from `model_admin.compare()` (reversion-compare), as the history's compare page.
    """
    from newsroom.review.models import Stage

    signoffs = list(obj.signoffs.select_related("stage", "by", "revision").order_by("at", "pk"))
    versions = list(
        revisions.versions_of(obj)
        .select_related("revision")
        .order_by("revision__date_created", "pk")
    )
    by_revision = {v.revision_id: v for v in versions}
    published = published_version(obj, versions)
    signatures = [Signature(s, by_revision.get(s.revision_id)) for s in signoffs]
    for index, signature in enumerate(signatures):
        following = signatures[index + 1] if index + 1 < len(signatures) else None
        signature.next_version = following.version if following else None
        signature.diff_next_url = _compare_url(obj, signature.version, signature.next_version)
        signature.diff_published_url = _compare_url(obj, signature.version, published)
        if with_changes and model_admin is not None:
            signature.changes_to_next = _changes(
                model_admin, obj, signature.version, signature.next_version
            )
            signature.changes_to_published = _changes(
                model_admin, obj, signature.version, published
            )

    for annotator in _annotators:
        lines = annotator(obj, signoffs) if signoffs else {}
        for signature in signatures:
            signature.extra.extend(lines.get(signature.signoff.pk, ()))

    current_stage = getattr(obj, "review_stage", None)
    chain_id = current_stage.chain_id if current_stage else None
    if chain_id is None and signoffs:
        chain_id = signoffs[-1].stage.chain_id
    pending = []
    if chain_id is not None and obj.status == obj.Status.REVIEW and current_stage is not None:
        signed = {s.signoff.stage_id for s in signatures if not s.is_cleared}
        pending = [
            stage
            for stage in Stage.objects.filter(chain_id=chain_id).order_by("order")
            if stage.order >= current_stage.order and stage.pk not in signed
        ]
    returns = list(
        obj.transitions.filter(name__in=RETURNS)
        .select_related("by", "from_stage", "to_stage")
        .order_by("at", "pk")
    )
    return Record(obj, signatures, pending, published, current_stage, returns)


def _changes(model_admin, obj, v1: Version | None, v2: Version | None) -> list:
    if v1 is None or v2 is None or v1.pk == v2.pk:
        return []
    if v1.pk > v2.pk:
        v1, v2 = v2, v1
    try:
        diff, _unfollowed = model_admin.compare(obj, v1, v2)
    except Exception:  # an old version that no longer loads (a field since removed)
        return [{"field": None, "diff": _("This version can no longer be compared.")}]
    return [d for d in diff if getattr(d["field"], "name", None) not in NOT_CONTENT]


# --- the admin's change-form panel ---------------------------------------------------------
def change_form_panel(request, obj, model_admin) -> dict | None:
    """The sign-off panel of a content change form (newsroom.admin.register_change_form_panel)."""
    if obj is None or not obj.pk or not hasattr(obj, "signoffs"):
        return None
    record = record_of(obj)
    if not record.signatures and not record.pending_stages:
        return None
    opts = obj._meta
    return {
        "template": "admin/review/record_panel.html",
        "record": record,
        "print_url": reverse("admin:review_record", args=[opts.app_label, opts.model_name, obj.pk]),
    }


# --- the CSV export for the archive ------------------------------------------------------------
CSV_COLUMNS = [
    "signed_at",
    "content_type",
    "object_id",
    "headline",
    "desk",
    "stage_order",
    "stage",
    "signer",
    "signer_name",
    "note",
    "revision",
    "edit_version",
    "edited_after",
    "cleared_at",
    "cleared_reason",
]


def parse_range(raw_from: str, raw_to: str) -> tuple[datetime.datetime, datetime.datetime]:
    """The start and end (exclusive) of the export of days `raw_from` to `raw_to` inclusive,
    in the newsroom's time zone. Raises ValueError with a message for the user."""
    try:
        first = datetime.date.fromisoformat((raw_from or "").strip())
        last = datetime.date.fromisoformat((raw_to or "").strip())
    except ValueError:
        raise ValueError(
            _("Please give both days as dates, such as 2026-11-01 and 2026-11-30.")
        ) from None
    if last < first:
        raise ValueError(_("The last day comes before the first."))
    if (last - first).days >= EXPORT_MAX_DAYS:
        raise ValueError(
            _("One export covers at most %(days)d days; please choose a shorter range.")
            % {"days": EXPORT_MAX_DAYS}
        )
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


def _cell(value) -> str:
    """A CSV cell a spreadsheet shows as text: a value starting with = + - @ would run as a formula."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def export_rows(start: datetime.datetime, end: datetime.datetime) -> Iterator[str]:
    """CSV lines (header first) of every sign-off made in [start, end), oldest first.

    Streamed in chunks; each chunk costs one query for the sign-offs (with stage, desk
    and signer) and one per content type for the items' headlines and desks.
    """
    from newsroom.review.models import Signoff

    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)  # the BOM: spreadsheets then read UTF-8
    rows = (
        Signoff.objects.filter(Q(at__gte=start) & Q(at__lt=end))
        .select_related("stage", "by", "content_type")
        .prefetch_related("content_object__desk")
        .order_by("at", "pk")
    )
    for signoff in rows.iterator(chunk_size=2000):
        item = signoff.content_object
        by = signoff.by
        desk = getattr(item, "desk", None) if item is not None else None
        yield writer.writerow(
            [
                _cell(_iso(signoff.at)),
                _cell(signoff.content_type.model),
                _cell(signoff.object_id),
                _cell(str(item) if item is not None else ""),
                _cell(desk.name if desk else ""),
                _cell(signoff.stage.order),
                _cell(signoff.stage.name),
                _cell(by.get_username() if by else ""),
                _cell(by.get_full_name() if by else ""),
                _cell(signoff.note),
                _cell(signoff.revision_id or ""),
                _cell(signoff.edit_version),
                _cell(_("yes") if signoff.edited_after else ""),
                _cell(_iso(signoff.cleared_at)),
                _cell(signoff.cleared_reason),
            ]
        )


def _iso(at: datetime.datetime | None) -> str:
    return localtime(at).isoformat(timespec="seconds") if at else ""
