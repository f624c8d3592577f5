"""Integration tokens and webhooks in the admin.

Tokens: every staff member makes, sees and revokes their own (superusers everyone's), with
no scope their user may not use (api.permissions.scopes_for). Webhooks are the
administrators' (model permissions; no newsroom group has them)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from api.models import Scope, Token, WebhookDelivery, WebhookEvent, WebhookSubscription
from api.permissions import scopes_for


class TokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"),
        choices=Scope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Without any, the token reads what the public reads (at a higher rate)."),
    )

    class Meta:
        model = Token
        fields = ["user", "name", "scopes", "expires_at"]

    # The person making the token (TokenAdmin.get_form sets it).
    maker = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.maker is not None and not self.maker.is_superuser:
            own = scopes_for(self.maker)
            self.fields["scopes"].choices = [c for c in Scope.choices if c[0] in own]

    def clean(self):
        cleaned = super().clean()
        user = cleaned.get("user") or (self.instance.user if self.instance.user_id else None)
        user = user or self.maker
        extra = set(cleaned.get("scopes") or ()) - scopes_for(user)
        if user is not None and extra:
            labels = dict(Scope.choices)
            self.add_error(
                "scopes",
                _("%(user)s may not do this, so their token may not: %(scopes)s.")
                % {
                    "user": user.get_username(),
                    "scopes": ", ".join(str(labels[s]) for s in sorted(extra)),
                },
            )
        return cleaned


@admin.register(Token)
class TokenAdmin(admin.ModelAdmin):
    form = TokenForm
    list_display = ["name", "user", "prefix", "scope_list", "expires_at", "last_used_at", "state"]
    list_filter = ["revoked_at"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    # Staff members' own tokens; superusers all. Another's token is not found.
    def _staff(self, request) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def _own(self, request, obj) -> bool:
        return obj is None or request.user.is_superuser or obj.user_id == request.user.pk

    def has_module_permission(self, request):
        return self._staff(request)

    def has_view_permission(self, request, obj=None):
        return self._staff(request) and self._own(request, obj)

    def has_add_permission(self, request):
        return self._staff(request)

    def has_change_permission(self, request, obj=None):
        return self._staff(request) and self._own(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(user=request.user)

    def get_object(self, request, object_id, from_field=None):
        # Found whoever owns it, so that another's token is a 403 (the permissions above),
        # not a silent redirect; lists and actions see only get_queryset's.
        queryset = super().get_queryset(request)
        field = (
            self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        )
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (self.model.DoesNotExist, ValueError, ValidationError):
            return None

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"maker": request.user})

    def get_fields(self, request, obj=None):
        who = ["user"] if request.user.is_superuser or obj is not None else []
        if obj is None:
            return [*who, "name", "scopes", "expires_at"]
        return [*who, "name", "scopes", "expires_at", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "user"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, not deleted: the log keeps who could do what

    @admin.display(description=_("scopes"))
    def scope_list(self, obj):
        labels = dict(Scope.choices)
        return ", ".join(str(labels.get(s, s)) for s in obj.scopes) or "—"

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.revoked_at:
            return _("Revoked")
        if not obj.is_usable():
            return _("Expired")
        return _("Active")

    def save_model(self, request, obj, form, change):
        if not change:
            if not request.user.is_superuser or obj.user_id is None:
                obj.user = request.user
            obj._issued_key = obj.issue()
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        """The key, once: it is not stored, so this page is the only place it appears."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "token": obj,
            "key": obj._issued_key,
            "title": _("Copy the token now"),
        }
        response = TemplateResponse(request, "api/token_created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("events"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookSubscription
        fields = ["name", "url", "events", "secret", "is_active"]

    def clean_url(self):
        from api.webhooks import TargetRefused, check_target

        url = self.cleaned_data["url"]
        try:
            check_target(url)
        except TargetRefused as error:
            raise forms.ValidationError(str(error)) from None
        return url


class DeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    fields = ["created_at", "event", "item", "status", "attempts", "response_status", "duration_ms"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-created_at"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("-created_at")


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["name", "url", "is_active", "paused_at", "consecutive_failures"]
    readonly_fields = ["paused_at", "consecutive_failures", "created_at"]

    def save_model(self, request, obj, form, change):
        if obj.is_active and obj.paused_at is not None:
            # Ticking "active" again resumes a paused subscription.
            obj.paused_at, obj.consecutive_failures = None, 0
        super().save_model(request, obj, form, change)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log: what was sent where, and what the receiver answered."""

    list_display = [
        "created_at",
        "subscription",
        "event",
        "item",
        "status",
        "attempts",
        "response_status",
        "duration_ms",
    ]
    list_filter = ["status", "event", "subscription"]
    list_select_related = ["subscription"]
    readonly_fields = [
        "id",
        "subscription",
        "event",
        "item",
        "status",
        "attempts",
        "response_status",
        "response_excerpt",
        "error",
        "duration_ms",
        "created_at",
        "last_attempt_at",
        "delivered_at",
        "payload",
    ]
    actions = ["redeliver"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Deliver the selected notices again"), permissions=["change"])
    def redeliver(self, request, queryset):
        from api.webhooks import redeliver

        count = 0
        for delivery in queryset:
            redeliver(delivery)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d notice queued again.", "%(count)d notices queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
