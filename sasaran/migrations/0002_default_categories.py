from decimal import Decimal

from django.db import migrations

# The example scale of DOMAIN.md; regions differ, so admins edit these rows.
DEFAULT_SCALE = [
    ("Sangat Baik", Decimal("91"), "success"),
    ("Baik", Decimal("76"), "primary"),
    ("Cukup", Decimal("66"), "info"),
    ("Kurang", Decimal("51"), "warning"),
    ("Sangat Kurang", Decimal("0"), "danger"),
]


def create_scale(apps, schema_editor):
    category = apps.get_model("sasaran", "AchievementCategory")
    for label, min_percent, color in DEFAULT_SCALE:
        category.objects.get_or_create(
            label=label, defaults={"min_percent": min_percent, "color": color}
        )


class Migration(migrations.Migration):
    dependencies = [("sasaran", "0001_initial")]
    operations = [migrations.RunPython(create_scale, migrations.RunPython.noop)]
