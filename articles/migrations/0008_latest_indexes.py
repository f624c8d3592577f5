from django.db import migrations, models

INDEXES = [
    models.Index(
        models.OrderBy(models.F("publish_at"), descending=True, nulls_last=True),
        models.OrderBy(models.F("id"), descending=True),
        name="article_latest_idx",
    ),
    models.Index(
        models.F("section"),
        models.OrderBy(models.F("publish_at"), descending=True, nulls_last=True),
        models.OrderBy(models.F("id"), descending=True),
        name="article_section_latest_idx",
    ),
]


def add_indexes(apps, schema_editor):
    # NULLS LAST in an index is PostgreSQL's: SQLite cannot say it in CREATE INDEX (and puts
    # NULLs last in a descending order anyway).
    if schema_editor.connection.vendor == "postgresql":
        for index in INDEXES:
            schema_editor.add_index(apps.get_model("articles", "Article"), index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in INDEXES:
            schema_editor.remove_index(apps.get_model("articles", "Article"), index)


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_print_editions")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(model_name="article", index=index) for index in INDEXES
            ],
            database_operations=[migrations.RunPython(add_indexes, remove_indexes)],
        ),
    ]
