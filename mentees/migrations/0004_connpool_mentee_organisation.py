"""Mentees carry their user's organisation, so a coordinator's list and its count read one index."""

import django.db.models.deletion
from django.db import migrations, models


def copy_organisation(apps, schema_editor):
    Mentee = apps.get_model("mentees", "Mentee")
    User = apps.get_model("accounts", "User")
    Mentee.objects.update(organisation_id=models.Subquery(
        User.objects.filter(pk=models.OuterRef("user_id")).values("organisation_id")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("mentees", "0003_connpool_help_request_organisation_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="mentee",
            name="organisation",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="accounts.organisation"),
        ),
        migrations.RunPython(copy_organisation, migrations.RunPython.noop),
    ]
