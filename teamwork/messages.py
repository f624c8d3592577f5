"""What a notification says, in the language active when it is shown or emailed."""

from __future__ import annotations

from django.utils.translation import gettext as _

from teamwork.models import Event, Notification


def actor_name(user) -> str:
    if user is None:
        return _("The system")
    return user.get_full_name() or user.get_username()


def headline(notification: Notification) -> str:
    """One line: who did what to which item (and at which stage of its review)."""
    at_stage = {
        Event.REVIEW_QUEUE: _("%(actor)s submitted “%(title)s” for review at “%(stage)s”"),
        Event.SENT_BACK: _("%(actor)s sent back “%(title)s” to “%(stage)s”"),
        Event.STAGE_REACHED: _(
            "%(actor)s signed “%(title)s”: it awaits your signature at “%(stage)s”"
        ),
        Event.RETURNED_TO_STAGE: _("%(actor)s sent “%(title)s” back to “%(stage)s”"),
        Event.REAPPROVE: _(
            "%(actor)s edited “%(title)s” after it was signed: it must be signed again at "
            "“%(stage)s”"
        ),
        Event.APPROVED: _("“%(title)s” was approved at “%(stage)s” by %(actor)s"),
    }
    values = {
        "actor": actor_name(notification.actor),
        "title": notification.title,
        "stage": notification.stage,
    }
    if notification.stage and notification.event in at_stage:
        return at_stage[notification.event] % values
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
        Event.STAGE_REACHED: _("%(actor)s signed “%(title)s”: it awaits your signature"),
        Event.RETURNED_TO_STAGE: _("%(actor)s sent “%(title)s” back to a stage you sign"),
        Event.REAPPROVE: _("%(actor)s edited “%(title)s” after it was signed"),
        Event.APPROVED: _("“%(title)s” was approved by %(actor)s"),
        Event.BULK_DONE: _("Done in the background: %(title)s"),
    }
    text = texts.get(notification.event, "%(title)s")
    return text % values
