"""The review models: desks and their members, chains of stages, and the sign-off record."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsroom.roles import DESK_ROLES, ROLE_GROUPS, SIGNER_ROLES, Role, forget_roles

__all__ = ["Chain", "ChainChoice", "Desk", "DeskMembership", "Signoff", "Stage"]


class DeskQuerySet(models.QuerySet):
    def default(self) -> Desk | None:
        return self.filter(is_default=True).first()

    def default_id(self) -> int | None:
        return self.filter(is_default=True).values_list("pk", flat=True).first()


class Desk(models.Model):
    """A desk (部门) of the paper, such as 要闻部: members with roles, and the sections it owns."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    is_default = models.BooleanField(
        _("default desk"),
        default=False,
        help_text=_("Items whose section has no desk belong to the default desk. There is one."),
    )

    objects = DeskQuerySet.as_manager()

    class Meta:
        verbose_name = _("desk")
        verbose_name_plural = _("desks")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_desk"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.is_default and Desk.objects.filter(is_default=True).exclude(pk=self.pk).exists():
            raise ValidationError(
                {"is_default": _("Another desk is the default desk; there is only one.")}
            )


DESK_ROLE_CHOICES = [(role.value, role.label) for role in DESK_ROLES]


class DeskMembership(models.Model):
    """A person's role on a desk. One person may hold several roles on several desks."""

    desk = models.ForeignKey(
        Desk, verbose_name=_("desk"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="desk_memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=DESK_ROLE_CHOICES)

    class Meta:
        verbose_name = _("desk membership")
        verbose_name_plural = _("desk memberships")
        ordering = ["desk", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["desk", "user", "role"], name="one_membership_per_role")
        ]
        indexes = [models.Index(fields=["user", "desk"], name="membership_user_idx")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.desk}"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.sync_group(self.user_id, self.role)
        forget_roles(self.user)

    @staticmethod
    def sync_group(user_id, role) -> None:
        """The user is in the role's group exactly while holding the role on some desk. Called
        after every save and every delete of a membership (one by one, in bulk, by cascade)."""
        from django.contrib.auth.models import Group, User

        group, _created = Group.objects.get_or_create(name=ROLE_GROUPS[role])
        through = User.groups.through
        if DeskMembership.objects.filter(user_id=user_id, role=role).exists():
            through.objects.get_or_create(user_id=user_id, group_id=group.pk)
        else:
            through.objects.filter(user_id=user_id, group_id=group.pk).delete()


@receiver(post_delete, sender=DeskMembership)
def membership_deleted(sender, instance, **kwargs):
    DeskMembership.sync_group(instance.user_id, instance.role)
    cached_user = instance._state.fields_cache.get("user")
    if cached_user is not None:
        forget_roles(cached_user)


SIGNER_CHOICES = [(role.value, role.label) for role in SIGNER_ROLES]


class Chain(models.Model):
    """A review chain: the ordered stages an item passes before it may be published."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("review chain")
        verbose_name_plural = _("review chains")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Stage(models.Model):
    """One stage of a chain: who signs it and what the signer may do."""

    REVIEW = "review"
    PROOF = "proof"
    KIND_CHOICES = [(REVIEW, _("review")), (PROOF, _("proofreading"))]

    chain = models.ForeignKey(
        Chain, verbose_name=_("chain"), on_delete=models.CASCADE, related_name="stages"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=60)
    signer = models.CharField(_("signed by"), max_length=16, choices=SIGNER_CHOICES)
    kind = models.CharField(_("kind"), max_length=8, choices=KIND_CHOICES, default=REVIEW)
    may_edit = models.BooleanField(
        _("signer may edit"), default=True, help_text=_("The signer may change the text.")
    )
    distinct_signer = models.BooleanField(
        _("distinct signer"),
        default=False,
        help_text=_(
            "Whoever signs this stage may not sign another stage so marked of the same story "
            "(三审: three different people)."
        ),
    )
    reapprove_on_edit = models.BooleanField(
        _("re-approve after edits"),
        default=False,
        help_text=_(
            "An edit after this stage was signed clears its sign-off and every later one, and "
            "returns the story to this stage."
        ),
    )

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["chain", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "order"], name="one_stage_per_order")
        ]

    def __str__(self):
        return self.name

    @property
    def is_proof(self) -> bool:
        return self.kind == self.PROOF


class ChainChoice(models.Model):
    """Which chain the items of a desk (or every desk) and a content type (or every type) follow.

    The most specific choice wins: (desk, type) > (desk, any) > (any desk, type) > (any, any),
    the site default (newsroom.review.chains.chain_for)."""

    chain = models.ForeignKey(Chain, verbose_name=_("chain"), on_delete=models.PROTECT)
    desk = models.ForeignKey(
        Desk,
        verbose_name=_("desk"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty: every desk."),
    )
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("content type"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty: articles, events and galleries alike."),
    )

    class Meta:
        verbose_name = _("chain choice")
        verbose_name_plural = _("chain choices")
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "content_type"],
                condition=Q(desk__isnull=False, content_type__isnull=False),
                name="chainchoice_desk_type",
            ),
            models.UniqueConstraint(
                fields=["desk"],
                condition=Q(desk__isnull=False, content_type__isnull=True),
                name="chainchoice_desk",
            ),
            models.UniqueConstraint(
                fields=["content_type"],
                condition=Q(desk__isnull=True, content_type__isnull=False),
                name="chainchoice_type",
            ),
            models.UniqueConstraint(
                fields=["chain"],
                condition=Q(desk__isnull=True, content_type__isnull=True),
                name="chainchoice_site_default_per_chain",
            ),
        ]

    def __str__(self):
        desk = self.desk or _("every desk")
        kind = self.content_type.name if self.content_type_id else _("every type")
        return f"{desk} · {kind} → {self.chain}"

    def clean(self):
        same = ChainChoice.objects.filter(
            desk_id=self.desk_id, content_type_id=self.content_type_id
        ).exclude(pk=self.pk)
        if same.exists():
            raise ValidationError(
                _(
                    "There is a chain chosen for this desk and content type already; change that one."
                )
            )


class SignoffQuerySet(models.QuerySet):
    def current(self):
        """The sign-offs of the current round: not cleared by an edit or a send-back."""
        return self.filter(cleared_at__isnull=True)

    def of(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        )


class Signoff(models.Model):
    """One signature: a stage of a story signed by a person at a time, with the revision signed.
    Kept for the paper's record (签发单); an edit or a send-back clears it, never deletes it."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="signoffs"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("signed at"), default=timezone.now)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    revision = models.ForeignKey(
        "reversion.Revision",
        verbose_name=_("revision signed"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    edit_version = models.PositiveIntegerField(_("edit version signed"), default=0)
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    cleared_reason = models.CharField(_("cleared because"), max_length=200, blank=True)
    edited_after = models.BooleanField(_("edited after signing"), default=False)

    objects = SignoffQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="signoff_object_idx")
        ]

    def __str__(self):
        return f"{self.stage} · {self.by} · {self.at:%Y-%m-%d %H:%M}"


# Roles that may sign a stage whose `signer` is the key, on the item's desk (chief editors sign
# any stage anywhere: newsroom.review.rules.may_sign).
SIGNING_ROLES: dict[str, frozenset[str]] = {
    Role.EDITOR: frozenset({Role.EDITOR, Role.CHIEF}),
    Role.CHIEF: frozenset({Role.CHIEF}),
    Role.PROOFREADER: frozenset({Role.PROOFREADER}),
    Role.CHIEF_EDITOR: frozenset(),
}
