"""The check of an item: which of its texts are read, what was found where, what the policy
makes of it at a stage, and the guard that the workflow calls before every transition.

Hits are reported at their place in the field's stored value (`start`/`end`; for rich text,
offsets into the markup) and in the text a reader sees (`text_start`/`text_end`, with
`occurrence`: how many times the same text appears before it, which the editor's "find in
text" uses).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from wordcheck.lists import Compiled, current, is_senior, stage_key
from wordcheck.models import Action, Category, CheckResult
from wordcheck.text import html_text, plain

CONTEXT_CHARS = 20
# A message names this many hits, then says how many more there are.
MESSAGE_HITS = 5


@dataclass(frozen=True)
class ContentSpec:
    """The texts of one content model the check reads: its own fields (names of the rich-text
    ones in `html`) and its photos' captions and alt texts."""

    fields: tuple[str, ...]
    html: frozenset[str] = frozenset()
    photos: Callable[[object], Iterable] | None = None
    # Its change form edits the photos in an inline (prefix-N-caption, prefix-N-alt_text).
    photo_inline: bool = False


SPECS: dict[str, ContentSpec] = {}


def register(model, spec: ContentSpec) -> None:
    """Check `model`'s texts on every save and transition (called from AppConfig.ready())."""
    SPECS[model._meta.label_lower] = spec


def spec_for(obj) -> ContentSpec | None:
    return SPECS.get(obj._meta.label_lower)


PHOTO_FIELDS = ("caption", "alt_text")


@dataclass(frozen=True)
class Text:
    key: str  # the field's name, or photo:<pk>:caption
    label: str
    value: str
    is_html: bool


def field_label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def texts_of(obj) -> Iterator[Text]:
    """The texts of `obj` the check reads, as stored."""
    spec = spec_for(obj)
    if spec is None:
        return
    for name in spec.fields:
        yield Text(name, field_label(type(obj), name), getattr(obj, name) or "", name in spec.html)
    if spec.photos is not None:
        for number, photo in enumerate(spec.photos(obj), start=1):
            for name in PHOTO_FIELDS:
                label = _("photo %(number)d: %(field)s") % {
                    "number": number,
                    "field": field_label(type(photo), name),
                }
                yield Text(f"photo:{photo.pk}:{name}", label, getattr(photo, name) or "", False)


@dataclass
class Hit:
    field: str
    label: str
    start: int
    end: int
    text_start: int
    text_end: int
    occurrence: int
    matched: str
    before: str
    after: str
    category: str
    kind: str
    entry_id: int
    term: str
    suggestion: str
    note: str
    list_name: str
    actions: dict[str, str] = field(default_factory=dict)  # stage -> action

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def category_label(self) -> str:
        return str(Category(self.category).label)


def check_texts(
    texts: Iterable[Text], compiled: Compiled | None = None, desk_id: int | None = None
) -> list[Hit]:
    """Every hit in `texts`, in order of field then position. A desk's own entries count for
    the texts of that desk (`desk_id`) only."""
    compiled = compiled or current()
    hits: list[Hit] = []
    for text in texts:
        source = html_text(text.value) if text.is_html else plain(text.value)
        visible = source.text
        for match in compiled.matcher.find(visible):
            entry = match.entry
            entry_desk = getattr(entry, "desk_id", None)  # lists cached by older code have none
            if entry_desk is not None and entry_desk != desk_id:
                continue
            start, end = source.span(match.start, match.end)
            matched = visible[match.start : match.end]
            hits.append(
                Hit(
                    field=text.key,
                    label=text.label,
                    start=start,
                    end=end,
                    text_start=match.start,
                    text_end=match.end,
                    occurrence=visible.count(matched, 0, match.start),
                    matched=matched,
                    before=visible[max(0, match.start - CONTEXT_CHARS) : match.start],
                    after=visible[match.end : match.end + CONTEXT_CHARS],
                    category=entry.category,
                    kind=match.kind,
                    entry_id=entry.id,
                    term=entry.term,
                    suggestion=match.suggestion,
                    note=entry.note,
                    list_name=entry.list_name,
                    actions={stage: compiled.action(entry.category, stage) for stage in stages()},
                )
            )
    return hits


def stages() -> list[str]:
    from wordcheck.lists import STAGES

    return list(STAGES)


def desk_of(obj) -> int | None:
    desk_id = getattr(obj, "desk_id", None)
    if desk_id is None and hasattr(obj, "desk_from_content"):
        desk_id = obj.desk_from_content()
    return desk_id


def check_item(obj, compiled: Compiled | None = None) -> list[Hit]:
    return check_texts(texts_of(obj), compiled, desk_id=desk_of(obj))


def store_result(obj, hits: list[Hit], compiled: Compiled) -> CheckResult:
    """Keep the hits of `obj` (one row per item, replaced)."""
    categories = sorted({hit.category for hit in hits})
    result, _created = CheckResult.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        defaults={
            "version": compiled.token,
            "checked_at": timezone.now(),
            "hits": [hit.as_dict() for hit in hits],
            "hit_count": len(hits),
            "categories": ",".join(categories),
        },
    )
    return result


def check_and_store(obj) -> list[Hit]:
    """Check `obj` with the current lists and keep the result."""
    if spec_for(obj) is None or obj.pk is None:
        return []
    compiled = current()
    hits = check_item(obj, compiled)
    store_result(obj, hits, compiled)
    return hits


def hits_from(result: CheckResult) -> list[Hit]:
    return [Hit(**row) for row in result.hits]


def stored_or_fresh(obj) -> list[Hit]:
    """The stored hits when they are of the current lists and newer than the item's last
    change; else a new check (kept)."""
    compiled = current()
    result = CheckResult.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).first()
    updated_at = getattr(obj, "updated_at", None)
    if (
        result is not None
        and result.version == compiled.token
        and (updated_at is None or result.checked_at >= updated_at)
    ):
        try:
            return hits_from(result)
        except TypeError:  # a row written by an older version of this code
            pass
    hits = check_item(obj, compiled)
    store_result(obj, hits, compiled)
    return hits


# --- policy -------------------------------------------------------------------------------------


@dataclass
class Verdict:
    stage: str
    blocking: list[Hit]
    needs_signoff: list[Hit]
    warnings: list[Hit]

    @property
    def is_clear(self) -> bool:
        return not self.blocking and not self.needs_signoff


STRICTNESS = {None: 0, Action.WARN: 1, Action.SIGNOFF: 2, Action.BLOCK: 3}


def verdict(
    hits: list[Hit], stage: str, compiled: Compiled | None = None, also: tuple[str, ...] = ()
) -> Verdict:
    """What the hits mean at `stage`; with `also`, the stricter of that and the rules set for
    those stages themselves (their own rows only: no fallback, no default)."""
    compiled = compiled or current()
    by_action: dict[str | None, list[Hit]] = {Action.BLOCK: [], Action.SIGNOFF: [], Action.WARN: []}
    for hit in hits:
        action = max(
            (
                compiled.action(hit.category, stage),
                *(compiled.policy.get((hit.category, name)) for name in also),
            ),
            key=STRICTNESS.__getitem__,
        )
        if action in by_action:
            by_action[action].append(hit)
    return Verdict(
        stage, by_action[Action.BLOCK], by_action[Action.SIGNOFF], by_action[Action.WARN]
    )


def describe(hits: list[Hit]) -> str:
    """“禁用词” (banned) in the headline; … and 3 more."""
    parts = [
        _("“%(text)s” (%(category)s) in %(field)s")
        % {"text": hit.matched, "category": hit.category_label, "field": hit.label}
        for hit in hits[:MESSAGE_HITS]
    ]
    if len(hits) > MESSAGE_HITS:
        parts.append(_("and %(count)d more") % {"count": len(hits) - MESSAGE_HITS})
    return "; ".join(parts)


SIGNOFF_ATTRIBUTE = "_wordcheck_signoff"
VERDICT_ATTRIBUTE = "_wordcheck_verdict"
# The transitions that may sign a review stage (newsroom.workflow._move_stage).
SIGNING_TRANSITIONS = ("approve", "publish", "schedule")


def policy_stages(instance, name: str) -> tuple[str, tuple[str, ...]]:
    """The policy stage of transition `name` on `instance` (locked), and the review stages it
    signs too: an approval is the policy of the stage being signed; a publish or schedule that
    signs the chain's last stage (unsigned yet) also answers to a rule set for that stage (so
    that the single-editor chain publishes exactly as before unless a rule says otherwise)."""
    from newsroom.review import chains

    if name == "approve":
        stage = chains.current_stage(instance)
        return (stage_key(stage), ()) if stage is not None else (name, ())
    if name in ("publish", "schedule") and instance.status in ("draft", "review"):
        last = chains.last_stage(instance)
        if last is not None and last.pk not in chains.signed_stage_ids(instance):
            return name, (stage_key(last),)
    return name, ()


def guard(sender, instance, name, by, note="", **kwargs):
    """Before a transition, under its row lock: check the item again, keep the result, and
    refuse the transition when the policy of this stage blocks a hit, or asks for a senior
    editor's note that was not given. Raises ValidationError (nothing is saved then).
    An approval at a review stage answers to that stage's policy (else approve's)."""
    if spec_for(instance) is None:
        return
    compiled = current()
    hits = check_item(instance, compiled)
    store_result(instance, hits, compiled)
    stage, also = policy_stages(instance, name)
    found = verdict(hits, stage, compiled, also=also)
    setattr(instance, VERDICT_ATTRIBUTE, (found, compiled.token))
    if found.blocking:
        raise ValidationError(
            _("The word check blocks this: %(hits)s. Correct the text, then try again.")
            % {"hits": describe(found.blocking)},
            code="wordcheck_blocked",
        )
    if found.needs_signoff:
        if not is_senior(by, instance):
            raise ValidationError(
                _("This needs a senior editor's note first: %(hits)s.")
                % {"hits": describe(found.needs_signoff)},
                code="wordcheck_signoff",
            )
        if not (note or "").strip():
            raise ValidationError(
                _(
                    "Sign off what the word check found with a note (in the word-check panel): "
                    "%(hits)s."
                )
                % {"hits": describe(found.needs_signoff)},
                code="wordcheck_signoff_note",
            )
        setattr(instance, SIGNOFF_ATTRIBUTE, (stage, by, note.strip(), found.needs_signoff))


def record_signed_check(instance, name, transition) -> None:
    """Keep what the check found beside each review stage this transition signed."""
    from newsroom.review.models import Signoff
    from wordcheck.models import SignedCheck

    found = instance.__dict__.pop(VERDICT_ATTRIBUTE, None)
    if found is None or transition is None or name not in SIGNING_TRANSITIONS:
        return
    found, token = found
    signed = Signoff.objects.filter(
        content_type=ContentType.objects.get_for_model(instance),
        object_id=instance.pk,
        at=transition.at,
        cleared_at__isnull=True,
    ).values_list("pk", flat=True)
    SignedCheck.objects.bulk_create(
        [
            SignedCheck(
                signoff_id=pk,
                warnings=[hit.matched for hit in found.warnings],
                signed_off=[hit.matched for hit in found.needs_signoff],
                version=token,
            )
            for pk in signed
        ],
        ignore_conflicts=True,
    )


def signature_lines(obj, signoffs) -> dict[int, list[str]]:
    """The sign-off record's line per signature (newsroom.review.record annotator): one query."""
    from wordcheck.models import SignedCheck

    lines: dict[int, list[str]] = {}
    for row in SignedCheck.objects.filter(signoff__in=[s.pk for s in signoffs]):
        if not row.warnings and not row.signed_off:
            text = _("Word check: nothing found.")
        else:
            parts = []
            if row.warnings:
                parts.append(
                    _("%(count)d warned of (%(words)s)")
                    % {"count": len(row.warnings), "words": "、".join(row.warnings[:MESSAGE_HITS])}
                )
            if row.signed_off:
                parts.append(
                    _("%(count)d let through with a senior note (%(words)s)")
                    % {
                        "count": len(row.signed_off),
                        "words": "、".join(row.signed_off[:MESSAGE_HITS]),
                    }
                )
            text = _("Word check: %(found)s.") % {"found": "; ".join(parts)}
        lines[row.signoff_id] = [text]
    return lines


def record_signoff(sender, instance, name, **kwargs):
    """After the transition's log row is written (same transaction): the sign-off record."""
    from newsroom.models import Transition
    from wordcheck.models import Override

    record_signed_check(instance, name, kwargs.get("transition"))
    signoff = getattr(instance, SIGNOFF_ATTRIBUTE, None)
    if signoff is None:
        return
    delattr(instance, SIGNOFF_ATTRIBUTE)
    stage, by, note, hits = signoff
    content_type = ContentType.objects.get_for_model(instance)
    transition = kwargs.get("transition") or (
        Transition.objects.filter(content_type=content_type, object_id=instance.pk, name=name)
        .order_by("-pk")
        .first()
    )
    Override.objects.create(
        content_type=content_type,
        object_id=instance.pk,
        stage=stage,
        transition=transition,
        by=by,
        note=note,
        hits=[hit.as_dict() for hit in hits],
    )


def label_of_action(action: str | None) -> str:
    return str(Action(action).label) if action else ""
