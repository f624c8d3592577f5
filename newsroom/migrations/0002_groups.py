"""The newsroom's groups and their model permissions.

Object- and state-level rules (a reporter edits only their own drafts) live in
newsroom.workflow; these are the model-level rights the admin needs first.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CRUD = ("add", "change", "view", "delete")

REPORTER_PERMISSIONS = {
    "articles": {
        "article": ("add", "change", "view"),
        "articlebyline": CRUD,
        "event": ("add", "change", "view"),
        "gallery": ("add", "change", "view"),
        "gallerybyline": CRUD,
        "photo": ("add", "change", "view"),
        "section": ("view",),
    },
    "people": {"person": ("add", "view")},
    "taggit": {"tag": ("add", "view"), "taggeditem": CRUD},
}

EDITOR_PERMISSIONS = {
    "articles": {
        "article": ("add", "change", "view", "publish_article"),
        "articlebyline": CRUD,
        "event": ("add", "change", "view"),
        "gallery": ("add", "change", "view"),
        "gallerybyline": CRUD,
        "photo": CRUD,
        "section": CRUD,
        "frontpageslot": CRUD,
        "oldslug": ("view",),
    },
    "people": {"person": CRUD},
    "taggit": {"tag": CRUD, "taggeditem": CRUD},
    "newsroom": {"transition": ("view",), "correction": ("view",)},
}


def codename(action, model):
    return action if "_" in action else f"{action}_{model}"


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, table in [("Reporters", REPORTER_PERMISSIONS), ("Editors", EDITOR_PERMISSIONS)]:
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, models in table.items():
            for model, actions in models.items():
                for action in actions:
                    group.permissions.add(
                        Permission.objects.get(content_type__app_label=app_label, codename=codename(action, model))
                    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Reporters", "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_initial"),
        ("articles", "0001_initial"),
        ("people", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
