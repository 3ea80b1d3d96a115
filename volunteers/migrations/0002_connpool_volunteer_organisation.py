"""Volunteers carry their user's organisation, so a coordinator's list and its count read one index."""

import django.db.models.deletion
from django.db import migrations, models


def copy_organisation(apps, schema_editor):
    Volunteer = apps.get_model("volunteers", "Volunteer")
    User = apps.get_model("accounts", "User")
    Volunteer.objects.update(organisation_id=models.Subquery(
        User.objects.filter(pk=models.OuterRef("user_id")).values("organisation_id")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("volunteers", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="volunteer",
            name="organisation",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="accounts.organisation"),
        ),
        migrations.RunPython(copy_organisation, migrations.RunPython.noop),
    ]
