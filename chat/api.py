from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.models import Role
from accounts.permissions import IsCoordinator
from chat import selectors, services
from chat.models import Message, MessageStatus
from chat.serializers import (
    ConversationSerializer,
    MessagePostSerializer,
    MessageSerializer,
    ModerationMessageSerializer,
    PauseSerializer,
    ReportCreateSerializer,
    ReportReceiptSerializer,
    ReportSerializer,
    ResolveSerializer,
)
from config.lean import LeanReadMixin
from config.pagination import IdCursorPagination


class HistoryPagination(IdCursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ConversationViewSet(LeanReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Conversations: members see their own, coordinators all of their organisation's (and each look is
    recorded)."""

    serializer_class = ConversationSerializer

    def get_queryset(self):
        return selectors.conversation_list(user=self.request.user)

    def get_permissions(self):
        if self.action == "pause":
            return [IsCoordinator()]
        return super().get_permissions()

    def retrieve(self, request, *args, **kwargs):
        conversation = self.get_object()
        services.access_record(conversation=conversation, user=request.user, via="api")
        return Response(self.get_serializer(conversation).data)

    @extend_schema(methods=["GET"], responses=MessageSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=MessagePostSerializer,
        responses={201: MessageSerializer, 202: ModerationMessageSerializer},
    )
    @action(
        detail=True, methods=["get", "post"], pagination_class=HistoryPagination, serializer_class=MessageSerializer
    )
    def messages(self, request, pk=None):
        """History, newest first with a cursor (GET); or post a message without a socket (POST)."""
        conversation = self.get_object()
        if request.method == "GET":
            services.access_record(conversation=conversation, user=request.user, via="api")
            page = self.paginate_queryset(selectors.visible_messages(conversation))
            return self.get_paginated_response(MessageSerializer(page, many=True).data)
        if request.user.role != Role.COORDINATOR and not services.may_connect(request.user, conversation):
            raise PermissionDenied()
        serializer = MessagePostSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        posted = services.message_post(conversation=conversation, sender=request.user, **serializer.validated_data)
        message = posted.message
        if message.status == MessageStatus.HELD:
            return Response(ModerationMessageSerializer(message).data, status=status.HTTP_202_ACCEPTED)
        return Response(
            MessageSerializer(message).data, status=status.HTTP_201_CREATED if posted.created else status.HTTP_200_OK
        )

    @extend_schema(request=PauseSerializer, responses=ConversationSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        """Pause the conversation (members can read but not write) or open it again."""
        serializer = PauseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        conversation = services.conversation_pause(
            conversation=self.get_object(), by=request.user, paused=serializer.validated_data["paused"]
        )
        return Response(self.get_serializer(conversation).data)


class MessageViewSet(viewsets.GenericViewSet):
    """Actions on single messages: withdraw (the sender), report (members), release or reject (coordinators)."""

    serializer_class = ModerationMessageSerializer
    queryset = Message.objects.none()

    def get_message(self, pk) -> Message:
        # What the caller may not see answers as a message that does not exist: nothing tells a member
        # that a held message is there.
        return get_object_or_404(selectors.messages_visible_to(user=self.request.user), pk=pk)

    def get_permissions(self):
        if self.action in ("release", "reject", "held"):
            return [IsCoordinator()]
        return super().get_permissions()

    @extend_schema(request=None, responses=ModerationMessageSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw your own message: it disappears for the others; coordinators keep it as evidence."""
        message = services.message_withdraw(message=self.get_message(pk), by=request.user)
        return Response(ModerationMessageSerializer(message).data)

    @extend_schema(request=ReportCreateSerializer, responses={201: ReportReceiptSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        """Report a message to the coordinators."""
        message = self.get_message(pk)
        serializer = ReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.message_report(message=message, reporter=request.user, **serializer.validated_data)
        # The reporter gets the receipt; only coordinators get the message with it.
        answer = ReportSerializer if request.user.role == Role.COORDINATOR else ReportReceiptSerializer
        return Response(answer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ModerationMessageSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        """Deliver a held message to the conversation."""
        message = services.message_review(message=self.get_message(pk), by=request.user, release=True)
        return Response(ModerationMessageSerializer(message).data)

    @extend_schema(request=None, responses=ModerationMessageSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Keep a held message from the conversation for good."""
        message = services.message_review(message=self.get_message(pk), by=request.user, release=False)
        return Response(ModerationMessageSerializer(message).data)

    @extend_schema(responses=ModerationMessageSerializer(many=True))
    @action(detail=False, methods=["get"])
    def held(self, request):
        """The coordinators' queue of held messages."""
        page = self.paginate_queryset(selectors.held_messages(user=request.user))
        return self.get_paginated_response(ModerationMessageSerializer(page, many=True).data)


class ReportViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The coordinators' queue of reported messages."""

    permission_classes = [IsCoordinator]
    serializer_class = ReportSerializer

    def get_queryset(self):
        return selectors.report_list(user=self.request.user)

    @extend_schema(request=ResolveSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        report = get_object_or_404(self.get_queryset(), pk=pk)
        serializer = ResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_resolve(report=report, by=request.user, **serializer.validated_data)
        return Response(ReportSerializer(report).data)
