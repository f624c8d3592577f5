"""The media types the API speaks: JSON, IPTC ninjs (News in JSON) 2.2, and DRF's browsable
pages for people trying it in a browser."""

from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer

NINJS_22_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json"


class NinjsRenderer(JSONRenderer):
    """`Accept: application/ninjs+json` or `?format=ninjs`: articles, events and galleries as
    ninjs news items (api/ninjs.py)."""

    media_type = "application/ninjs+json"
    format = "ninjs"


class BrowsableRenderer(BrowsableAPIRenderer):
    """The browsable pages without the HTML forms: the API writes only with a token."""

    def show_form_for_method(self, view, method, request, obj):
        return False

    def get_rendered_html_form(self, data, view, method, request):
        return None


JSON_RENDERERS = [JSONRenderer, BrowsableRenderer]
CONTENT_RENDERERS = [JSONRenderer, NinjsRenderer, BrowsableRenderer]
