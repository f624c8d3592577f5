"""What a notification says, in the language active when it is shown or emailed."""

from __future__ import annotations

from django.utils.translation import gettext as _

from teamwork.models import Event, Notification


def actor_name(user) -> str:
    if user is None:
        return _("The system")
    return user.get_full_name() or user.get_username()


def headline(notification: Notification) -> str:
    """One line: who did what to which item."""
    texts = {
        Event.REVIEW_QUEUE: _("%(actor)s submitted “%(title)s” for review"),
        Event.SENT_BACK: _("%(actor)s sent back “%(title)s”"),
        Event.SCHEDULED: _("%(actor)s approved and scheduled “%(title)s”"),
        Event.PUBLISHED: _("“%(title)s” was published (%(actor)s)"),
        Event.RETRACTED: _("%(actor)s retracted “%(title)s”"),
        Event.CORRECTED: _("%(actor)s added a correction to “%(title)s”"),
        Event.SPIKED: _("%(actor)s spiked “%(title)s”"),
        Event.MENTION: _("%(actor)s mentioned you on “%(title)s”"),
        Event.REPLY: _("%(actor)s answered your comment on “%(title)s”"),
        Event.SHARE_LINK: _("%(actor)s shared a preview link to “%(title)s”"),
    }
    text = texts.get(notification.event, "%(title)s")
    return text % {"actor": actor_name(notification.actor), "title": notification.title}
