"""Who wants to be told what, and how: each person's choices over the defaults of their role."""

from __future__ import annotations

from dataclasses import dataclass

from newsroom.roles import is_editor
from teamwork.models import EmailChoice, Event, Preference

E = Event
# Editors get every story reaching the queue: in the admin, and once a day by email.
EDITOR_DEFAULTS = {E.REVIEW_QUEUE: (True, EmailChoice.DIGEST)}
# What happens to my own work matters at once; the rest is in the inbox only.
CONTRIBUTOR_DEFAULTS = {
    E.SENT_BACK: (True, EmailChoice.IMMEDIATE),
    E.SCHEDULED: (True, EmailChoice.OFF),
    E.PUBLISHED: (True, EmailChoice.IMMEDIATE),
    E.RETRACTED: (True, EmailChoice.IMMEDIATE),
    E.CORRECTED: (True, EmailChoice.IMMEDIATE),
    E.SPIKED: (True, EmailChoice.IMMEDIATE),
    E.MENTION: (True, EmailChoice.IMMEDIATE),
    E.REPLY: (True, EmailChoice.IMMEDIATE),
    E.SHARE_LINK: (True, EmailChoice.OFF),
}


@dataclass(frozen=True)
class Choice:
    in_app: bool
    email: str

    @property
    def wants_anything(self) -> bool:
        return self.in_app or self.email != EmailChoice.OFF


def default_choice(user, event: str) -> Choice:
    if is_editor(user) and event in EDITOR_DEFAULTS:
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
