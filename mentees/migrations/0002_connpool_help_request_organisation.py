"""Help requests carry their mentee's organisation, so a coordinator's list reads one index in order."""

import django.db.models.deletion
from django.db import migrations, models


def copy_organisation(apps, schema_editor):
    HelpRequest = apps.get_model("mentees", "HelpRequest")
    User = apps.get_model("accounts", "User")
    HelpRequest.objects.update(organisation_id=models.Subquery(
        User.objects.filter(mentee=models.OuterRef("mentee_id")).values("organisation_id")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("mentees", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="helprequest",
            name="organisation",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                    to="accounts.organisation"),
        ),
        migrations.RunPython(copy_organisation, migrations.RunPython.noop),
    ]
