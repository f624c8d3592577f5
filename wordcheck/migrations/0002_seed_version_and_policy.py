import uuid

from django.db import migrations

# A copy of wordcheck.lists.DEFAULT_POLICY as it was when this migration was written, so
# that administrators see (and change) every rule in the admin.
POLICY = {
    "banned": {"submit": "block", "schedule": "block", "publish": "block"},
    "sensitive": {"submit": "warn", "schedule": "signoff", "publish": "signoff"},
    "fixed": {"submit": "warn", "schedule": "block", "publish": "block"},
    "mistake": {"submit": "warn", "schedule": "warn", "publish": "warn"},
}


def seed(apps, schema_editor):
    ListsVersion = apps.get_model("wordcheck", "ListsVersion")
    Policy = apps.get_model("wordcheck", "Policy")
    ListsVersion.objects.get_or_create(pk=1, defaults={"number": 1, "token": uuid.uuid4().hex})
    for category, stages in POLICY.items():
        for stage, action in stages.items():
            Policy.objects.get_or_create(category=category, stage=stage, defaults={"action": action})


class Migration(migrations.Migration):
    dependencies = [("wordcheck", "0001_lists_policy_results")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
