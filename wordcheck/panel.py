"""The word-check panel of a content change form, and the check that runs without saving."""

from __future__ import annotations

import re

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext as _

from newsroom import workflow
from wordcheck import checks
from wordcheck.lists import STAGES, current, is_senior, stage_label
from wordcheck.models import Action, Override

# Photo inlines post prefix-N-caption and prefix-N-alt_text.
INLINE_PHOTO_FIELD = re.compile(r"^(?P<prefix>[\w]+)-(?P<index>\d+)-(?P<name>caption|alt_text)$")
# The most text one check request may carry (a long story is about 20,000 characters).
MAX_CHECK_CHARS = 500_000


def stage_verdicts(request, obj, hits) -> list[dict]:
    """For each policy stage the user may take the item to now: what the hits mean there."""
    if obj is None or obj.pk is None:
        return []
    compiled = current()
    rows = []
    for rule in workflow.available(obj, request.user):
        if rule.name not in STAGES:
            continue
        stage, also = checks.policy_stages(obj, rule.name)
        found = checks.verdict(hits, stage, compiled, also=also)
        rows.append(
            {
                "rule": rule,
                "verdict": found,
                "can_sign_off": bool(found.needs_signoff)
                and not found.blocking
                and is_senior(request.user, obj),
            }
        )
    return rows


def change_form_panel(request, obj, model_admin):
    if checks.spec_for(model_admin.model) is None:
        return None
    hits = checks.stored_or_fresh(obj) if obj is not None and obj.pk else []
    opts = model_admin.model._meta
    overrides = []
    if obj is not None and obj.pk:
        overrides = list(
            Override.objects.filter(
                content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
            ).select_related("by")
        )
        for override in overrides:
            override.stage_label = stage_label(override.stage)
    return {
        "template": "wordcheck/panel.html",
        "hits": hits,
        "verdicts": stage_verdicts(request, obj, hits),
        "overrides": overrides,
        "check_url": reverse("admin:wordcheck_check", args=[opts.app_label, opts.model_name]),
        "stage_labels": STAGES,
        "actions": {a.value: a.label for a in Action},
    }


def posted_texts(model, data) -> list[checks.Text] | str:
    """The texts of a posted change form that the check reads, or an error message."""
    spec = checks.spec_for(model)
    texts: list[checks.Text] = []
    total = 0
    for key, value in data.items():
        if key in spec.fields:
            label = checks.field_label(model, key)
            is_html = key in spec.html
        elif spec.photo_inline and (match := INLINE_PHOTO_FIELD.match(key)):
            label = _("photo %(number)d: %(field)s") % {
                "number": int(match["index"]) + 1,
                "field": _("caption") if match["name"] == "caption" else _("alt text"),
            }
            is_html = False
        else:
            continue
        total += len(value)
        if total > MAX_CHECK_CHARS:
            return _("Too much text to check at once (more than %(max)d characters).") % {
                "max": MAX_CHECK_CHARS
            }
        texts.append(checks.Text(key, label, value, is_html))
    return texts
