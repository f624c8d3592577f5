# Desks, review chains and sign-offs (issue 12).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("newsroom", "0005_note_length_limits"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Chain",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=80, unique=True, verbose_name="name")),
                ("slug", models.SlugField(max_length=80, unique=True, verbose_name="slug")),
                ("description", models.TextField(blank=True, max_length=1000, verbose_name="description")),
            ],
            options={
                "verbose_name": "review chain",
                "verbose_name_plural": "review chains",
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="Desk",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=80, unique=True, verbose_name="name")),
                ("slug", models.SlugField(max_length=80, unique=True, verbose_name="slug")),
                ("description", models.TextField(blank=True, max_length=1000, verbose_name="description")),
                (
                    "is_default",
                    models.BooleanField(
                        default=False,
                        help_text="Items whose section has no desk belong to the default desk. There is one.",
                        verbose_name="default desk",
                    ),
                ),
            ],
            options={
                "verbose_name": "desk",
                "verbose_name_plural": "desks",
                "ordering": ["-is_default", "name"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("is_default", True)), fields=("is_default",), name="one_default_desk"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Stage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                ("name", models.CharField(max_length=60, verbose_name="name")),
                (
                    "signer",
                    models.CharField(
                        choices=[
                            ("editor", "desk editor"),
                            ("chief", "desk chief"),
                            ("proofreader", "proofreader"),
                            ("chief_editor", "chief editor"),
                        ],
                        max_length=16,
                        verbose_name="signed by",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("review", "review"), ("proof", "proofreading")],
                        default="review",
                        max_length=8,
                        verbose_name="kind",
                    ),
                ),
                (
                    "may_edit",
                    models.BooleanField(
                        default=True, help_text="The signer may change the text.", verbose_name="signer may edit"
                    ),
                ),
                (
                    "distinct_signer",
                    models.BooleanField(
                        default=False,
                        help_text="Whoever signs this stage may not sign another stage so marked of the same story (三审: three different people).",
                        verbose_name="distinct signer",
                    ),
                ),
                (
                    "reapprove_on_edit",
                    models.BooleanField(
                        default=False,
                        help_text="An edit after this stage was signed clears its sign-off and every later one, and returns the story to this stage.",
                        verbose_name="re-approve after edits",
                    ),
                ),
                (
                    "chain",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="stages",
                        to="newsroom.chain",
                        verbose_name="chain",
                    ),
                ),
            ],
            options={
                "verbose_name": "stage",
                "verbose_name_plural": "stages",
                "ordering": ["chain", "order", "pk"],
                "constraints": [models.UniqueConstraint(fields=("chain", "order"), name="one_stage_per_order")],
            },
        ),
        migrations.CreateModel(
            name="DeskMembership",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("reporter", "reporter"),
                            ("correspondent", "correspondent"),
                            ("photographer", "photographer"),
                            ("editor", "desk editor"),
                            ("chief", "desk chief"),
                            ("proofreader", "proofreader"),
                        ],
                        max_length=16,
                        verbose_name="role",
                    ),
                ),
                (
                    "desk",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="newsroom.desk",
                        verbose_name="desk",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="desk_memberships",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "desk membership",
                "verbose_name_plural": "desk memberships",
                "ordering": ["desk", "role", "user"],
                "indexes": [models.Index(fields=["user", "desk"], name="membership_user_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=("desk", "user", "role"), name="one_membership_per_role")
                ],
            },
        ),
        migrations.CreateModel(
            name="ChainChoice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "chain",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to="newsroom.chain", verbose_name="chain"
                    ),
                ),
                (
                    "content_type",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty: articles, events and galleries alike.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        to="contenttypes.contenttype",
                        verbose_name="content type",
                    ),
                ),
                (
                    "desk",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty: every desk.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        to="newsroom.desk",
                        verbose_name="desk",
                    ),
                ),
            ],
            options={
                "verbose_name": "chain choice",
                "verbose_name_plural": "chain choices",
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("content_type__isnull", False), ("desk__isnull", False)),
                        fields=("desk", "content_type"),
                        name="chainchoice_desk_type",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("content_type__isnull", True), ("desk__isnull", False)),
                        fields=("desk",),
                        name="chainchoice_desk",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("content_type__isnull", False), ("desk__isnull", True)),
                        fields=("content_type",),
                        name="chainchoice_type",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("content_type__isnull", True), ("desk__isnull", True)),
                        fields=("chain",),
                        name="chainchoice_site_default_per_chain",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Signoff",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("object_id", models.PositiveBigIntegerField()),
                ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="signed at")),
                ("note", models.TextField(blank=True, max_length=2000, verbose_name="note")),
                ("edit_version", models.PositiveIntegerField(default=0, verbose_name="edit version signed")),
                ("cleared_at", models.DateTimeField(blank=True, null=True, verbose_name="cleared at")),
                ("cleared_reason", models.CharField(blank=True, max_length=200, verbose_name="cleared because")),
                ("edited_after", models.BooleanField(default=False, verbose_name="edited after signing")),
                (
                    "by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="signed by",
                    ),
                ),
                (
                    "content_type",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="contenttypes.contenttype"),
                ),
                (
                    "revision",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="reversion.revision",
                        verbose_name="revision signed",
                    ),
                ),
                (
                    "stage",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="signoffs",
                        to="newsroom.stage",
                        verbose_name="stage",
                    ),
                ),
            ],
            options={
                "verbose_name": "sign-off",
                "verbose_name_plural": "sign-offs",
                "ordering": ["at", "pk"],
                "indexes": [models.Index(fields=["content_type", "object_id", "at"], name="signoff_object_idx")],
            },
        ),
        migrations.AddField(
            model_name="transition",
            name="from_stage",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="newsroom.stage",
                verbose_name="from stage",
            ),
        ),
        migrations.AddField(
            model_name="transition",
            name="to_stage",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="newsroom.stage",
                verbose_name="to stage",
            ),
        ),
    ]
