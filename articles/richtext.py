"""The article body: what the editor widget may produce, and the server-side sanitiser.

The same extension list configures the ProseMirror widget and the nh3 allowlist,
so the editor cannot make what the server would strip.
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django_prose_editor.fields import create_sanitizer

BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
}

sanitise_body = create_sanitizer(BODY_EXTENSIONS)


def formatted(html: str) -> SafeString:
    """Stored rich text, shown as text where no editor widget is (read-only admin pages).

    Sanitised again: the column may have been written by something other than the model's save.
    """
    return format_html('<div class="formatted-text">{}</div>', mark_safe(sanitise_body(html or "")))
