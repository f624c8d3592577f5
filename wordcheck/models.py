"""The lists the newsroom keeps, the policy that says what a hit means at each stage, and
what the check found (stored, so that forms and queues show it without checking again).

Every change to an entry, a list or the policy bumps `ListsVersion` in the same
transaction: the compiled automaton is keyed by that number (wordcheck.lists).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wordcheck.text import skeleton

TERM_MAX_LENGTH = 200


class Category(models.TextChoices):
    BANNED = "banned", _("Banned (禁用词)")
    SENSITIVE = "sensitive", _("Sensitive (敏感词)")
    FIXED = "fixed", _("Fixed formulation (固定提法)")
    MISTAKE = "mistake", _("Common mistake (错别字/易混词)")
    EXCEPTION = "exception", _("Exception (白名单)")


class Action(models.TextChoices):
    WARN = "warn", _("Warn")
    SIGNOFF = "signoff", _("Allow with a note by a senior editor")
    BLOCK = "block", _("Block")


def new_token() -> str:
    return uuid.uuid4().hex


class ListsVersion(models.Model):
    """One row: the version of everything the check uses (entries, lists, policy).

    `number` counts the changes, for people; `token` names the version for the cache. It is
    random so that a version never names two states, not even across a rolled-back change."""

    number = models.PositiveBigIntegerField(default=1)
    token = models.CharField(max_length=32, default=new_token)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lists version")

    def __str__(self):
        return str(self.number)

    @classmethod
    def current(cls) -> tuple[int, str]:
        """(number, token) of the lists now."""
        row = cls.objects.filter(pk=1).values_list("number", "token").first()
        return row or (0, "")

    @classmethod
    def bump(cls) -> None:
        """Make the lists a new version. Call it inside the transaction of every change to
        entries, lists or policy (save() and delete() of each do; bulk writes must)."""
        updated = cls.objects.filter(pk=1).update(
            number=F("number") + 1, token=new_token(), changed_at=timezone.now()
        )
        if not updated:
            cls.objects.get_or_create(pk=1, defaults={"number": 1})


class BumpsVersionModel(models.Model):
    """Saving or deleting a row makes the lists a new version, in the same transaction."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            ListsVersion.bump()

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            ListsVersion.bump()
        return result


class WordList(BumpsVersionModel):
    """A list of entries, imported and exported as a whole (e.g. a notice's words, house style).

    Desks (issue 12) will add a nullable desk here: a desk's list applies to its items only."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Entries of an inactive list are not checked.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last modified at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("word list")
        verbose_name_plural = _("word lists")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Entry(BumpsVersionModel):
    """A listed word: what to look for, what it is, and what to write instead."""

    word_list = models.ForeignKey(
        WordList, verbose_name=_("list"), on_delete=models.CASCADE, related_name="entries"
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    term = models.CharField(
        _("word or phrase"),
        max_length=TERM_MAX_LENGTH,
        help_text=_(
            "Found however it is written: full- or half-width, traditional characters, spaces, "
            "punctuation or invisible characters between its characters. Words in English are "
            "found on word boundaries, in any case. For a fixed formulation: the full, exact form."
        ),
    )
    # The folded form (wordcheck.text.fold): two entries that would match alike are one.
    key = models.CharField(max_length=TERM_MAX_LENGTH * 3, editable=False)
    replacement = models.CharField(
        _("write instead"),
        max_length=TERM_MAX_LENGTH,
        blank=True,
        help_text=_("Offered as a one-click replacement. For a common mistake: the right form."),
    )
    variants = models.TextField(
        _("short or wrong forms"),
        blank=True,
        help_text=_(
            "Fixed formulations only: one per line, the forms that give away a formulation not "
            "written in full. Each is a hit unless it is part of the full form."
        ),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    # A desk's own extra entry: checked on that desk's items only (empty: the whole newsroom).
    desk = models.ForeignKey(
        "newsroom.Desk",
        verbose_name=_("desk"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: checked everywhere. A desk: checked on that desk's items only."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last modified at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["word_list", "category", "key"]
        constraints = [
            # One entry per word and category in a list; imports match rows on it.
            models.UniqueConstraint(
                fields=["word_list", "category", "key"], name="wordcheck_entry_unique_key"
            ),
        ]

    def __str__(self):
        return self.term

    def save(self, *args, **kwargs):
        self.term = (self.term or "").strip()
        self.key = skeleton(self.term)
        self.variants = "\n".join(self.variant_list())
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)

    def variant_list(self) -> list[str]:
        return [line.strip() for line in self.variants.splitlines() if line.strip()]

    def clean(self):
        errors = entry_errors(self.category, self.term, self.replacement, self.variant_list())
        if self.desk_id is not None and self.category == Category.EXCEPTION:
            errors["desk"] = _(
                "An exception applies to the whole newsroom: leave the desk empty, or make it "
                "an entry of another category."
            )
        if errors:
            raise ValidationError(errors)
        duplicate = Entry.objects.filter(
            word_list_id=self.word_list_id, category=self.category, key=skeleton(self.term)
        ).exclude(pk=self.pk)
        if self.word_list_id and duplicate.exists():
            raise ValidationError(
                {"term": _("This list already has this word (written perhaps another way).")}
            )

    def as_row(self) -> dict[str, str]:
        """The entry as a line of the import/export format."""
        return {
            "category": self.category,
            "term": self.term,
            "replacement": self.replacement,
            "note": self.note,
            "variants": "|".join(self.variant_list()),
        }


CATEGORIES = frozenset(Category.values)


def entry_errors(
    category: str, term: str, replacement: str, variants: list[str], key: str | None = None
) -> dict:
    """What is wrong with an entry, by field (shared by the admin form and imports); `key`
    is the term's skeleton when the caller has it already."""
    errors: dict[str, str] = {}
    if category not in CATEGORIES:
        errors["category"] = _("“%(value)s” is not a category; use one of: %(choices)s.") % {
            "value": category[:40],
            "choices": ", ".join(Category.values),
        }
    term = (term or "").strip()
    if not term:
        errors["term"] = _("The word is empty.")
    elif len(term) > TERM_MAX_LENGTH:
        errors["term"] = _("The word is longer than %(max)d characters.") % {"max": TERM_MAX_LENGTH}
    elif not (key if key is not None else skeleton(term)):
        errors["term"] = _("The word has no letter or character to look for, only punctuation.")
    elif any(ord(c) < 32 for c in term):
        errors["term"] = _("The word contains control characters.")
    if len(replacement or "") > TERM_MAX_LENGTH:
        errors["replacement"] = _("The replacement is longer than %(max)d characters.") % {
            "max": TERM_MAX_LENGTH
        }
    if variants and category != Category.FIXED:
        errors["variants"] = _("Only a fixed formulation has short or wrong forms.")
    for variant in variants:
        if len(variant) > TERM_MAX_LENGTH or not skeleton(variant):
            errors["variants"] = _("“%(value)s” is not a form to look for.") % {
                "value": variant[:40]
            }
            break
    return errors


class Policy(BumpsVersionModel):
    """What a hit of a category means at a stage (a workflow transition's name)."""

    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    # A transition name (submit, schedule, publish…): review stages of issue 12 add theirs.
    stage = models.CharField(_("stage"), max_length=32)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)

    class Meta:
        verbose_name = _("policy rule")
        verbose_name_plural = _("policy")
        ordering = ["category", "stage"]
        constraints = [
            # policy_for() reads one action per (category, stage).
            models.UniqueConstraint(fields=["category", "stage"], name="wordcheck_policy_unique"),
        ]

    def __str__(self):
        return f"{self.get_category_display()} · {self.stage}: {self.get_action_display()}"


class CheckResult(models.Model):
    """The latest check of an item: its hits, with the lists version they were found with."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    version = models.CharField(_("lists version"), max_length=32)
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)
    hits = models.JSONField(_("hits"), default=list)
    hit_count = models.PositiveIntegerField(_("hits"), default=0)
    # Comma-separated categories found, for the queue's filter.
    categories = models.CharField(_("categories"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("word-check result")
        verbose_name_plural = _("word-check results")
        ordering = ["-checked_at", "-pk"]
        constraints = [
            # One result per item; store_result() upserts on it.
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="wordcheck_result_unique_object"
            ),
        ]
        indexes = [
            # The queue: items with hits, newest check first.
            models.Index(
                fields=["-checked_at"],
                condition=models.Q(hit_count__gt=0),
                name="wordcheck_result_hits_idx",
            ),
        ]

    def __str__(self):
        return f"{self.content_type.model}:{self.object_id} ({self.hit_count})"


class Override(models.Model):
    """A senior editor's note that let hits through at a stage: the sign-off record."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    stage = models.CharField(_("stage"), max_length=32)
    transition = models.ForeignKey(
        "newsroom.Transition",
        verbose_name=_("status change"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"))
    hits = models.JSONField(_("hits signed off"), default=list)

    class Meta:
        verbose_name = _("word-check sign-off")
        verbose_name_plural = _("word-check sign-offs")
        ordering = ["-at", "-pk"]
        indexes = [
            # The item's history panel.
            models.Index(
                fields=["content_type", "object_id", "at"], name="wordcheck_override_obj_idx"
            ),
        ]

    def __str__(self):
        return f"{self.stage} · {self.by} · {self.at:%Y-%m-%d %H:%M}"


class SignedCheck(models.Model):
    """What the word check found in the text that a review stage signed: the sign-off record
    (审稿单) lists it beside the signature. Nothing blocking can be signed, so: the words
    warned of, and those let through with a senior note."""

    signoff = models.OneToOneField(
        "newsroom.Signoff", on_delete=models.CASCADE, related_name="wordcheck"
    )
    warnings = models.JSONField(_("warned of"), default=list)
    signed_off = models.JSONField(_("let through with a note"), default=list)
    version = models.CharField(_("lists version"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("word check of a signature")
        verbose_name_plural = _("word checks of signatures")

    def __str__(self):
        return f"{self.signoff_id}: {len(self.warnings)} / {len(self.signed_off)}"


class EntryChange(models.Model):
    """The log of the lists: who changed what, when (admin edits and imports alike)."""

    class Kind(models.TextChoices):
        ADDED = "added", _("added")
        CHANGED = "changed", _("changed")
        REMOVED = "removed", _("removed")

    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("change"), max_length=16, choices=Kind.choices)
    word_list = models.ForeignKey(
        WordList, verbose_name=_("list"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    list_name = models.CharField(_("list"), max_length=100)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    term = models.CharField(_("word or phrase"), max_length=TERM_MAX_LENGTH)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("list change")
        verbose_name_plural = _("list changes")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["-at"], name="wordcheck_change_at_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.term}"


class PendingImport(models.Model):
    """An uploaded list waiting for the administrator to confirm its preview."""

    word_list = models.ForeignKey(WordList, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=200, blank=True)
    content = models.TextField()
    default_category = models.CharField(max_length=16, blank=True)
    replace = models.BooleanField(default=False)
    # The lists version the preview was made against: a change since then voids it.
    version = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("pending import")

    def __str__(self):
        return f"{self.word_list} ← {self.filename}"


class AuditReport(models.Model):
    """An archive audit too big to stream in the request (more published items than
    WORDCHECK_AUDIT_AT_ONCE_MAX_ITEMS): made by a task (wordcheck/tasks.py), kept here for
    the person who asked, who downloads its CSV from the admin."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("being made")
        DONE = "done", _("ready")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    # The entries audited (the exceptions always apply); a published-since day, or none.
    entry_ids = models.JSONField(default=list)
    since = models.DateField(_("published since"), null=True, blank=True)
    items = models.PositiveIntegerField(_("items audited"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    hits = models.PositiveIntegerField(_("hits"), default=0)
    csv = models.TextField(blank=True)

    class Meta:
        verbose_name = _("archive audit")
        verbose_name_plural = _("archive audits")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.requested_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"
