"""`{% load dates %}`: machine-readable times and whether a story was updated."""

import datetime

from django import template

from articles import cards

register = template.Library()

# Saves within this long of publication (the editor's last look) are not "updates".
UPDATE_THRESHOLD = datetime.timedelta(minutes=10)


@register.filter
def isotime(value) -> str:
    """`<time datetime="{{ value|isotime }}">`: in the site's time zone, to the second."""
    return cards.isotime(value)


@register.filter
def was_updated(obj) -> bool:
    """Changed after it was first published (a correction, a rewrite): worth showing readers."""
    published = getattr(obj, "published_at", None)
    updated = getattr(obj, "updated_at", None)
    return bool(published and updated and updated - published > UPDATE_THRESHOLD)
