from django.db import migrations


def create_rules(apps, schema_editor):
    from fupan.accounts.default_credit_rules import ensure_default_credit_rules

    ensure_default_credit_rules(apps.get_model("accounts", "CreditRule"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_credit_rules_and_ledger")]
    operations = [migrations.RunPython(create_rules, migrations.RunPython.noop)]
