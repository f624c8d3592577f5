"""Who wants to be told what, and how: each person's choices over the defaults of their role."""

from __future__ import annotations

from dataclasses import dataclass

from newsroom.roles import Role, has_role_group, is_editor
from teamwork.models import EmailChoice, Event, Preference

E = Event
# Signers (chief editors, desk editors and chiefs, proofreaders) get every story reaching a
# stage they sign in the admin, and once a day by email; a story sent back to their stage or
# returned to it by an edit waits for them again: that is emailed at once.
EDITOR_DEFAULTS = {
    E.REVIEW_QUEUE: (True, EmailChoice.DIGEST),
    E.STAGE_REACHED: (True, EmailChoice.DIGEST),
    E.RETURNED_TO_STAGE: (True, EmailChoice.IMMEDIATE),
    E.REAPPROVE: (True, EmailChoice.IMMEDIATE),
}
SIGNER_ROLES = (Role.EDITOR, Role.CHIEF, Role.PROOFREADER)
# What happens to my own work matters at once; the rest is in the inbox only.
CONTRIBUTOR_DEFAULTS = {
    E.SENT_BACK: (True, EmailChoice.IMMEDIATE),
    # Each sign-off on the way up: in the admin only (publication is emailed).
    E.APPROVED: (True, EmailChoice.OFF),
    E.SCHEDULED: (True, EmailChoice.OFF),
    E.PUBLISHED: (True, EmailChoice.IMMEDIATE),
    E.RETRACTED: (True, EmailChoice.IMMEDIATE),
    E.CORRECTED: (True, EmailChoice.IMMEDIATE),
    E.SPIKED: (True, EmailChoice.IMMEDIATE),
    E.MENTION: (True, EmailChoice.IMMEDIATE),
    E.REPLY: (True, EmailChoice.IMMEDIATE),
    E.SHARE_LINK: (True, EmailChoice.OFF),
    # The result of my own bulk action: in the admin, where I did it.
    E.BULK_DONE: (True, EmailChoice.OFF),
}


@dataclass(frozen=True)
class Choice:
    in_app: bool
    email: str

    @property
    def wants_anything(self) -> bool:
        return self.in_app or self.email != EmailChoice.OFF


def default_choice(user, event: str) -> Choice:
    if event in EDITOR_DEFAULTS and (is_editor(user) or has_role_group(user, *SIGNER_ROLES)):
        return Choice(*EDITOR_DEFAULTS[event])
    in_app, email = CONTRIBUTOR_DEFAULTS.get(event, (True, EmailChoice.OFF))
    return Choice(in_app, email)


def choices_for(users, event: str) -> dict[int, Choice]:
    """Each user's choice for `event`, in one query."""
    chosen = {
        p.user_id: Choice(p.in_app, p.email)
        for p in Preference.objects.filter(user__in=[u.pk for u in users], event=event)
    }
    return {u.pk: chosen.get(u.pk) or default_choice(u, event) for u in users}


def all_choices(user) -> dict[str, Choice]:
    """Every event's choice of one user (the preferences page)."""
    chosen = {p.event: Choice(p.in_app, p.email) for p in Preference.objects.filter(user=user)}
    return {event: chosen.get(event) or default_choice(user, event) for event in Event.values}
