import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    # Apart from 0002: PostgreSQL refuses to alter a table with pending (deferred) constraint checks.
    dependencies = [("volunteers", "0002_connpool_volunteer_organisation")]

    operations = [
        migrations.AlterField(
            model_name="volunteer",
            name="organisation",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="accounts.organisation"),
        ),
        migrations.AddIndex(
            model_name="volunteer",
            index=models.Index(fields=["organisation", "id"], name="volunteer_org"),
        ),
    ]
