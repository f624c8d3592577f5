"""Who may read and write the discussion of an item: the one rule, used by every view.

Whoever may read the item in the admin (the desks' reading rights, newsroom.review.rules.
may_view) may discuss it, except correspondents (outside contributors with a login), who
discuss only the items they are on.
"""

from __future__ import annotations

from newsroom.review import rules
from newsroom.roles import is_editor, is_newsroom_member


def is_correspondent(user) -> bool:
    """An outside contributor with a login (Person.kind = contributor)."""
    from people.models import Person

    if not hasattr(user, "_teamwork_is_correspondent"):
        user._teamwork_is_correspondent = Person.objects.filter(
            user=user, kind=Person.Kind.CONTRIBUTOR
        ).exists()
    return user._teamwork_is_correspondent


def may_discuss(user, obj) -> bool:
    """May `user` read the comments on `obj`, write them and be mentioned in them?"""
    if user is None or not is_newsroom_member(user):
        return False
    if is_editor(user):
        return True
    if is_correspondent(user):
        return obj.is_contributor(user)
    return rules.may_view(obj, user)
