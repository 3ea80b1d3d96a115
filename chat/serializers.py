from rest_framework import serializers
from rest_framework.relations import PKOnlyObject

from chat.models import Conversation, Message, Report
from chat.services.payloads import message_payload
from config.text import PlainTextField
from scheduling.serializers import PersonRefSerializer


class SenderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    role = serializers.CharField()


class MessageSerializer(serializers.ModelSerializer):
    """A message as the socket's `message` frame shows it: built by services.message_payload, the one
    builder (timestamps in ISO 8601 with `Z`, notices in the reader's language). The declared fields
    document the shape for the schema; a subclass's further fields are rendered as usual."""

    sender = SenderSerializer(read_only=True, allow_null=True)
    body = serializers.CharField(read_only=True)

    class Meta:
        model = Message
        fields = ["id", "client_id", "kind", "sender", "body", "created_at"]
        read_only_fields = fields

    def to_representation(self, instance) -> dict:
        data = message_payload(instance)
        for field in self._readable_fields:
            if field.field_name in data:
                continue
            attribute = field.get_attribute(instance)
            present = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            data[field.field_name] = None if present is None else field.to_representation(attribute)
        return data


class ModerationMessageSerializer(MessageSerializer):
    """What coordinators see in the queue: the status and why a message was held."""

    class Meta(MessageSerializer.Meta):
        fields = [
            *MessageSerializer.Meta.fields,
            "conversation",
            "status",
            "held_reason",
            "reviewed_at",
            "withdrawn_at",
        ]
        read_only_fields = fields


class MessagePostSerializer(serializers.Serializer):
    client_id = serializers.CharField(min_length=1, max_length=64)
    body = PlainTextField(max_length=4000, trim_whitespace=False)


class SocketPathField(serializers.CharField):
    """Where a conversation's socket is, from its id."""

    def to_representation(self, value) -> str:
        return f"/ws/conversations/{value}/"


class ConversationSerializer(serializers.ModelSerializer):
    volunteer = PersonRefSerializer(source="pairing.volunteer.user", read_only=True)
    mentee = PersonRefSerializer(source="pairing.mentee.user", read_only=True)
    websocket = SocketPathField(source="id", read_only=True)

    class Meta:
        model = Conversation
        fields = ["id", "pairing", "state", "volunteer", "mentee", "websocket", "created_at"]
        read_only_fields = fields


class PauseSerializer(serializers.Serializer):
    paused = serializers.BooleanField()


class ReportCreateSerializer(serializers.Serializer):
    reason = PlainTextField(max_length=500)


class ReportSerializer(serializers.ModelSerializer):
    message = ModerationMessageSerializer(read_only=True)

    class Meta:
        model = Report
        fields = ["id", "message", "reason", "status", "resolution", "resolved_at", "created_at"]
        read_only_fields = fields


class ReportReceiptSerializer(serializers.ModelSerializer):
    """What a member who reported a message gets back: the receipt, never the message itself."""

    class Meta:
        model = Report
        fields = ["id", "message", "reason", "status", "created_at"]
        read_only_fields = fields


class ResolveSerializer(serializers.Serializer):
    resolution = PlainTextField(max_length=500)
