"""The admin's "Import print page": an editor uploads (or pastes) a page, checks the
parsed preview, and confirms; the stories land in the review queue.

The preview carries the decoded text to the confirmation in a hidden field signed with
django.core.signing (salted with the editor's id), so what is imported is exactly what
was previewed, and nobody can post text the preview never showed.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles.models import Section
from articles.printimport import (
    MAX_PRINT_PAGE_BYTES,
    import_stories,
    may_import_print,
    plan_import,
    read_print_page,
)
from articles.printpage import PrintPageError, parse_print_page
from newsroom.workflow import Status

SIGNING_SALT = "articles.admin_import.print-page"
# A preview left open over lunch may still be confirmed; one from last week may not.
PREVIEW_MAX_AGE = 12 * 3600
# How much of the unplaced text the message after the import quotes.
UNPLACED_MESSAGE_CHARS = 120


def _too_big_message() -> str:
    return _("The file is too big: a print page is at most %(max)s MB.") % {
        "max": MAX_PRINT_PAGE_BYTES // 1024 // 1024
    }


class PrintPageForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Text file"),
        required=False,
        allow_empty_file=True,  # so that an empty file gets the same message as a blank one
        help_text=gettext_lazy(
            "The page as plain text, copied out of the layout program or the e-paper: "
            "UTF-8 or GB18030/GBK, at most 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,text/plain"}),
    )
    text = forms.CharField(
        label=gettext_lazy("Or paste the text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 80}),
    )
    edition_date = forms.DateField(
        label=gettext_lazy("Print edition date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Tells stories with the same headline in different editions apart."),
    )
    page = forms.IntegerField(
        label=gettext_lazy("Page"), required=False, min_value=1, max_value=999
    )
    section = forms.ModelChoiceField(
        Section.objects.all(), label=gettext_lazy("Section"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        if upload and text.strip():
            raise ValidationError(_("Upload a file or paste the text, not both."))
        if upload:
            field, data = "file", None
            if upload.size > MAX_PRINT_PAGE_BYTES:
                # Checked before reading: the upload may sit in a temporary file.
                self.add_error("file", _too_big_message())
                return cleaned
            data = upload.read()
        elif text.strip():
            field, data = "text", text.encode("utf-8")
        else:
            if "file" not in self.errors:
                raise ValidationError(_("Choose the page's text file or paste its text."))
            return cleaned
        try:
            cleaned["page_text"] = read_print_page(data)
        except PrintPageError as exc:
            self.add_error(field, str(exc))
        return cleaned

    def payload(self, user) -> str:
        data = self.cleaned_data
        return sign_payload(
            {
                "text": data["page_text"],
                "edition_date": data["edition_date"].isoformat() if data["edition_date"] else None,
                "page": data["page"],
                "section": data["section"].pk if data["section"] else None,
            },
            user,
        )


def _salt(user) -> str:
    # Per editor: a preview made by one cannot be confirmed by another.
    return f"{SIGNING_SALT}:{user.pk}"


def sign_payload(data: dict, user) -> str:
    return signing.dumps(data, salt=_salt(user), compress=True)


class ConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_payload(self) -> dict:
        try:
            data = signing.loads(
                self.cleaned_data["payload"], salt=_salt(self.user), max_age=PREVIEW_MAX_AGE
            )
        except signing.SignatureExpired:
            raise ValidationError(
                _("The preview is too old to confirm. Please upload the page again."),
                code="expired",
            ) from None
        except signing.BadSignature:
            raise ValidationError(
                _(
                    "The preview could not be verified: the page was changed after it was "
                    "previewed. Nothing was imported. Please upload the page again."
                ),
                code="tampered",
            ) from None
        section = None
        if data.get("section") is not None:
            section = Section.objects.filter(pk=data["section"]).first()
            if section is None:
                raise ValidationError(
                    _("The section was deleted after the preview. Please upload the page again."),
                    code="section",
                )
        return {
            "text": data["text"],
            "edition_date": datetime.date.fromisoformat(data["edition_date"])
            if data.get("edition_date")
            else None,
            "page": data.get("page"),
            "section": section,
        }


class PrintImportAdminMixin:
    """Adds the import page to a ModelAdmin of Article, and its link to the change list."""

    change_list_template = "admin/articles/import_print_change_list.html"

    def get_urls(self):
        return [
            path(
                "import-print/",
                self.admin_site.admin_view(self.import_print_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_import_print",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_import_print": may_import_print(request.user),
        }
        return super().changelist_view(request, extra_context)

    def import_print_view(self, request: HttpRequest) -> HttpResponse:
        # The page is for editors; the check is here, not only in which links are shown.
        if not may_import_print(request.user):
            raise PermissionDenied
        if request.method == "POST" and "payload" in request.POST:
            return self._confirm_import(request)
        form = PrintPageForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            return self._preview(request, form)
        return self._render(
            request,
            "admin/articles/import_print.html",
            {"form": form},
            status=400 if form.errors else 200,
        )

    def _render(self, request, template: str, context: dict, status: int = 200) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "title": _("Import print page"),
            "changelist_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"
            ),
            **context,
        }
        return TemplateResponse(request, template, context, status=status)

    def _preview(self, request, form: PrintPageForm) -> HttpResponse:
        data = form.cleaned_data
        result = parse_print_page(data["page_text"])
        try:
            plan = plan_import(result.stories, edition_date=data["edition_date"], page=data["page"])
        except PrintPageError as exc:
            form.add_error(None, str(exc))
            return self._render(
                request, "admin/articles/import_print.html", {"form": form}, status=400
            )
        new_names = list(
            dict.fromkeys(b.name for planned in plan for b in planned.bylines if b.person is None)
        )
        context = {
            "plan": plan,
            "unplaced": result.unplaced,
            "to_create": sum(1 for planned in plan if not planned.is_already_imported),
            "to_skip": sum(1 for planned in plan if planned.is_already_imported),
            "new_names": new_names,
            "edition_date": data["edition_date"],
            "page": data["page"],
            "section": data["section"],
            "confirm_form": ConfirmForm(
                initial={"payload": form.payload(request.user)}, user=request.user
            ),
        }
        return self._render(request, "admin/articles/import_print_preview.html", context)

    def _confirm_import(self, request) -> HttpResponse:
        confirm = ConfirmForm(request.POST, user=request.user)
        if not confirm.is_valid():
            for error in confirm.errors.get("payload", []):
                messages.error(request, error)
            return self._render(
                request, "admin/articles/import_print.html", {"form": PrintPageForm()}, status=400
            )
        data = confirm.cleaned_data["payload"]
        result = parse_print_page(data["text"])
        try:
            report = import_stories(
                result.stories,
                by=request.user,
                edition_date=data["edition_date"],
                page=data["page"],
                section=data["section"],
            )
        except PrintPageError as exc:
            messages.error(request, str(exc))
            return self._render(
                request, "admin/articles/import_print.html", {"form": PrintPageForm()}, status=400
            )
        self._report(request, report, result.unplaced)
        changelist = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        return HttpResponseRedirect(f"{changelist}?status__exact={Status.REVIEW}")

    def _report(self, request, report, unplaced: list[str]) -> None:
        if report.created:
            self.message_user(
                request,
                ngettext(
                    "%(count)d story was imported and is waiting in the review queue.",
                    "%(count)d stories were imported and are waiting in the review queue.",
                    len(report.created),
                )
                % {"count": len(report.created)},
                messages.SUCCESS,
            )
        else:
            self.message_user(request, _("No new story was created."), messages.WARNING)
        if report.skipped:
            self.message_user(
                request,
                ngettext(
                    "Skipped %(count)d story imported before: %(headlines)s",
                    "Skipped %(count)d stories imported before: %(headlines)s",
                    len(report.skipped),
                )
                % {"count": len(report.skipped), "headlines": "；".join(report.skipped)},
                messages.WARNING,
            )
        if report.new_people:
            people_url = reverse("admin:people_person_changelist") + "?is_confirmed__exact=0"
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("New people to confirm: %(names)s.")
                    % {"names": "、".join(p.display_name for p in report.new_people)},
                    people_url,
                    _("Check them"),
                ),
                messages.WARNING,
            )
        if unplaced:
            self.message_user(
                request,
                _("Text that fitted no story was not imported: %(text)s")
                % {"text": Truncator(" ".join(unplaced)).chars(UNPLACED_MESSAGE_CHARS)},
                messages.WARNING,
            )
