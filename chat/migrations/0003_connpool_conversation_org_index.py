from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("chat", "0002_chatfaults_message_seq")]

    operations = [
        migrations.AddIndex(
            model_name="conversation",
            index=models.Index(models.F("organisation"), models.F("created_at").desc(), models.F("id").desc(),
                               name="conversation_org_newest"),
        ),
    ]
