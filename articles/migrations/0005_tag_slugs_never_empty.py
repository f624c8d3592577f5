"""Tags saved with an empty slug (a name of punctuation or emoji only) get one: an empty
slug cannot be linked to, and the page of every story carrying the tag failed."""

import hashlib

from django.db import migrations


def give_slugs(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    taken = set(Tag.objects.values_list("slug", flat=True))
    for tag in Tag.objects.filter(slug__in=["", "-", "_"]).order_by("pk"):
        digest = hashlib.blake2b(tag.name.encode("utf-8", "surrogatepass"), digest_size=4)
        base = candidate = f"tag-{digest.hexdigest()}"
        n = 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        Tag.objects.filter(pk=tag.pk).update(slug=candidate)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_photo_files_protected_and_text_limits"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(give_slugs, migrations.RunPython.noop)]
