"""`{% load pagination %}`: links between the pages of a list."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current address with ?page=number (page 1 is the bare address), other
    query parameters kept."""
    request = context["request"]
    query = request.GET.copy()
    query.pop("page", None)
    if int(number) > 1:
        query["page"] = number
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path
