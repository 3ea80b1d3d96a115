import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    # Apart from 0004: PostgreSQL refuses to alter a table with pending (deferred) constraint checks.
    dependencies = [("mentees", "0004_connpool_mentee_organisation")]

    operations = [
        migrations.AlterField(
            model_name="mentee",
            name="organisation",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="accounts.organisation"),
        ),
        migrations.AddIndex(
            model_name="mentee",
            index=models.Index(fields=["organisation", "id"], name="mentee_org"),
        ),
    ]
