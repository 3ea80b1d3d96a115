"""Sessions carry their pairing's organisation, so a coordinator's list reads one index in order."""

import django.db.models.deletion
from django.db import migrations, models


def copy_organisation(apps, schema_editor):
    MentoringSession = apps.get_model("scheduling", "MentoringSession")
    Pairing = apps.get_model("scheduling", "Pairing")
    MentoringSession.objects.update(organisation_id=models.Subquery(
        Pairing.objects.filter(pk=models.OuterRef("pairing_id")).values("organisation_id")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_seed_vocabulary"),
        ("scheduling", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="mentoringsession",
            name="organisation",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                    to="accounts.organisation"),
        ),
        migrations.RunPython(copy_organisation, migrations.RunPython.noop),
    ]
