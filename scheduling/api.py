from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role, User, known_time_zones
from accounts.permissions import IsCoordinator, IsCoordinatorOfObject, IsMentee, IsVolunteer
from config.lean import LeanReadMixin
from scheduling import selectors
from scheduling.models import LIVE_STATUSES, Pairing
from scheduling.serializers import (
    AvailabilitySerializer,
    CancelSerializer,
    EndSerializer,
    MatchRunCreateSerializer,
    MatchRunSerializer,
    PairingSerializer,
    PinSerializer,
    RejectSerializer,
    SessionSerializer,
    SlotSerializer,
    SuggestedTimeSerializer,
)
from scheduling.services import availability as availability_services
from scheduling.services import match_runs, pairings, sessions, slots

TZ_PARAM = OpenApiParameter(
    "tz", OpenApiTypes.STR, description="IANA time zone to show the windows in (default: the viewer's own)"
)


def _viewer_tz(request) -> str:
    tz = request.query_params.get("tz") or request.user.timezone
    if tz not in known_time_zones():
        raise ValidationError({"tz": [_("Unknown time zone “%(value)s”.") % {"value": tz}]})
    return tz


class AvailabilityView(APIView):
    """My weekly availability: read it (in my time zone, or `?tz=`), or replace it whole (PUT)."""

    @extend_schema(parameters=[TZ_PARAM], responses=AvailabilitySerializer, tags=["availability"])
    def get(self, request):
        tz = _viewer_tz(request)
        windows = selectors.availability_as_seen_by(person=request.user, viewer_tz=tz)
        return Response(AvailabilitySerializer({"timezone": tz, "windows": windows}).data)

    @extend_schema(request=AvailabilitySerializer, responses=AvailabilitySerializer, tags=["availability"])
    def put(self, request):
        serializer = AvailabilitySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        availability_services.availability_replace(user=request.user, windows=serializer.validated_data["windows"])
        windows = selectors.windows_of(request.user)
        return Response(AvailabilitySerializer({"timezone": request.user.timezone, "windows": windows}).data)


class PersonAvailabilityView(APIView):
    """Someone's weekly availability in my time zone: my own, my pairing partner's, or (coordinators) anyone's
    in my organisation."""

    @extend_schema(
        parameters=[TZ_PARAM],
        responses=AvailabilitySerializer,
        tags=["availability"],
        operation_id="person_availability_retrieve",
    )
    def get(self, request, user_id: int):
        if user_id > 2**63 - 1:  # the URL takes any digits; the database does not
            raise Http404
        person = get_object_or_404(User.objects.filter(pk__in=selectors.people_visible_to(request.user)), pk=user_id)
        tz = _viewer_tz(request)
        windows = selectors.availability_as_seen_by(person=person, viewer_tz=tz)
        return Response(AvailabilitySerializer({"timezone": tz, "windows": windows}).data)


class SlotViewSet(LeanReadMixin, viewsets.ModelViewSet):
    """Mentoring slots of my organisation. Coordinators publish group slots; volunteers publish their own
    one-to-one slots; volunteers sign up, mentees book places."""

    serializer_class = SlotSerializer

    def get_queryset(self):
        filters = self.request.query_params if self.action == "list" else None
        return selectors.slot_list(user=self.request.user, filters=filters)

    def get_permissions(self):
        if self.action == "create":
            return [_IsCoordinatorOrVolunteer()]
        if self.action in ("update", "partial_update", "destroy"):
            return [permissions.IsAuthenticated(), _ManagesSlot()]
        if self.action == "signup":
            return [IsVolunteer()]
        if self.action == "booking":
            return [IsMentee()]
        return super().get_permissions()

    def perform_create(self, serializer):
        user = self.request.user
        host = user.volunteer if user.role == Role.VOLUNTEER else None
        data = dict(serializer.validated_data)
        if host is not None:
            data["volunteers_needed"] = 0  # the host is the volunteer
        serializer.instance = slots.slot_create(organisation=user.organisation, created_by=user, host=host, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if serializer.instance.host_id is not None:
            data.pop("volunteers_needed", None)  # a one-to-one slot's volunteer is its host
        serializer.instance = slots.slot_update(slot=serializer.instance, **data)

    def update(self, request, *args, **kwargs):
        super().update(request, *args, **kwargs)
        return Response(self.get_serializer(self.get_queryset().get(pk=kwargs["pk"])).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        slot = selectors.slot_list(user=request.user).get(pk=serializer.instance.pk)
        return Response(self.get_serializer(slot).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: SlotSerializer, 204: None})
    @action(detail=True, methods=["post", "delete"])
    def signup(self, request, pk=None):
        """Sign up for the slot (POST) or withdraw (DELETE)."""
        slot = self.get_object()
        if request.method == "DELETE":
            slots.slot_signup_delete(slot=slot, volunteer=request.user.volunteer)
            return Response(status=status.HTTP_204_NO_CONTENT)
        slots.slot_signup_create(slot_id=slot.pk, volunteer=request.user.volunteer)
        return Response(self.get_serializer(self.get_queryset().get(pk=slot.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: SlotSerializer, 204: None})
    @action(detail=True, methods=["post", "delete"])
    def booking(self, request, pk=None):
        """Book a place in the slot (POST) or give it back (DELETE)."""
        slot = self.get_object()
        if request.method == "DELETE":
            slots.slot_booking_delete(slot=slot, mentee=request.user.mentee)
            return Response(status=status.HTTP_204_NO_CONTENT)
        slots.slot_booking_create(slot_id=slot.pk, mentee=request.user.mentee)
        return Response(self.get_serializer(self.get_queryset().get(pk=slot.pk)).data, status=status.HTTP_201_CREATED)


class _IsCoordinatorOrVolunteer(permissions.BasePermission):
    message = _l("Only coordinators and volunteers publish slots.")

    def has_permission(self, request, view) -> bool:
        return request.user.is_authenticated and request.user.role in (Role.COORDINATOR, Role.VOLUNTEER)


class _ManagesSlot(permissions.BasePermission):
    """A coordinator manages their organisation's slots; a volunteer manages the slots they host."""

    message = _l("Only the organisation's coordinators or the hosting volunteer may change this slot.")

    def has_object_permission(self, request, view, obj) -> bool:
        user = request.user
        if user.role == Role.COORDINATOR:
            return obj.organisation_id == user.organisation_id
        return obj.host_id is not None and obj.host.user_id == user.pk


class MatchRunViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Match runs of my organisation (coordinators): start one, follow its progress, read its outcome."""

    permission_classes = [IsCoordinator]
    serializer_class = MatchRunSerializer

    def get_queryset(self):
        return selectors.match_run_list(user=self.request.user)

    @extend_schema(request=MatchRunCreateSerializer, responses={202: MatchRunSerializer})
    def create(self, request, *args, **kwargs):
        serializer = MatchRunCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = match_runs.match_run_start(
            organisation=request.user.organisation, started_by=request.user, **serializer.validated_data
        )
        return Response(MatchRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class PairingViewSet(LeanReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Pairings: coordinators see their organisation's and decide proposals; the two people see their own
    once approved."""

    serializer_class = PairingSerializer

    def get_queryset(self):
        filters = self.request.query_params if self.action == "list" else None
        return selectors.pairing_list(user=self.request.user, filters=filters)

    def get_permissions(self):
        if self.action in ("approve", "reject", "pin"):
            return [IsCoordinator(), IsCoordinatorOfObject()]
        return super().get_permissions()

    def _answer(self, pairing: Pairing) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=pairing.pk)).data)

    @extend_schema(request=None, responses=PairingSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a proposal: re-checks capacity and safeguarding, then notifies both people."""
        pairing = self.get_object()
        pairing = pairings.pairing_approve(pairing_id=pairing.pk, by=request.user)
        return self._answer(pairing)

    @extend_schema(request=RejectSerializer, responses=PairingSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject a proposal with a reason; later runs never propose this pair again."""
        pairing = self.get_object()
        serializer = RejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pairing = pairings.pairing_reject(pairing_id=pairing.pk, by=request.user, **serializer.validated_data)
        return self._answer(pairing)

    @extend_schema(request=PinSerializer, responses=PairingSerializer)
    @action(detail=True, methods=["post"])
    def pin(self, request, pk=None):
        """Pin (or unpin) a proposal: later runs keep it."""
        pairing = self.get_object()
        serializer = PinSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pairing = pairings.pairing_pin(pairing_id=pairing.pk, pinned=serializer.validated_data["pinned"])
        return self._answer(pairing)

    @extend_schema(request=EndSerializer, responses=PairingSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End a current pairing (completed or cancelled, and why): a coordinator or either person."""
        pairing = self.get_object()
        serializer = EndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pairing = pairings.pairing_end(pairing_id=pairing.pk, by=request.user, **serializer.validated_data)
        return self._answer(pairing)

    @extend_schema(responses=SuggestedTimeSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="suggested-times")
    def suggested_times(self, request, pk=None):
        """The next times both people are available (at least an hour), from their weekly availability."""
        pairing = self.get_object()
        if not request.user.is_coordinator and pairing.status not in LIVE_STATUSES:
            # A suspended or ended pairing no longer grants the partner's availability.
            raise PermissionDenied(_("Suggested times are shown only while the pairing is current."))
        times = selectors.suggested_times(pairing=pairing)
        return Response(SuggestedTimeSerializer([{"start": s, "end": e} for s, e in times], many=True).data)


class SessionViewSet(
    LeanReadMixin, mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Mentoring sessions: the pair books them and marks them held or missed; coordinators read them."""

    serializer_class = SessionSerializer

    def get_queryset(self):
        return selectors.session_list(user=self.request.user)

    def get_permissions(self):
        if self.action in ("create", "held", "missed", "cancel"):
            return [_IsPairMember()]
        return super().get_permissions()

    def perform_create(self, serializer):
        pairing = serializer.validated_data["pairing"]
        if not pairing.is_member(self.request.user):
            raise PermissionDenied(_("Only the two people of a pairing book its sessions."))
        serializer.instance = sessions.session_book(
            pairing=pairing,
            by=self.request.user,
            start=serializer.validated_data["start"],
            end=serializer.validated_data["end"],
            slot=serializer.validated_data.get("slot"),
        )

    def _mark(self, request, held: bool):
        session = sessions.session_mark(session=self.get_object(), by=request.user, held=held)
        return Response(self.get_serializer(session).data)

    @extend_schema(request=None, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def held(self, request, pk=None):
        """Mark the session as held."""
        return self._mark(request, held=True)

    @extend_schema(request=None, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def missed(self, request, pk=None):
        """Mark the session as missed."""
        return self._mark(request, held=False)

    @extend_schema(request=CancelSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a booked session, saying why."""
        serializer = CancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = sessions.session_cancel(
            session=self.get_object(), by=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(self.get_serializer(session).data)


class _IsPairMember(permissions.BasePermission):
    message = _l("Only the two people of the pairing may do this.")

    def has_permission(self, request, view) -> bool:
        return request.user.is_authenticated and request.user.role in (Role.VOLUNTEER, Role.MENTEE)

    def has_object_permission(self, request, view, obj) -> bool:
        return obj.pairing.is_member(request.user)
