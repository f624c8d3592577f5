"""Roles, the shipped review chains and the default desk (issue 12).

- A group for each role with its model permissions (the existing "Reporters" and "Editors" are
  the reporters' and the chief editors' groups; Editors gain the right to read the review data);
- the presets (single editor, 三审三校, section editor + copy desk), the single editor being the
  site default, so a site that keeps it sees no change;
- a default desk, owning every existing item; existing Editors become desk chiefs on it (and stay
  chief editors), Reporters reporters;
- items in review wait at the first stage of the default chain.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from newsroom.review.presets import SINGLE, install_all

CRUD = ("add", "change", "view", "delete")

CONTRIBUTOR = {
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
DESK_EDITOR = {
    "articles": {
        "article": ("add", "change", "view", "publish_article"),
        "articlebyline": CRUD,
        "event": ("add", "change", "view"),
        "gallery": ("add", "change", "view"),
        "gallerybyline": CRUD,
        "photo": CRUD,
        "section": ("view",),
        "oldslug": ("view",),
    },
    "people": {"person": CRUD},
    "taggit": {"tag": CRUD, "taggeditem": CRUD},
    "newsroom": {
        "transition": ("view",),
        "correction": ("view",),
        "signoff": ("view",),
        "desk": ("view",),
        "chain": ("view",),
        "stage": ("view",),
    },
}
DESK_CHIEF = {
    **DESK_EDITOR,
    "newsroom": {**DESK_EDITOR["newsroom"], "deskmembership": CRUD},
}
PROOFREADER = {
    "articles": {
        "article": ("change", "view"),
        "articlebyline": ("view",),
        "event": ("change", "view"),
        "gallery": ("change", "view"),
        "gallerybyline": ("view",),
        "photo": ("view",),
        "section": ("view",),
    },
    "people": {"person": ("view",)},
    "taggit": {"tag": ("view",), "taggeditem": CRUD},
    "newsroom": {"transition": ("view",), "signoff": ("view",)},
}
SITE_ADMIN = {
    "auth": {"user": ("add", "change", "view"), "group": ("view",)},
    "newsroom": {
        "desk": CRUD,
        "deskmembership": CRUD,
        "chain": CRUD,
        "stage": CRUD,
        "chainchoice": CRUD,
        "signoff": ("view",),
        "transition": ("view",),
    },
    "articles": {"section": CRUD},
}
# Added to the existing chief editors' group ("Editors").
CHIEF_EDITOR_EXTRA = {
    "newsroom": {
        "signoff": ("view",),
        "desk": ("view",),
        "deskmembership": CRUD,
        "chain": ("view",),
        "stage": ("view",),
        "chainchoice": ("view",),
    }
}

GROUPS = {
    "Reporters": {},  # unchanged
    "Correspondents": CONTRIBUTOR,
    "Photographers": CONTRIBUTOR,
    "Desk editors": DESK_EDITOR,
    "Desk chiefs": DESK_CHIEF,
    "Proofreaders": PROOFREADER,
    "Editors": CHIEF_EDITOR_EXTRA,
    "Site administrators": SITE_ADMIN,
}
NEW_GROUPS = ["Correspondents", "Photographers", "Desk editors", "Desk chiefs", "Proofreaders",
              "Site administrators"]
CONTENT = [("articles", "article"), ("articles", "event"), ("articles", "gallery")]


def codename(action, model):
    return action if "_" in action else f"{action}_{model}"


def set_up(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, table in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, models in table.items():
            for model, actions in models.items():
                for action in actions:
                    group.permissions.add(
                        Permission.objects.get(
                            content_type__app_label=app_label, codename=codename(action, model)
                        )
                    )

    chains = install_all(apps)
    ChainChoice = apps.get_model("newsroom", "ChainChoice")
    ChainChoice.objects.get_or_create(desk=None, content_type=None, defaults={"chain": chains[SINGLE]})

    Desk = apps.get_model("newsroom", "Desk")
    desk = Desk.objects.filter(is_default=True).first() or Desk.objects.create(
        name="编辑部", slug="newsroom", is_default=True, description="The default desk."
    )
    DeskMembership = apps.get_model("newsroom", "DeskMembership")
    chiefs = Group.objects.get(name="Desk chiefs")
    for role, group_name in [("chief", "Editors"), ("reporter", "Reporters")]:
        for user in Group.objects.get(name=group_name).user_set.all():
            DeskMembership.objects.get_or_create(desk=desk, user=user, role=role)
            if role == "chief":
                user.groups.add(chiefs)

    first = chains[SINGLE].stages.order_by("order").first()
    for app_label, model_name in CONTENT:
        model = apps.get_model(app_label, model_name)
        model.objects.filter(desk__isnull=True).update(desk=desk)
        model.objects.filter(status="review", review_stage__isnull=True).update(review_stage=first)


def tear_down(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=NEW_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0006_review"),
        ("articles", "0006_review"),
        ("people", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(set_up, tear_down)]
