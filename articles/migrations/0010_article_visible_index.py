from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_section_count_index")]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["id", "status", "publish_at", "created_at"], name="article_visible_idx"
            ),
        ),
    ]
