"""`{% load story_text %}`: a story's body as the paper prints it."""

from django import template
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def with_dateline(body: str, dateline: str) -> str:
    """The body with the dateline (本报讯) run into its first paragraph, as papers print it,
    unless the reporter already typed it there."""
    body = body or ""
    dateline = (dateline or "").strip()
    if not dateline:
        return mark_safe(body)
    text = strip_tags(body).lstrip()
    if text.startswith(dateline):
        return mark_safe(body)
    span = format_html('<span class="dateline">{}</span> ', dateline)
    if body.startswith("<p>"):
        return mark_safe(f"<p>{span}{body[3:]}")
    return mark_safe(f"<p>{span}</p>{body}")
