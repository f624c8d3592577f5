"""Tags for the <head> partials in templates/includes/meta/: canonical URLs, descriptions,
JSON-LD and feed announcements. None of them queries the database."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from articles import structured_data
from articles.feeds import feed_links as feeds_for

register = template.Library()


@register.filter
def absolute(url):
    """`{{ obj.get_absolute_url|absolute }}`: the URL against SITE_URL."""
    return structured_data.absolute_url(str(url))


@register.simple_tag
def describe(obj):
    return structured_data.describe(obj)


@register.simple_tag
def lead_image(obj):
    """The absolute URL of an article's lead photo or a gallery's cover, or ""."""
    return structured_data.photo_url(structured_data.lead_photo(obj))


@register.simple_tag
def json_ld(obj):
    """`<script type="application/ld+json">` for an article, event or gallery."""
    builder = {
        "article": structured_data.article_data,
        "event": structured_data.event_data,
        "gallery": structured_data.gallery_data,
    }[obj._meta.model_name]
    return structured_data.json_ld_script(builder(obj))


@register.simple_tag(takes_context=True)
def list_page_url(context):
    """The canonical URL of a list page: its path, and its page number after the first."""
    request = context["request"]
    url = structured_data.absolute_url(request.path)
    page_obj = context.get("page_obj")
    if page_obj is not None and page_obj.number > 1:
        url += f"?page={page_obj.number}"
    return url


@register.simple_tag(takes_context=True)
def feed_links(context):
    """`<link rel="alternate">` for the feeds of the page's section, person or tag, and the site's."""
    links = feeds_for(
        section=context.get("section"), person=context.get("person"), tag=context.get("tag")
    )
    return format_html_join("\n", '<link rel="alternate" type="{}" title="{}" href="{}">', links)


@register.simple_tag
def calendar_link(event=None):
    """`<link rel="alternate" type="text/calendar">` for one event, or for all of them."""
    if event is not None:
        url, title = reverse("articles:event_ical", kwargs={"slug": event.slug}), event.title
    else:
        url, title = reverse("articles:calendar"), _("Events calendar")
    return format_html(
        '<link rel="alternate" type="text/calendar" title="{}" href="{}">',
        title,
        structured_data.absolute_url(url),
    )


@register.simple_tag(takes_context=True)
def page_description(context):
    """The meta description of a list page: the section's, person's or tag's, else the site's."""
    section, person, tag = (context.get(name) for name in ("section", "person", "tag"))
    if section is not None:
        text = section.description or section.name
    elif person is not None:
        text = person.bio or " ".join(
            filter(None, [person.display_name, person.title, person.affiliation])
        )
    elif tag is not None:
        text = _("Stories tagged “%(tag)s”.") % {"tag": tag.name}
    else:
        text = _("The latest stories from %(site)s.") % {"site": structured_data.site_name()}
    return structured_data.plain_text(text)


@register.simple_tag
def organization_json_ld():
    """The publisher, for the front page."""
    return structured_data.json_ld_script(
        {"@context": "https://schema.org", **structured_data.organization()}
    )
