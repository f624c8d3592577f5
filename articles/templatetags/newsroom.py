import datetime

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from articles import navigation, renditions
from newsroom import fragments
from newsroom.context_processors import site_name
from people.bylines import byline_text, group_bylines

register = template.Library()

# Saves within this long of publication (the editor's last look) are not "updates".
UPDATE_THRESHOLD = datetime.timedelta(minutes=10)


@register.filter
def byline_groups(bylines):
    """`{% for group in article.bylines.all|byline_groups %}` — bylines grouped by role."""
    return group_bylines(bylines)


@register.filter
def byline_plain(bylines):
    return byline_text(bylines)


@register.filter
def startswith(value, prefix) -> bool:
    return bool(prefix) and str(value).startswith(str(prefix))


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


@register.filter
def isotime(value) -> str:
    """A <time datetime> value in the site's time zone, to the second (the HTML spec
    allows at most three decimals, and readers need none)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


@register.filter
def was_updated(obj) -> bool:
    """Changed after it was first published (a correction, a rewrite): worth showing readers."""
    published = getattr(obj, "published_at", None)
    updated = getattr(obj, "updated_at", None)
    return bool(published and updated and updated - published > UPDATE_THRESHOLD)


@register.simple_tag
def picture(photo, sizes="100vw", loading="lazy", css_class="", alt=None):
    """A responsive <picture>: WebP and JPEG renditions with srcset, width and height set.

    `loading="eager"` for the photo at the top of a page,
    "lazy" below the fold. `alt` overrides the photo's own alt text ("" for a decorative
    thumbnail next to a headline that says the same).
    """
    if not photo:
        return ""
    return render_to_string(
        "includes/picture.html",
        {
            "photo": photo,
            "renditions": renditions.renditions(photo),
            "sizes": sizes,
            "loading": loading,
            "css_class": css_class,
            "alt": photo.alt_text if alt is None else alt,
        },
    )


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, obj, extra, options):
        self.nodelist, self.name, self.obj, self.extra = nodelist, name, obj, extra
        self.options = options  # group= and expires=, compiled

    def render(self, context):
        if context.get("is_preview"):
            # A preview shows what is not public (a draft, unpublished events): never kept.
            return self.nodelist.render(context)
        group, expires = self.options.get("group"), self.options.get("expires")
        return fragments.get_or_render(
            context.get("request"),
            self.name.resolve(context),
            self.obj.resolve(context),
            fragments.variant_of(value.resolve(context) for value in self.extra),
            lambda: self.nodelist.render(context),
            group=group.resolve(context) if group is not None else None,
            # Asked after rendering, on a miss only: it may need what the part fetched.
            expires=(lambda: expires.resolve(context)) if expires is not None else None,
        )


@register.tag
def fragment(parser, token):
    """`{% fragment "name" object [value ...] [group=name] [expires=time] %}...{% endfragment %}`:
    the enclosed part, kept in the fragment cache for `object` (None: a part of a page) until
    the object or what it shows changes, or the group does (fragments.bump_group), or the
    time comes; one copy for each combination of the values it varies with. See
    newsroom/fragments.py."""
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a name and an object")
    options = {}
    while bits[-1].partition("=")[0] in ("group", "expires"):
        option, _, expression = bits.pop().partition("=")
        options[option] = parser.compile_filter(expression)
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    name, obj, *extra = (parser.compile_filter(bit) for bit in bits[1:])
    return FragmentNode(nodelist, name, obj, extra, options)


@register.simple_tag(takes_context=True)
def site_navigation(context):
    """The masthead's links, the one this page is on marked current (articles.navigation)."""
    request = context.get("request")
    return navigation.site_navigation(request, request.path if request else "")


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
