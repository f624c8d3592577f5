from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_latest_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["section", "status", "publish_at"], name="article_section_count_idx"
            ),
        ),
    ]
