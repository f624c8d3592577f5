"""The admin side: the inbox and preferences (under Notifications), and the endpoints of the
change form's discussion and presence panel (under Comments, which has no list of its own:
comments are only ever seen on their item, by those who may discuss it)."""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsroom.models import Publishable
from newsroom.roles import is_editor
from teamwork import events, presence, unread
from teamwork.access import may_discuss
from teamwork.messages import headline
from teamwork.models import Comment, EmailChoice, Event, Notification, Preference, Profile
from teamwork.preferences import all_choices

INBOX_PAGE = 50


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Each person's inbox. Nobody sees anyone else's notifications."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        if not (request.user.is_active and request.user.is_staff):
            return False
        return obj is None or obj.recipient_id == request.user.pk

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/open/", view(self.open_view), name="teamwork_notification_open"),
            path("read/", view(self.mark_read_view), name="teamwork_notification_read"),
            path(
                "preferences/",
                view(self.preferences_view),
                name="teamwork_notification_preferences",
            ),
            path("", view(self.changelist_view), name="teamwork_notification_changelist"),
        ]

    def changelist_view(self, request, extra_context=None):
        """The inbox, newest first: two queries per page (the page, and the bell's count)."""
        rows = Notification.objects.filter(recipient=request.user).for_inbox()
        show = request.GET.get("show")
        if show == "unread":
            rows = rows.filter(read_at__isnull=True)
        page = Paginator(rows, INBOX_PAGE).get_page(request.GET.get("page"))
        items = [(row, headline(row)) for row in page.object_list]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Notifications"),
            "opts": self.opts,
            "page": page,
            "items": items,
            "show": show,
            "keep_days": settings.NOTIFICATIONS_KEEP_DAYS,
        }
        return TemplateResponse(request, "teamwork/inbox.html", context)

    def open_view(self, request, pk):
        notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
        if notification.read_at is None:
            Notification.objects.filter(pk=pk).update(read_at=timezone.now())
            unread.forget([request.user.pk])
        return HttpResponseRedirect(notification.item_admin_url)

    def mark_read_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        mine = Notification.objects.filter(recipient=request.user)
        if request.POST.get("all"):
            count = mine.mark_read()
        else:
            ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
            count = mine.filter(pk__in=ids).mark_read()
        unread.forget([request.user.pk])
        self.message_user(
            request, _("%(count)d marked as read.") % {"count": count}, messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:teamwork_notification_changelist"))

    def preferences_view(self, request):
        profile, _created = Profile.objects.get_or_create(user=request.user)
        form = PreferencesForm(request.POST or None, user=request.user, profile=profile)
        if request.method == "POST" and form.is_valid():
            form.save()
            self.message_user(
                request, _("Your notification preferences are saved."), messages.SUCCESS
            )
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": _("My notification preferences"),
            "opts": self.opts,
            "form": form,
            "rows": form.rows(),
        }
        return TemplateResponse(request, "teamwork/preferences.html", context)


class PreferencesForm(forms.Form):
    """Every event: in the admin or not, and by email (off, at once, daily digest)."""

    language = forms.ChoiceField(label=gettext_lazy("Language of emails"), required=False)

    def __init__(self, *args, user, profile, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.profile = user, profile
        self.fields["language"].choices = [("", _("The newsroom's language")), *settings.LANGUAGES]
        self.fields["language"].initial = profile.language
        if user.is_superuser:
            self.fields["notify_as_superuser"] = forms.BooleanField(
                label=gettext_lazy("Notify me although I am a superuser"),
                required=False,
                initial=profile.notify_as_superuser,
            )
        for event, choice in all_choices(user).items():
            label = Event(event).label
            self.fields[f"{event}-in_app"] = forms.BooleanField(
                required=False,
                initial=choice.in_app,
                widget=forms.CheckboxInput(attrs={"aria-label": f"{label}: {_('In the admin')}"}),
            )
            self.fields[f"{event}-email"] = forms.ChoiceField(
                choices=EmailChoice.choices,
                initial=choice.email,
                widget=forms.Select(attrs={"aria-label": f"{label}: {_('By email')}"}),
            )

    def rows(self):
        return [
            (label, self[f"{event}-in_app"], self[f"{event}-email"])
            for event, label in Event.choices
        ]

    @transaction.atomic
    def save(self):
        self.profile.language = self.cleaned_data["language"]
        if "notify_as_superuser" in self.cleaned_data:
            self.profile.notify_as_superuser = self.cleaned_data["notify_as_superuser"]
        self.profile.save()
        for event in Event.values:
            Preference.objects.update_or_create(
                user=self.user,
                event=event,
                defaults={
                    "in_app": self.cleaned_data[f"{event}-in_app"],
                    "email": self.cleaned_data[f"{event}-email"],
                },
            )


def draft_key(obj) -> str:
    return f"teamwork-draft:{obj._meta.label_lower}:{obj.pk}"


def pinyin_initials(text: str) -> str:
    # Imported here: pypinyin's dictionaries cost ~57 MiB, and this module is imported by every
    # process (the admin's autodiscovery), readers' web workers included.
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower()


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Only endpoints: comments are read and written on the change form of their item."""

    def has_module_permission(self, request):
        return False

    def has_view_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        item = "<int:ct>/<int:pk>/"
        return [
            path(f"{item}post/", view(self.post_view), name="teamwork_comment_post"),
            path(f"{item}mentions/", view(self.mentions_view), name="teamwork_comment_mentions"),
            path(f"{item}presence/", view(self.presence_view), name="teamwork_comment_presence"),
            path(f"{item}takeover/", view(self.takeover_view), name="teamwork_comment_takeover"),
            path(f"{item}share/", view(self.share_view), name="teamwork_comment_share"),
            path(
                "<int:comment_id>/<slug:action>/",
                view(self.action_view),
                name="teamwork_comment_action",
            ),
        ]

    # --- the item, and whether this person may discuss it -----------------
    def get_item(self, request, ct, pk):
        """The item named in the URL, if this person may see it in the admin and discuss it."""
        try:
            model = ContentType.objects.get_for_id(ct).model_class()
        except ContentType.DoesNotExist:
            raise Http404 from None
        if model is None or not issubclass(model, Publishable):
            raise Http404
        obj = get_object_or_404(model._base_manager, pk=pk)
        model_admin = self.admin_site._registry.get(model)
        if model_admin is None or not model_admin.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        if not may_discuss(request.user, obj):
            raise PermissionDenied
        return obj

    def item_url(self, obj, anchor="comments"):
        opts = obj._meta
        return (
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            + f"#{anchor}"
        )

    def done(self, request, obj, anchor="comments", message=None, error=None):
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse(
                {"ok": error is None, "error": error, "message": message},
                status=400 if error else 200,
            )
        if error:
            self.message_user(request, error, messages.ERROR)
        elif message:
            self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(self.item_url(obj, anchor))

    # --- comments ------------------------------------------------------------
    def post_view(self, request, ct, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_item(request, ct, pk)
        form = CommentForm(request.POST)
        if not form.is_valid():
            error = " ".join(m for errors in form.errors.values() for m in errors)
            # Nothing typed is lost: the panel offers it again (teamwork.panels).
            request.session[draft_key(obj)] = request.POST.get("comment", "")[:20000]
            return self.done(request, obj, error=error)
        parent = None
        if parent_id := form.cleaned_data.get("parent"):
            parent = Comment.objects.on(obj).filter(pk=parent_id, is_deleted=False).first()
            if parent is None:
                return self.done(request, obj, error=_("The comment you answered is gone."))
            parent = parent.parent or parent  # threads are one level deep
        with transaction.atomic():
            comment = Comment.objects.create(
                item=obj,
                author=request.user,
                parent=parent,
                body=form.cleaned_data["comment"],
                quote=form.cleaned_data["quote"] if parent is None else "",
            )
            set_mentions(comment, obj)
            events.on_comment(comment)
        return self.done(
            request, obj, anchor=f"comment-{comment.pk}", message=_("Your comment is posted.")
        )

    def action_view(self, request, comment_id, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        comment = get_object_or_404(Comment, pk=comment_id)
        obj = self.get_item(request, comment.content_type_id, comment.object_id)
        anchor = f"comment-{comment.pk}"
        if action in ("resolve", "reopen"):
            if comment.parent_id is not None or comment.is_deleted:
                raise PermissionDenied
            resolving = action == "resolve"
            comment.is_resolved = resolving
            comment.resolved_by = request.user if resolving else None
            comment.resolved_at = timezone.now() if resolving else None
            comment.save(update_fields=["is_resolved", "resolved_by", "resolved_at"])
            message = _("Resolved.") if resolving else _("Reopened.")
            return self.done(request, obj, anchor=anchor, message=message)
        if action not in ("edit", "delete"):
            raise Http404
        if not comment.is_editable_by(request.user):
            return self.done(
                request,
                obj,
                anchor=anchor,
                error=_("Only its author can change a comment, and only in the first 15 minutes."),
            )
        if action == "delete":
            comment.is_deleted = True
            comment.body = ""
            comment.save(update_fields=["is_deleted", "body"])
            comment.mentions.clear()
            return self.done(request, obj, message=_("Your comment is deleted."))
        form = CommentForm(request.POST)
        if not form.is_valid():
            error = " ".join(m for errors in form.errors.values() for m in errors)
            return self.done(request, obj, anchor=anchor, error=error)
        with transaction.atomic():
            comment.body = form.cleaned_data["comment"]
            comment.edited_at = timezone.now()
            comment.save(update_fields=["body", "edited_at"])
            before = set(comment.mentions.values_list("pk", flat=True))
            set_mentions(comment, obj)
            if set(comment.mentions.values_list("pk", flat=True)) - before:
                # Newly mentioned people hear of it; the others were told already (same key).
                events.on_comment(comment)
        return self.done(request, obj, anchor=anchor, message=_("Your comment is changed."))

    def mentions_view(self, request, ct, pk):
        """People who may discuss the item, matching by name, user name or pinyin initials."""
        obj = self.get_item(request, ct, pk)
        query = request.GET.get("q", "").strip().lower()[:50]
        from django.contrib.auth import get_user_model

        found = []
        candidates = (
            get_user_model()
            .objects.filter(is_active=True, is_staff=True)
            .select_related("person")
            .order_by("username")
        )
        for user in candidates:
            if not may_discuss(user, obj):
                continue
            name = (
                getattr(getattr(user, "person", None), "display_name", "") or user.get_full_name()
            )
            haystack = [user.get_username().lower(), name.lower(), pinyin_initials(name)]
            if not query or any(query in text for text in haystack):
                found.append({"username": user.get_username(), "name": name or user.get_username()})
            if len(found) >= 10:
                break
        return JsonResponse({"results": found})

    # --- presence ---------------------------------------------------------
    def presence_view(self, request, ct, pk):
        """The heartbeat of an open change form: who else is here, the item's current version,
        and whether someone took it over."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_item(request, ct, pk)
        try:
            since = float(request.POST.get("since") or time.time())
        except ValueError:
            since = time.time()
        return JsonResponse(
            {
                "others": presence.here(obj, request.user),
                "edit_version": obj.edit_version,
                "taken_over": presence.takeover_for(obj, request.user, since),
                "heartbeat": presence.HEARTBEAT,
            }
        )

    def takeover_view(self, request, ct, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_item(request, ct, pk)
        if not is_editor(request.user):
            raise PermissionDenied
        note = request.POST.get("note", "").strip()[:500]
        presence.take_over(obj, request.user, note)
        return self.done(
            request, obj, anchor="teamwork", message=_("You have taken over this item.")
        )

    def share_view(self, request, ct, pk):
        """Make a shared preview link and tell the item's contributors about it."""
        from newsroom.preview import preview_url

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_item(request, ct, pk)
        if obj.is_published():
            return self.done(
                request, obj, error=_("This item is public: share its address instead.")
            )
        url = preview_url(obj)
        with transaction.atomic():
            told = events.notify(
                Event.SHARE_LINK,
                obj,
                request.user,
                key=f"share:{obj._meta.label_lower}:{obj.pk}:{obj.edit_version}",
                url=url,
            )
        message = _("Preview link: %(url)s") % {"url": url}
        if told:
            message += " " + _("(%(count)d people told)") % {"count": len(told)}
        return self.done(request, obj, anchor="teamwork", message=message)


class CommentForm(forms.Form):
    # Not "body": the change form around the panel has a field of that name.
    comment = forms.CharField(
        max_length=5000,
        strip=True,
        error_messages={"required": gettext_lazy("Please write something.")},
    )
    quote = forms.CharField(max_length=500, required=False, strip=True)
    parent = forms.IntegerField(required=False, min_value=1)


def set_mentions(comment: Comment, obj) -> None:
    """The people the comment @mentions by user name, among those who may discuss the item."""
    from django.contrib.auth import get_user_model

    names = comment.mentioned_usernames()
    users = get_user_model().objects.filter(username__in=names, is_active=True) if names else []
    comment.mentions.set([user for user in users if may_discuss(user, obj)])
