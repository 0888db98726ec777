from django.db import migrations


def create_items(apps, schema_editor):
    from fupan.items.default_items import ensure_default_items

    ensure_default_items(apps.get_model("items", "Item"))


class Migration(migrations.Migration):
    dependencies = [("items", "0001_initial")]
    operations = [migrations.RunPython(create_items, migrations.RunPython.noop)]
