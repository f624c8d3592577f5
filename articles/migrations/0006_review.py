# Articles, events and galleries belong to a desk and wait at a review stage (issue 12);
# a section belongs to a desk; an event may have a section.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_tag_slugs_never_empty"),
        ("newsroom", "0006_review"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="desk",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="newsroom.desk",
                verbose_name="desk",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="review_stage",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="newsroom.stage",
                verbose_name="review stage",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="desk",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="newsroom.desk",
                verbose_name="desk",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="review_stage",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="newsroom.stage",
                verbose_name="review stage",
            ),
        ),
        migrations.AddField(
            model_name="gallery",
            name="desk",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="newsroom.desk",
                verbose_name="desk",
            ),
        ),
        migrations.AddField(
            model_name="gallery",
            name="review_stage",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="newsroom.stage",
                verbose_name="review stage",
            ),
        ),
        migrations.AddField(
            model_name="section",
            name="desk",
            field=models.ForeignKey(
                blank=True,
                help_text="The desk that edits this section's stories; empty: the default desk.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="sections",
                to="newsroom.desk",
                verbose_name="desk",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="section",
            field=models.ForeignKey(
                blank=True,
                help_text="The event belongs to the section's desk.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="events",
                to="articles.section",
                verbose_name="section",
            ),
        ),
    ]
