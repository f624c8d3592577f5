"""What the public pages' <head> and lists show beside their content: canonical URLs,
descriptions, Open Graph, JSON-LD, feed announcements, links between the pages of a list,
and a story's dateline. None of them queries the database. The functions that take a
`context` read the page's template context (articles/jinja2.py passes it)."""

import datetime

from django.urls import reverse
from django.utils.html import conditional_escape as esc
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles import structured_data
from articles.feeds import feed_links as feeds_for
from newsroom.context_processors import site_name

# Saves within this long of publication (the editor's last look) are not "updates".
UPDATE_THRESHOLD = datetime.timedelta(minutes=10)


def absolute(url):
    """`{{ obj.get_absolute_url|absolute }}`: the URL against SITE_URL."""
    return structured_data.absolute_url(str(url))


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


def lead_image(obj):
    """The absolute URL of an article's lead photo or a gallery's cover, or ""."""
    return structured_data.photo_url(structured_data.lead_photo(obj))


def json_ld(obj):
    """`<script type="application/ld+json">` for an article, event or gallery."""
    builder = {
        "article": structured_data.article_data,
        "event": structured_data.event_data,
        "gallery": structured_data.gallery_data,
    }[obj._meta.model_name]
    return structured_data.json_ld_script(builder(obj))


def list_page_url(context):
    """The canonical URL of a list page: its path, and its page number after the first."""
    request = context["request"]
    url = structured_data.absolute_url(request.path)
    page_obj = context.get("page_obj")
    if page_obj is not None and page_obj.number > 1:
        url += f"?page={page_obj.number}"
    return url


def feed_links(context):
    """`<link rel="alternate">` for the feeds of the page's section, person or tag, and the site's."""
    links = feeds_for(
        section=context.get("section"), person=context.get("person"), tag=context.get("tag")
    )
    return format_html_join("\n", '<link rel="alternate" type="{}" title="{}" href="{}">', links)


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


def organization_json_ld():
    """The publisher, for the front page."""
    return structured_data.json_ld_script(
        {"@context": "https://schema.org", **structured_data.organization()}
    )


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


def was_updated(obj) -> bool:
    """Changed after it was first published (a correction, a rewrite): worth showing readers."""
    published = getattr(obj, "published_at", None)
    updated = getattr(obj, "updated_at", None)
    return bool(published and updated and updated - published > UPDATE_THRESHOLD)


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
