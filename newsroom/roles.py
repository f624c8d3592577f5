"""Who a user is in the newsroom. Groups are created by migrations.

Two kinds of role (issue 12; the rules that use them: newsroom.review.rules):
- desk roles (reporter, correspondent, photographer, editor, chief, proofreader), held per desk
  through `newsroom.review.models.DeskMembership`; the membership also puts the user in the role's
  group, which carries the model permissions the admin needs first;
- site-wide roles (chief editor, site administrator): the group alone. Superusers count as chief
  editors. Today's "Editors" group is the chief editors' group, so an existing editor keeps every right.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.utils.translation import gettext_lazy as _

EDITORS = "Editors"
REPORTERS = "Reporters"


class Role(models.TextChoices):
    REPORTER = "reporter", _("reporter")
    CORRESPONDENT = "correspondent", _("correspondent")
    PHOTOGRAPHER = "photographer", _("photographer")
    EDITOR = "editor", _("desk editor")
    CHIEF = "chief", _("desk chief")
    PROOFREADER = "proofreader", _("proofreader")
    CHIEF_EDITOR = "chief_editor", _("chief editor")
    ADMIN = "admin", _("site administrator")


# The group that carries each role's model permissions.
ROLE_GROUPS: dict[str, str] = {
    Role.REPORTER: REPORTERS,
    Role.CORRESPONDENT: "Correspondents",
    Role.PHOTOGRAPHER: "Photographers",
    Role.EDITOR: "Desk editors",
    Role.CHIEF: "Desk chiefs",
    Role.PROOFREADER: "Proofreaders",
    Role.CHIEF_EDITOR: EDITORS,
    Role.ADMIN: "Site administrators",
}

# Roles held on a desk (DeskMembership.role); the others are site-wide.
DESK_ROLES = (
    Role.REPORTER,
    Role.CORRESPONDENT,
    Role.PHOTOGRAPHER,
    Role.EDITOR,
    Role.CHIEF,
    Role.PROOFREADER,
)
SITE_ROLES = (Role.CHIEF_EDITOR, Role.ADMIN)
# Roles that file work and may change only their own drafts.
CONTRIBUTOR_ROLES = frozenset({Role.REPORTER, Role.CORRESPONDENT, Role.PHOTOGRAPHER})
# The roles that may sign a stage (Stage.signer).
SIGNER_ROLES = (Role.EDITOR, Role.CHIEF, Role.PROOFREADER, Role.CHIEF_EDITOR)


def _group_names(user: User | AnonymousUser) -> frozenset[str]:
    # Cached on the user object: one query per request, however many checks.
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_newsroom_groups"):
        user._newsroom_groups = frozenset(user.groups.values_list("name", flat=True))
    return user._newsroom_groups


def forget_roles(user) -> None:
    """Drop what is cached on `user` (after its groups or memberships changed)."""
    for attribute in ("_newsroom_groups", "_newsroom_desk_roles"):
        user.__dict__.pop(attribute, None)


def is_active_user(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_editor(user) -> bool:
    """A chief editor (总编辑 / 值班总编): every right on every desk. The name is today's."""
    return bool(is_active_user(user) and (user.is_superuser or EDITORS in _group_names(user)))


is_chief_editor = is_editor


def is_site_admin(user) -> bool:
    return bool(
        is_active_user(user)
        and (user.is_superuser or ROLE_GROUPS[Role.ADMIN] in _group_names(user))
    )


def is_reporter(user) -> bool:
    return bool(is_active_user(user) and REPORTERS in _group_names(user))


def has_role_group(user, *roles) -> bool:
    names = _group_names(user)
    return is_active_user(user) and any(ROLE_GROUPS[role] in names for role in roles)


def is_newsroom_member(user) -> bool:
    """Anyone with a newsroom role."""
    return is_editor(user) or has_role_group(user, *ROLE_GROUPS)
