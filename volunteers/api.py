from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsCoordinator, IsCoordinatorOfObject, IsMentee, IsOwner, IsVolunteer
from accounts.serializers import SignupAcceptedSerializer, signup_accepted_answer
from accounts.signup import signup_or_notify
from accounts.throttles import SignupThrottle
from config.lean import LeanReadMixin
from volunteers import selectors, services
from volunteers.serializers import (
    BecomeVolunteerSerializer,
    VettingSerializer,
    VolunteerSerializer,
    VolunteerSignupSerializer,
)


class VolunteerSignupView(APIView):
    """Sign up as a volunteer (e-mail + password), then log in. The answer is the same whether or not the
    address already has an account (its owner gets an e-mail instead; nothing is created)."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [SignupThrottle]

    @extend_schema(request=VolunteerSignupSerializer, responses={202: SignupAcceptedSerializer}, tags=["volunteers"])
    def post(self, request):
        serializer = VolunteerSignupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        signup_or_notify(
            email=data["email"], password=data["password"], create=lambda: services.volunteer_signup(**data)
        )
        return Response(signup_accepted_answer(), status=status.HTTP_202_ACCEPTED)


class BecomeVolunteerView(APIView):
    """A mentee whose mentoring is over becomes a volunteer, keeping their account (and their story): they
    then mentor others, and are credited as a peer mentor."""

    permission_classes = [IsMentee]

    @extend_schema(request=BecomeVolunteerSerializer, responses={201: VolunteerSerializer}, tags=["volunteers"])
    def post(self, request):
        serializer = BecomeVolunteerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        volunteer = services.volunteer_from_mentee(user=request.user, **serializer.validated_data)
        return Response(VolunteerSerializer(volunteer).data, status=status.HTTP_201_CREATED)


class VolunteerViewSet(
    LeanReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Volunteer profiles: a volunteer sees and edits only their own; coordinators see their organisation's."""

    serializer_class = VolunteerSerializer

    def get_queryset(self):
        filters = self.request.query_params if self.action == "list" else None
        return selectors.volunteer_list(user=self.request.user, filters=filters)

    def get_permissions(self):
        if self.action in ("update", "partial_update"):
            return [permissions.IsAuthenticated(), IsOwner()]
        if self.action == "vetting":
            return [IsCoordinator(), IsCoordinatorOfObject()]
        if self.action == "me":
            return [IsVolunteer()]
        return super().get_permissions()

    def perform_update(self, serializer):
        serializer.instance = services.volunteer_update(volunteer=serializer.instance, **serializer.validated_data)

    @extend_schema(methods=["GET"], responses=VolunteerSerializer)
    @extend_schema(methods=["PATCH"], request=VolunteerSerializer, responses=VolunteerSerializer)
    @action(detail=False, methods=["get", "patch"])
    def me(self, request):
        """The caller's own volunteer profile."""
        volunteer = self.get_queryset().filter(user=request.user).first()
        if volunteer is None:
            raise NotFound()
        if request.method == "GET":
            return Response(self.get_serializer(volunteer).data)
        serializer = self.get_serializer(volunteer, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return Response(self.get_serializer(serializer.instance).data)

    @extend_schema(request=VettingSerializer, responses=VolunteerSerializer)
    @action(detail=True, methods=["post"])
    def vetting(self, request, pk=None):
        """Record the background check (coordinators of the volunteer's organisation)."""
        volunteer = self.get_object()
        serializer = VettingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        volunteer = services.vetting_record(volunteer=volunteer, recorded_by=request.user, **serializer.validated_data)
        return Response(VolunteerSerializer(volunteer).data)
