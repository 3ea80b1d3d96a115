"""Indexes that start with the organisation, in each list's order: a page reads its 25 rows, whatever the
organisation's size."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    # Apart from 0002: PostgreSQL refuses to alter a table with pending (deferred) constraint checks.
    dependencies = [("scheduling", "0002_connpool_session_organisation")]

    operations = [
        migrations.AlterField(
            model_name="mentoringsession",
            name="organisation",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                    to="accounts.organisation"),
        ),
        migrations.AddIndex(
            model_name="mentoringsession",
            index=models.Index(fields=["organisation", "start", "id"], name="session_org_start"),
        ),
        migrations.AddIndex(
            model_name="pairing",
            index=models.Index(models.F("organisation"), models.F("created_at").desc(), models.F("id").desc(),
                               name="pairing_org_newest"),
        ),
        migrations.AddIndex(
            model_name="slot",
            index=models.Index(fields=["organisation", "start", "id"], name="slot_org_start"),
        ),
    ]
