"""Every message gets its place in its conversation (seq), numbered in id order for the ones stored so far."""

from django.db import migrations, models


def number_messages(apps, schema_editor):
    Message = apps.get_model("chat", "Message")
    current, seq, changed = None, 0, []
    for message in Message.objects.order_by("conversation_id", "id").only("id", "conversation_id"):
        if message.conversation_id != current:
            current, seq = message.conversation_id, 0
        seq += 1
        message.seq = seq
        changed.append(message)
        if len(changed) >= 1000:
            Message.objects.bulk_update(changed, ["seq"])
            changed = []
    Message.objects.bulk_update(changed, ["seq"])


class Migration(migrations.Migration):

    dependencies = [
        ("chat", "0001_initial"),
    ]

    operations = [
        migrations.AddField(model_name="message", name="seq", field=models.BigIntegerField(null=True)),
        migrations.RunPython(number_messages, migrations.RunPython.noop),
        migrations.AlterField(model_name="message", name="seq", field=models.BigIntegerField()),
        migrations.AddConstraint(
            model_name="message",
            constraint=models.UniqueConstraint(fields=("conversation", "seq"), name="one_message_per_seq"),
        ),
    ]
