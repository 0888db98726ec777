from django.db import migrations


def create_groups(apps, schema_editor):
    from fupan.accounts.default_groups import default_groups

    UserGroup = apps.get_model("accounts", "UserGroup")
    for row in default_groups():
        UserGroup.objects.update_or_create(id=row["id"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
