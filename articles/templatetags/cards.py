"""`{% load cards %}`: the repeated items of lists (articles/cards.py), one tag each."""

from django import template

from articles import cards

register = template.Library()


@register.simple_tag
def article_card(article, variant="", heading="h2", loading="lazy"):
    """`{% article_card article "lead" "h3" "eager" %}`: an article in a list."""
    return cards.article_card(article, variant, heading, loading)


@register.simple_tag
def gallery_card(gallery, heading="h2"):
    return cards.gallery_card(gallery, heading)


@register.simple_tag
def event_item(event, heading="h2"):
    return cards.event_item(event, heading)


@register.simple_tag
def event_when(event):
    return cards.event_when(event)


@register.simple_tag
def byline(bylines, inline=False):
    """`{% byline article.bylines.all %}`: the bylines grouped by role, names linked."""
    return cards.byline_html(bylines, inline=inline)


@register.simple_tag
def headline_items(articles, *formats):
    """`{% headline_items latest "MONTH_DAY_FORMAT" "TIME_FORMAT" %}`: the <li> of a list of
    headlines with their times."""
    return cards.headline_items(articles, *formats)
