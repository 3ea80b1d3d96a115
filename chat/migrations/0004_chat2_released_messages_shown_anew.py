"""A held message a coordinator releases is shown as a new message (a larger id and seq), so members who synced past
it get it; the held row keeps its text as evidence and lets go of its client id."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('chat', '0003_connpool_conversation_org_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='message',
            name='one_message_per_client_id',
        ),
        migrations.AddField(
            model_name='message',
            name='released_from',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='released_as', to='chat.message'),
        ),
        migrations.AlterField(
            model_name='message',
            name='status',
            field=models.CharField(choices=[('visible', 'Visible'), ('held', 'Held for a coordinator'), ('rejected', 'Rejected by a coordinator'), ('withdrawn', 'Withdrawn by the sender'), ('released', 'Released by a coordinator (shown as a later message)')], default='visible', max_length=10),
        ),
        migrations.AddConstraint(
            model_name='message',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'released'), _negated=True), fields=('conversation', 'sender', 'client_id'), name='one_message_per_client_id'),
        ),
    ]
