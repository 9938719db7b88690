from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The database cache (the default without Redis) needs its table; createcachetable
    # does nothing when the configured cache is not a database cache.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("sasaran", "0004_export_job")]
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
