"""The admin's "Import print page": an editor uploads (or pastes) a page, checks the
parsed preview, and confirms; the stories land in the review queue.

The preview carries the decoded text to the confirmation in a hidden field signed with
django.core.signing (salted with the editor's id; see forms.py), so what is imported is
exactly what was previewed, and nobody can post text the preview never showed.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.printimport.forms import (
    ConfirmForm,
    PageEditForm,
    PageForm,
    StoryForm,
    apply_action,
    preview_payload,
)
from articles.printimport.importer import (
    import_stories,
    may_import_onto,
    may_import_pages,
    plan_stories,
)
from articles.printimport.parser import PageError, Story, parse_page
from newsroom.workflow import Status

# How much of the unplaced text the message after the import quotes.
UNPLACED_MESSAGE_CHARS = 120
# More story forms than any page holds are not read (a forged count costs nothing).
MAX_STORIES = 200


class PrintImportAdminMixin:
    """Adds the import page to a ModelAdmin of Article, and its link to the change list."""

    change_list_template = "admin/articles/printimport/change_list.html"

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
            "may_import_pages": may_import_pages(request.user),
        }
        return super().changelist_view(request, extra_context)

    def import_print_view(self, request: HttpRequest) -> HttpResponse:
        # The page is for editors; the check is here, not only in which links are shown.
        if not may_import_pages(request.user):
            raise PermissionDenied
        if request.method == "POST" and "payload" in request.POST:
            return self._confirm_import(request)
        form = PageForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            return self._preview(request, form)
        return self._render(
            request,
            "admin/articles/printimport/upload.html",
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

    def _preview(self, request, form: PageForm) -> HttpResponse:
        data = form.cleaned_data
        result = parse_page(data["page_text"])
        meta = {key: data[key] for key in ("edition_date", "page", "section")}
        response = self._render_preview(request, result.stories, result.unplaced, meta)
        if response is None:
            return self._render(
                request, "admin/articles/printimport/upload.html", {"form": form}, status=400
            )
        return response

    def _render_preview(
        self,
        request,
        stories: list[Story],
        unplaced: list[str],
        meta: dict,
        *,
        edit: PageEditForm | None = None,
        status: int = 200,
    ) -> HttpResponse | None:
        """The preview of `stories`, each with the fields to correct it, and the signed
        payload that makes the confirmation import exactly what is shown. None, with an
        error message, when a story does not fit the article's columns. `edit` shows the
        editor's own fields again (with their errors) instead of fresh ones."""
        try:
            plan = plan_stories(stories, edition_date=meta["edition_date"], page=meta["page"])
        except PageError as exc:
            messages.error(request, str(exc))
            return None
        if edit is None or len(edit.forms) != len(plan):
            edit = PageEditForm(None, 0)
            edit.forms = [
                StoryForm(initial=StoryForm.initial_for(story), prefix=f"story-{number}")
                for number, story in enumerate(stories)
            ]
        new_names = list(
            dict.fromkeys(b.name for planned in plan for b in planned.bylines if b.person is None)
        )
        payload = preview_payload(stories, unplaced, user=request.user, **meta)
        context = {
            "plan": plan,
            "rows": list(zip(plan, edit.forms, strict=True)),
            "story_count": len(plan),
            "unplaced": unplaced,
            "to_create": sum(1 for planned in plan if not planned.is_already_imported),
            "to_skip": sum(1 for planned in plan if planned.is_already_imported),
            "new_names": new_names,
            **meta,
            "payload": payload,
            "confirm_form": ConfirmForm(initial={"payload": payload}, user=request.user),
        }
        return self._render(
            request, "admin/articles/printimport/preview.html", context, status=status
        )

    def _confirm_import(self, request) -> HttpResponse:
        confirm = ConfirmForm(request.POST, user=request.user)
        if not confirm.is_valid():
            for error in confirm.errors.get("payload", []):
                messages.error(request, error)
            return self._render(
                request,
                "admin/articles/printimport/upload.html",
                {"form": PageForm(user=request.user)},
                status=400,
            )
        data = confirm.cleaned_data["payload"]
        stories, unplaced = data["stories"], data["unplaced"]
        meta = {key: data[key] for key in ("edition_date", "page", "section")}
        if not may_import_onto(request.user, meta["section"]):
            # Previewed with a right the user has lost since (or the section moved desk).
            raise PermissionDenied
        count = request.POST.get("story-count", "")
        if count.isdigit():
            # The preview's fields came back: apply the corrections, and show them again
            # unless the editor confirmed exactly what the preview showed.
            edit = PageEditForm(request.POST, min(int(count), MAX_STORIES))
            if not edit.is_valid():
                return self._render_preview(request, stories, unplaced, meta, edit=edit, status=400)
            action = request.POST.get("action", "")
            corrected = apply_action(edit.stories(), action)
            shown = [story.as_dict(detailed=True) for story in stories]
            if (
                action
                or "_confirm" not in request.POST
                or shown != [story.as_dict(detailed=True) for story in corrected]
            ):
                if "_confirm" in request.POST:
                    messages.warning(
                        request,
                        _(
                            "Nothing was imported yet: your corrections are shown below. "
                            "Check them and confirm again."
                        ),
                    )
                response = self._render_preview(request, corrected, unplaced, meta)
                # Corrections that do not fit are shown again, in the editor's own fields.
                return response or self._render_preview(
                    request, stories, unplaced, meta, edit=edit, status=400
                )
        try:
            report = import_stories(stories, by=request.user, **meta)
        except PageError as exc:
            messages.error(request, str(exc))
            return self._render(
                request,
                "admin/articles/printimport/upload.html",
                {"form": PageForm(user=request.user)},
                status=400,
            )
        self._report(request, report, unplaced)
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
