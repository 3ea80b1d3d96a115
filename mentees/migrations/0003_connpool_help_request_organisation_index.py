import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    # Apart from 0002: PostgreSQL refuses to alter a table with pending (deferred) constraint checks.
    dependencies = [("mentees", "0002_connpool_help_request_organisation")]

    operations = [
        migrations.AlterField(
            model_name="helprequest",
            name="organisation",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                    to="accounts.organisation"),
        ),
        migrations.AddIndex(
            model_name="helprequest",
            index=models.Index(models.F("organisation"), models.F("created_at").desc(), models.F("id").desc(),
                               name="helprequest_org_newest"),
        ),
    ]
