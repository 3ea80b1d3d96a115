from rest_framework import serializers

from safeguarding.models import Entry


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class EntrySerializer(serializers.ModelSerializer):
    actor = PersonSerializer(read_only=True, allow_null=True)
    subject = PersonSerializer(read_only=True, allow_null=True)
    action_label = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = Entry
        fields = [
            "id",
            "at",
            "action",
            "action_label",
            "actor",
            "subject",
            "object_type",
            "object_id",
            "reason",
            "detail",
        ]
        read_only_fields = fields
