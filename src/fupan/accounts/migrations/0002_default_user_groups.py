from django.db import migrations


def create_groups(apps, schema_editor):
    from fupan.accounts.default_groups import ensure_default_groups

    ensure_default_groups(apps.get_model("accounts", "UserGroup"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
