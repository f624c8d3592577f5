from django import template

from teamwork.unread import unread_count_for

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_count(context) -> int:
    """The bell's number, counted up to the cap (BELL_CAP + 1 means "more than the cap")."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_count_for(user)
