"""Bylines as readers expect them: grouped by role, in order.

Chinese papers print `记者 张改华 通讯员 吕杨子`; consecutive people with the
same role share one role label, and a 文/图 credit follows the names it covers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass
class BylineGroup:
    role: str
    people: list = field(default_factory=list)
    is_text_and_photo: bool = False
    # 文/图 is printed once, after the last of consecutive groups it covers.
    shows_credit: bool = False

    @property
    def label(self) -> str:
        # Chinese role labels do not inflect; English ones take a plural.
        from people.models import Role

        singular = str(Role(self.role).label)
        return ngettext("%(role)s", "%(role)ss", len(self.people)) % {"role": singular}

    @property
    def credit(self) -> str:
        return _("text and photos") if self.shows_credit else ""


def group_bylines(bylines) -> list[BylineGroup]:
    """Group consecutive bylines with the same role and 文/图 flag."""
    groups: list[BylineGroup] = []
    for byline in bylines:
        last = groups[-1] if groups else None
        if last and last.role == byline.role and last.is_text_and_photo == byline.is_text_and_photo:
            last.people.append(byline.person)
        else:
            groups.append(BylineGroup(byline.role, [byline.person], byline.is_text_and_photo))
    # groups[1:] + [None] pairs each group with the next; a story without bylines has none.
    for group, following in zip(groups, [*groups[1:], None][: len(groups)], strict=True):
        group.shows_credit = group.is_text_and_photo and not (
            following and following.is_text_and_photo
        )
    return groups


def byline_text(bylines) -> str:
    """Plain text, for feeds and meta tags: `记者 张改华 通讯员 吕杨子`."""
    parts = []
    for group in group_bylines(bylines):
        names = " ".join(p.display_name for p in group.people)
        part = f"{group.label} {names}"
        if group.credit:
            part += f" {group.credit}"
        parts.append(part)
    return " ".join(parts)
