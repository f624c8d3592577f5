"""`{% load masthead %}`: the parts of every page around its content (navigation, date,
language buttons, footer), rendered once and reused."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.translation import get_language

from articles import navigation
from newsroom.context_processors import site_name

register = template.Library()


@register.simple_tag(takes_context=True)
def site_navigation(context):
    """The masthead's links, the one this page is on marked current (articles.navigation)."""
    request = context.get("request")
    return navigation.site_navigation(request.path if request else "")


# (template, language, day, script prefix) -> its HTML
_STATIC_PARTS: dict[tuple, str] = {}


@register.simple_tag
def include_static(template_name):
    """`{% include_static "includes/site_footer.html" %}`: a part of every page that depends
    on nothing but the language and the day, rendered once a day per language and process
    (every time under DEBUG, where templates are being edited)."""
    key = (template_name, get_language(), timezone.localdate(), get_script_prefix())
    html = None if settings.DEBUG else _STATIC_PARTS.get(key)
    if html is None:
        if len(_STATIC_PARTS) > 64:
            _STATIC_PARTS.clear()  # yesterday's parts
        html = _STATIC_PARTS[key] = render_to_string(template_name, {"SITE_NAME": site_name()})
    return html
