"""Every string of the public pages' Jinja2 templates is in the shipped zh_Hans catalogue.

Django's makemessages reads only its own template language, so nothing else would notice a
msgid changed in a port, or a new string that was never translated: the page would show it
in English to Chinese readers."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.utils import translation

TEMPLATES = sorted((Path(settings.BASE_DIR) / "templates" / "jinja2").rglob("*.html"))


def messages():
    env = engines["jinja2"].env
    for path in TEMPLATES:
        for line, function, message in env.extract_translations(path.read_text()):
            yield pytest.param(function, message, id=f"{path.name}:{line}")


def translated(function: str, message) -> bool:
    """Whether the zh_Hans catalogue has `message` (the English msgid is never the answer)."""
    if isinstance(message, tuple):  # the strings, then a None for each other argument
        message = tuple(part for part in message if part is not None)
        message = message[0] if len(message) == 1 else message
    if function in ("_", "gettext"):
        return translation.gettext(message) != message
    if function == "ngettext":
        singular, plural = message[:2]
        return translation.ngettext(singular, plural, 1) != singular
    if function == "pgettext":
        context, msgid = message
        return translation.pgettext(context, msgid) != msgid
    if function == "npgettext":
        context, singular, plural = message[:3]
        return translation.npgettext(context, singular, plural, 1) != singular
    raise AssertionError(f"unexpected gettext function {function}")


def test_the_templates_have_strings_to_check():
    assert len(TEMPLATES) > 20
    assert len(list(messages())) > 100


@pytest.mark.parametrize(("function", "message"), list(messages()))
def test_each_string_is_translated(function, message):
    with translation.override("zh-hans"):
        assert translated(function, message), message
