from django import template

from newsroom.roles import is_newsroom_member
from teamwork.models import Notification

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_count(context) -> int:
    """The bell's number: one COUNT over an index, whatever the number of notifications."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if not hasattr(request, "_teamwork_unread"):
        request._teamwork_unread = Notification.objects.filter(recipient=user).unread().count()
    return request._teamwork_unread


@register.filter
def is_member(user) -> bool:
    return is_newsroom_member(user)
