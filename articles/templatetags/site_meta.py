"""Tags for the <head> partials in templates/includes/meta/: canonical URLs, descriptions,
JSON-LD and feed announcements. None of them queries the database."""

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape as esc
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles import structured_data
from articles.feeds import feed_links as feeds_for
from newsroom.context_processors import site_name

register = template.Library()


@register.filter
def absolute(url):
    """`{{ obj.get_absolute_url|absolute }}`: the URL against SITE_URL."""
    return structured_data.absolute_url(str(url))


@register.simple_tag
def social_meta(title, description, url, image="", og_type="website"):
    """The canonical link, description, Open Graph and Twitter card of a page, in Python
    (once a template included for every page; each value escaped as the template did)."""
    title, description, url, image = (esc(v) if v else "" for v in (title, description, url, image))
    locale = "en_US" if get_language() == "en" else "zh_CN"
    lines = [f'<link rel="canonical" href="{url}">']
    if description:
        lines.append(f'<meta name="description" content="{description}">')
    lines += [
        f'<meta property="og:type" content="{esc(og_type or "website")}">',
        f'<meta property="og:site_name" content="{esc(site_name())}">',
        f'<meta property="og:locale" content="{locale}">',
        f'<meta property="og:title" content="{title}">',
    ]
    if description:
        lines.append(f'<meta property="og:description" content="{description}">')
    lines.append(f'<meta property="og:url" content="{url}">')
    if image:
        lines.append(f'<meta property="og:image" content="{image}">')
    card = "summary_large_image" if image else "summary"
    lines += [
        f'<meta name="twitter:card" content="{card}">',
        f'<meta name="twitter:title" content="{title}">',
    ]
    if description:
        lines.append(f'<meta name="twitter:description" content="{description}">')
    if image:
        lines.append(f'<meta name="twitter:image" content="{image}">')
    return mark_safe("\n".join(lines) + "\n\n")


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
