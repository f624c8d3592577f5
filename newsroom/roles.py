"""Who a user is in the newsroom. Groups are created by migrations."""

from django.contrib.auth.models import AnonymousUser, User

EDITORS = "Editors"
REPORTERS = "Reporters"


def _group_names(user: User | AnonymousUser) -> frozenset[str]:
    # Cached on the user object: one query per request, however many checks.
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_newsroom_groups"):
        user._newsroom_groups = frozenset(user.groups.values_list("name", flat=True))
    return user._newsroom_groups


def is_editor(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or EDITORS in _group_names(user))
    )


def is_reporter(user) -> bool:
    return bool(user.is_authenticated and user.is_active and REPORTERS in _group_names(user))


def is_newsroom_member(user) -> bool:
    return is_editor(user) or is_reporter(user)
