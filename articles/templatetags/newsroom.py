from django import template

from people.bylines import byline_text, group_bylines

register = template.Library()


@register.filter
def byline_groups(bylines):
    """`{% for group in article.bylines.all|byline_groups %}` — bylines grouped by role."""
    return group_bylines(bylines)


@register.filter
def byline_plain(bylines):
    return byline_text(bylines)
