from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from people.models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["display_name", "kind", "affiliation", "title", "is_confirmed"]
    list_filter = ["kind", "is_confirmed"]
    search_fields = ["display_name", "affiliation", "slug"]
    autocomplete_fields = ["user"]
    actions = ["confirm"]
    fieldsets = [
        (None, {"fields": ["display_name", "kind", "affiliation", "title", "is_confirmed"]}),
        (_("Profile"), {"fields": ["bio", "photo", "slug", "user"]}),
    ]

    @admin.action(description=_("Confirm selected people"), permissions=["change"])
    def confirm(self, request, queryset):
        count = queryset.update(is_confirmed=True)
        self.message_user(request, _("%(count)d people confirmed.") % {"count": count})
