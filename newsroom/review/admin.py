"""The admins of desks (with their members), review chains (with their stages) and chain choices.

Model permissions decide who reaches them (site administrators edit them, chief editors and
desk chiefs read them: the groups of newsroom/migrations/0007_review_setup.py); who may change a
desk's memberships: newsroom.review.memberships_admin.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from newsroom.review.models import Chain, ChainChoice, Desk, Signoff, Stage

try:  # written by the desk-admin work (permissions of memberships); absent before it lands
    from newsroom.review.memberships_admin import DeskMembershipInline
except ImportError:  # pragma: no cover - until then the desk admin has no members inline
    DeskMembershipInline = None


@admin.register(Desk)
class DeskAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_default"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DeskMembershipInline] if DeskMembershipInline else []


class StageFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        orders = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            stage = form.instance
            if form.cleaned_data.get("DELETE"):
                if stage.pk and Signoff.objects.filter(stage=stage).exists():
                    raise ValidationError(
                        _(
                            "The stage “%(stage)s” has been signed: its sign-offs are the "
                            "paper's record, so it cannot be deleted. Rename it, or make a new "
                            "chain."
                        )
                        % {"stage": stage.name}
                    )
                continue
            orders.append(form.cleaned_data.get("order"))
        if len(orders) != len(set(orders)):
            raise ValidationError(_("Two stages have the same order; give each its own number."))
        if not orders:
            raise ValidationError(_("A chain needs at least one stage."))


class StageInline(admin.TabularInline):
    model = Stage
    formset = StageFormSet
    extra = 0
    min_num = 1
    fields = ["order", "name", "signer", "kind", "may_edit", "distinct_signer", "reapprove_on_edit"]
    ordering = ["order", "pk"]


@admin.register(Chain)
class ChainAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "stage_names"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StageInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("stages")

    @admin.display(description=_("stages"))
    def stage_names(self, chain):
        return " → ".join(stage.name for stage in chain.stages.all())


@admin.register(ChainChoice)
class ChainChoiceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "chain", "desk", "content_type"]
    list_select_related = ["chain", "desk", "content_type"]
    list_filter = ["chain", "desk"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "content_type":
            from django.contrib.contenttypes.models import ContentType

            from newsroom import registry

            models = registry.publishable_models()
            kwargs["queryset"] = ContentType.objects.filter(
                pk__in=[ContentType.objects.get_for_model(m).pk for m in models]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
