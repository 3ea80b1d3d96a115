from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsCoordinator, IsCoordinatorOfObject, IsMentee, IsOwner
from accounts.serializers import SignupAcceptedSerializer, signup_accepted_answer
from accounts.signup import signup_or_notify
from accounts.throttles import SignupThrottle
from config.lean import LeanReadMixin
from mentees import selectors, services
from mentees.models import HelpRequestStatus
from mentees.serializers import (
    ConsentSerializer,
    HelpRequestSerializer,
    MenteeCoordinatorSerializer,
    MenteeSerializer,
    MenteeSignupSerializer,
)


class MenteeSignupView(APIView):
    """Sign up as a mentee with minimal data, then log in. Under 18 the profile stays inactive until a
    coordinator records a guardian's consent. The answer is the same whether or not the address already has
    an account (its owner gets an e-mail instead; nothing is created)."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [SignupThrottle]

    @extend_schema(request=MenteeSignupSerializer, responses={202: SignupAcceptedSerializer}, tags=["mentees"])
    def post(self, request):
        serializer = MenteeSignupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        signup_or_notify(email=data["email"], password=data["password"], create=lambda: services.mentee_signup(**data))
        return Response(signup_accepted_answer(), status=status.HTTP_202_ACCEPTED)


class MenteeViewSet(
    LeanReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Mentee profiles: a mentee sees and edits only their own; coordinators see their organisation's."""

    def get_serializer_class(self):
        if self.request.user.is_authenticated and self.request.user.is_coordinator:
            return MenteeCoordinatorSerializer
        return MenteeSerializer

    def get_queryset(self):
        filters = self.request.query_params if self.action == "list" else None
        return selectors.mentee_list(user=self.request.user, filters=filters)

    def get_permissions(self):
        if self.action in ("update", "partial_update"):
            return [permissions.IsAuthenticated(), IsOwner()]
        if self.action == "consent":
            return [IsCoordinator(), IsCoordinatorOfObject()]
        if self.action == "me":
            return [IsMentee()]
        return super().get_permissions()

    def perform_update(self, serializer):
        serializer.instance = services.mentee_update(mentee=serializer.instance, **serializer.validated_data)

    @extend_schema(methods=["GET"], responses=MenteeSerializer)
    @extend_schema(methods=["PATCH"], request=MenteeSerializer, responses=MenteeSerializer)
    @action(detail=False, methods=["get", "patch"])
    def me(self, request):
        """The caller's own mentee profile."""
        mentee = self.get_queryset().filter(user=request.user).first()
        if mentee is None:
            raise NotFound()
        if request.method == "GET":
            return Response(MenteeSerializer(mentee).data)
        serializer = MenteeSerializer(mentee, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return Response(MenteeSerializer(serializer.instance).data)

    @extend_schema(methods=["POST"], request=ConsentSerializer, responses=MenteeCoordinatorSerializer)
    @extend_schema(methods=["DELETE"], request=None, responses=MenteeCoordinatorSerializer)
    @action(detail=True, methods=["post", "delete"])
    def consent(self, request, pk=None):
        """Record a guardian's consent for a minor (POST), or its withdrawal (DELETE)."""
        mentee = self.get_object()
        if request.method == "DELETE":
            mentee = services.consent_withdraw(mentee=mentee, by=request.user)
            return Response(MenteeCoordinatorSerializer(mentee).data)
        serializer = ConsentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        mentee = services.consent_record(mentee=mentee, recorded_by=request.user, **serializer.validated_data)
        return Response(MenteeCoordinatorSerializer(mentee).data)


class HelpRequestViewSet(
    LeanReadMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Help requests: a mentee files and sees their own; coordinators see their organisation's."""

    serializer_class = HelpRequestSerializer

    def get_queryset(self):
        filters = self.request.query_params if self.action == "list" else None
        return selectors.help_request_list(user=self.request.user, filters=filters)

    def get_permissions(self):
        if self.action == "create":
            return [IsMentee()]
        if self.action in ("update", "partial_update", "close"):
            return [IsMentee(), _OwnsHelpRequest()]
        return super().get_permissions()

    def perform_create(self, serializer):
        serializer.instance = services.help_request_create(mentee=self.request.user.mentee, **serializer.validated_data)

    def perform_update(self, serializer):
        if serializer.instance.status != HelpRequestStatus.OPEN:
            raise ValidationError({"status": [_("Only an open request can be changed.")]})
        serializer.instance = services.help_request_update(
            help_request=serializer.instance, **serializer.validated_data
        )

    @extend_schema(request=None, responses=HelpRequestSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the request: no more help is needed."""
        help_request = services.help_request_close(help_request=self.get_object())
        return Response(self.get_serializer(help_request).data)


class _OwnsHelpRequest(permissions.BasePermission):
    message = _l("Only the mentee who filed it may change it.")

    def has_object_permission(self, request, view, obj) -> bool:
        return obj.mentee.user_id == request.user.id
