"""The admin pages of the sign-off record: the printable 签发单 of one item, and the CSV
export of a date range. Wired into the admin site by newsroom.admin_site (admin_view: staff
only); each checks the item's rules itself."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom import registry
from newsroom.admin_hardening import is_malformed_key
from newsroom.review import record, rules
from newsroom.roles import is_site_admin


def may_export(user) -> bool:
    """The archive's export is for chief editors and site administrators."""
    return rules.is_chief_editor(user) or is_site_admin(user)


def viewable_item(request, app_label: str, model_name: str, pk: str):
    """The item in the URL if `request.user` may see its change form, else 404 / 403."""
    entry = registry.get(f"{app_label}.{model_name}")
    if entry is None:
        raise Http404
    model = entry.model
    if is_malformed_key(model._meta.pk, pk):
        raise Http404
    obj = get_object_or_404(model._base_manager, pk=pk)
    model_admin = admin.site._registry.get(model)
    if model_admin is None or not model_admin.has_view_or_change_permission(request, obj):
        raise PermissionDenied
    if not rules.may_view(obj, request.user):
        raise PermissionDenied
    return obj, model_admin


def record_view(request, app_label: str, model_name: str, pk: str):
    """The printable sign-off record (签发单) of one item: A4, the paper's name at the top."""
    obj, model_admin = viewable_item(request, app_label, model_name, pk)
    context = {
        **admin.site.each_context(request),
        "title": _("Sign-off record"),
        "paper": settings.SITE_NAME or admin.site.site_header,
        "item": obj,
        "opts": obj._meta,
        "record": record.record_of(obj, model_admin, with_changes=True),
        "print_page": getattr(obj, "print_page_label", ""),
        "print_edition_date": getattr(obj, "print_edition_date", None),
        "printed_at": timezone.localtime(),
        "change_url": f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change",
    }
    response = TemplateResponse(request, "admin/review/record_print.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


def export_view(request):
    """GET with `from` and `to` (days, inclusive): a CSV of every sign-off made on them.
    Without them, or with a bad range, the form with the reason."""
    if not may_export(request.user):
        raise PermissionDenied
    error = None
    if "from" in request.GET or "to" in request.GET:
        try:
            start, end = record.parse_range(request.GET.get("from", ""), request.GET.get("to", ""))
        except ValueError as exc:
            error = str(exc)
        else:
            response = StreamingHttpResponse(
                record.export_rows(start, end), content_type="text/csv; charset=utf-8"
            )
            last = (end - datetime.timedelta(days=1)).date()
            name = f"signoffs-{start.date().isoformat()}-{last.isoformat()}.csv"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            response["Cache-Control"] = "private, no-store"
            return response
    today = timezone.localdate()
    context = {
        **admin.site.each_context(request),
        "title": _("Export the sign-off record"),
        "error": error,
        "value_from": request.GET.get("from", today.replace(day=1).isoformat())[:20],
        "value_to": request.GET.get("to", today.isoformat())[:20],
        "max_days": record.EXPORT_MAX_DAYS,
    }
    return TemplateResponse(
        request, "admin/review/record_export.html", context, status=400 if error else 200
    )
