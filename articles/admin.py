from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Prefetch, Q
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit import admin as taggit_admin
from taggit.models import Tag, TaggedItem

from articles.models import (
    Article,
    ArticleByline,
    Event,
    FrontPageSlot,
    Gallery,
    GalleryByline,
    Photo,
    Section,
)
from articles.printimport.admin import PrintImportAdminMixin
from articles.richtext import formatted
from newsroom.admin import (
    BULK_ACTIONS,
    WORKFLOW_FIELDSETS,
    CappedCountPaginator,
    PublishableAdmin,
    ReadableOnlyMixin,
    WorkflowChildAdminMixin,
    WorkflowChildForm,
    WorkflowChildInlineMixin,
    is_desk_editor,
)
from newsroom.images import PhotoFormField
from newsroom.review import rules
from newsroom.roles import is_editor
from people.models import Person


class BylineInline(admin.TabularInline):
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["order", "role", "person", "is_text_and_photo"]
    verbose_name = _("byline")
    verbose_name_plural = _("bylines")


class ArticleBylineInline(BylineInline):
    model = ArticleByline


class GalleryBylineInline(BylineInline):
    model = GalleryByline


class PersonFilter(admin.SimpleListFilter):
    """Staff people only: a filter listing every outside contributor would be endless."""

    title = _("person")
    parameter_name = "person"

    def lookups(self, request, model_admin):
        return Person.objects.filter(kind=Person.Kind.STAFF).values_list("pk", "display_name")

    def queryset(self, request, queryset):
        value = str(self.value() or "")
        if value.isdigit():
            return queryset.filter(
                pk__in=ArticleByline.objects.filter(person_id=value).values("article_id")
            )
        return queryset


def add_own_byline(request, obj, formset_bylines):
    """A reporter's new story carries their byline unless they credited someone."""
    person = getattr(request.user, "person", None)
    if person is not None and not formset_bylines.exists():
        formset_bylines.create(person=person, role=ArticleByline.Role.REPORTER)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "desk"]
    list_select_related = ["desk"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {}


@admin.register(Article)
class ArticleAdmin(PrintImportAdminMixin, PublishableAdmin):
    list_display = [
        "headline",
        "status_display",
        "section",
        "byline_names",
        "publish_at",
        "updated_at",
    ]
    list_filter = ["status", "section", PersonFilter, "publish_at", "print_edition_date"]
    list_select_related = ["section"]
    search_fields = ["headline", "kicker", "subheadline", "slug"]
    ordering = ["-updated_at", "-pk"]
    date_hierarchy = None
    autocomplete_fields = ["section", "lead_photo", "events", "galleries"]
    inlines = [ArticleBylineInline]
    actions = BULK_ACTIONS
    # Laid out like the printed story: kicker, headline and subheadline, then the bylines
    # (the inline, placed after the first fieldset by the template), then the text.
    fieldsets = [
        (None, {"fields": ["kicker", "headline", "subheadline"], "classes": ["newsroom-heading"]}),
        (_("Story"), {"fields": ["dateline", "body", "summary"]}),
        (
            _("Metadata"),
            {
                "fields": [
                    "section",
                    "tags",
                    "lead_photo",
                    "events",
                    "galleries",
                    "slug",
                    ("print_edition_date", "print_page"),
                ]
            },
        ),
        *WORKFLOW_FIELDSETS,
    ]

    formatted_fields = {"body": "formatted_body"}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("bylines", queryset=ArticleByline.objects.select_related("person"))
            )
        )

    @admin.display(description=_("body"))
    def formatted_body(self, obj):
        return formatted(obj.body)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # The address is frozen once published; only an editor may change it (the old one redirects).
        if obj is not None and obj.has_been_public() and not is_desk_editor(request.user, obj):
            fields.append("slug")
        return fields

    @admin.display(description=_("bylines"))
    def byline_names(self, obj):
        return "、".join(b.person.display_name for b in obj.bylines.all())

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            add_own_byline(request, form.instance, form.instance.bylines)


@admin.register(Event)
class EventAdmin(PublishableAdmin):
    list_display = ["title", "status_display", "starts_at", "venue", "updated_at"]
    list_filter = ["status", "starts_at"]
    search_fields = ["title", "venue", "organiser"]
    ordering = ["-starts_at", "-pk"]
    actions = BULK_ACTIONS
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    ("starts_at", "ends_at"),
                    "is_all_day",
                    "venue",
                    "organiser",
                    "section",
                    "description",
                    "slug",
                ]
            },
        ),
        *WORKFLOW_FIELDSETS,
    ]
    formatted_fields = {"description": "formatted_description"}

    @admin.display(description=_("description"))
    def formatted_description(self, obj):
        return formatted(obj.description)


# Our image checks run first, so a refused upload says why (too big, too many pixels, SVG).
PHOTO_FIELD_OVERRIDES = {models.ImageField: {"form_class": PhotoFormField}}


def say_renditions_pending(request, photos) -> None:
    """Tell the editor that the renditions of big photos just saved are being made (by a task,
    articles/tasks.py): until then pages show a placeholder of the photo's size."""
    count = sum(1 for photo in photos if getattr(photo, "renditions_pending", False))
    if count:
        messages.info(
            request,
            ngettext(
                "The renditions of the big photo are being made: pages show a placeholder of "
                "its size until they are ready (usually within a minute).",
                "The renditions of %(count)d big photos are being made: pages show a "
                "placeholder of their size until they are ready (usually within a minute).",
                count,
            )
            % {"count": count},
        )


class PhotoForm(WorkflowChildForm):
    owner_fields = ("gallery",)


class BoundedPhotoFormSet(BaseInlineFormSet):
    """A gallery save decodes and re-encodes every new photo while the editor waits: more
    than GALLERY_SAVE_MAX_NEW_PHOTOS photos or GALLERY_SAVE_MAX_BYTES in one save would
    outlast the request, so it is refused with a message before any photo is touched."""

    def clean(self):
        super().clean()
        uploads = [
            form.cleaned_data["image"]
            for form in self.forms
            if form.has_changed()
            and not self._should_delete_form(form)
            and getattr(form, "cleaned_data", None)
            and "image" in form.changed_data
            and form.cleaned_data.get("image")
        ]
        total = sum(getattr(upload, "size", 0) or 0 for upload in uploads)
        max_count, max_bytes = settings.GALLERY_SAVE_MAX_NEW_PHOTOS, settings.GALLERY_SAVE_MAX_BYTES
        if len(uploads) > max_count or total > max_bytes:
            raise ValidationError(
                _(
                    "This save uploads %(count)d photos (%(size)s); one save takes at most "
                    "%(max_count)d photos and %(max_size)s. Nothing was saved: please upload "
                    "the rest in another save."
                )
                % {
                    "count": len(uploads),
                    "size": filesizeformat(total),
                    "max_count": max_count,
                    "max_size": filesizeformat(max_bytes),
                },
                code="too_much_work",
            )


class PhotoInline(WorkflowChildInlineMixin, admin.StackedInline):
    model = Photo
    form = PhotoForm
    formset = BoundedPhotoFormSet
    extra = 1
    formfield_overrides = PHOTO_FIELD_OVERRIDES
    fields = ["order", "image", "caption", "alt_text", "credit", "taken_at", "loaded_edit_version"]
    autocomplete_fields = ["credit"]


@admin.register(Gallery)
class GalleryAdmin(PublishableAdmin):
    list_display = ["title", "status_display", "section", "publish_at", "updated_at"]
    list_filter = ["status", "section"]
    list_select_related = ["section"]
    search_fields = ["title", "description"]
    ordering = ["-updated_at", "-pk"]
    autocomplete_fields = ["section", "events", "cover_photo"]
    inlines = [GalleryBylineInline, PhotoInline]
    actions = BULK_ACTIONS
    fieldsets = [
        (None, {"fields": ["title", "description", "section", "cover_photo", "events", "slug"]}),
        *WORKFLOW_FIELDSETS,
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            add_own_byline(request, form.instance, form.instance.bylines)
        say_renditions_pending(
            request,
            [f.instance for formset in formsets for f in formset.forms if formset.model is Photo],
        )


@admin.register(Photo)
class PhotoAdmin(ReadableOnlyMixin, WorkflowChildAdminMixin, admin.ModelAdmin):
    """Photos on their own: whoever changes one changes what its gallery and the stories
    leading with it show, so the workflow rules of each of them apply (WorkflowChildForm)."""

    form = PhotoForm
    # Every photo ever filed: no full COUNT for the page (see CappedCountPaginator).
    paginator = CappedCountPaginator
    show_full_result_count = False
    list_display = ["__str__", "gallery", "credit", "created_at"]
    list_select_related = ["gallery", "credit"]
    search_fields = ["caption", "alt_text"]
    autocomplete_fields = ["credit", "gallery"]
    fields = [
        "image",
        "caption",
        "alt_text",
        "credit",
        "taken_at",
        "gallery",
        "order",
        "loaded_edit_version",
    ]
    formfield_overrides = PHOTO_FIELD_OVERRIDES

    # Reading rights: a photo of a gallery goes with that gallery (rules.may_view); another's
    # draft gallery's photos are not found, in the list, by URL or in an autocomplete.
    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or obj.gallery_id is None or rules.may_view(obj.gallery, request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "gallery" in form.base_fields:
            visible = Q(pk__in=Gallery.objects.visible_to(request.user).values("pk"))
            if obj is not None and obj.gallery_id:
                visible |= Q(pk=obj.gallery_id)
            field = form.base_fields["gallery"]
            field.queryset = field.queryset.filter(visible)
        return form

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or all(
            is_desk_editor(request.user, item) for item in obj.workflow_owners()
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        say_renditions_pending(request, [obj])


@admin.register(FrontPageSlot)
class FrontPageSlotAdmin(admin.ModelAdmin):
    list_display = ["article", "order"]
    list_editable = ["order"]
    list_select_related = ["article"]
    autocomplete_fields = ["article"]


# --- tags: the vocabulary is the editors'; reporters tag in the story form ----------------


class TaggedItemReadOnlyInline(admin.TabularInline):
    """What carries the tag. Tagging happens in the item's own form, under its rules."""

    model = TaggedItem
    fields = ["content_type", "object_id", "content_object"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("content_type")


class MergeTagsForm(forms.Form):
    into = forms.CharField(
        label=_("Merge into the tag"),
        max_length=100,
        help_text=_(
            "The name of an existing tag or a new one; the selected tags are replaced by it."
        ),
    )


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(taggit_admin.TagAdmin):
    """taggit's tag admin, with the newsroom's rules: reporters may look, editors keep the
    vocabulary (rename, merge, delete). A tag's name shows on every story carrying it, so a
    change reaches published stories; articles/signals.py lets the caches follow."""

    inlines = [TaggedItemReadOnlyInline]
    actions = ["merge_tags"]

    def has_add_permission(self, request):
        return is_editor(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return is_editor(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_editor(request.user) and super().has_delete_permission(request, obj)

    def merge_tags_view(self, request):
        """taggit's own merge page (reached with a selection kept in the session): its work
        is done by the merge action, which shows the selection it merges."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        self.message_user(request, _("Select the tags to merge in the list, then choose “Merge”."))
        return redirect("admin:taggit_tag_changelist")

    @admin.action(description=_("Merge selected tags"), permissions=["change"])
    def merge_tags(self, request, queryset):
        """Ask for the tag to merge into, then move every tagged item to it and delete the others."""
        tags = list(queryset.order_by("name"))
        form = MergeTagsForm(request.POST if "into" in request.POST else None)
        if form.is_bound and form.is_valid():
            with transaction.atomic():
                target = merge_tags(tags, form.cleaned_data["into"])
            self.message_user(
                request,
                _("%(count)d tags merged into “%(tag)s”.") % {"count": len(tags), "tag": target},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/taggit/tag/merge_tags.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Merge tags"),
                "opts": self.opts,
                "tags": tags,
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


def merge_tags(tags, into: str) -> Tag:
    """Replace `tags` by the tag named `into` (made if new) on everything carrying them; the
    merged tags are deleted. Saves and deletes are the models' own: deleting a tag starts new
    cache generations (articles/signals.py), so the stories' pages follow."""
    target = Tag.objects.filter(name__iexact=into.strip()).first()
    if target is None:
        target = Tag.objects.create(name=into.strip())
    for tag in tags:
        if tag.pk == target.pk:
            continue
        for item in TaggedItem.objects.select_for_update().filter(tag=tag):
            if TaggedItem.objects.filter(
                tag=target, content_type_id=item.content_type_id, object_id=item.object_id
            ).exists():
                item.delete()
            else:
                item.tag = target
                item.save()
        tag.delete()
    return target


# The 数字报's admins (uploads, editions, page zones) register themselves.
from articles.digital import admin as digital_admin  # noqa: E402,F401
