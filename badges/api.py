"""The badges API: badge classes, awards (the wallet), downloads, sharing, revocation, nominations, and the
public documents anyone may read (shared badges, issuer profile, did:web, JWKS, status list, verifier)."""

import json

from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from accounts.models import Organisation, Role
from accounts.permissions import IsCoordinator, IsCoordinatorOfObject
from badges import issuing, selectors, services, svg
from badges.models import Award, BadgeClass
from badges.serializers import (
    ApproveSerializer,
    AwardSerializer,
    BadgeClassSerializer,
    NominationRejectSerializer,
    NominationSerializer,
    RevokeSerializer,
    SharedBadgeSerializer,
    ShareSerializer,
    VerificationSerializer,
    VerifySerializer,
)
from config.parsers import MAX_DEPTH, JsonTooDeep, LimitedJSONParser, depth_check, loads_limited
from config.throttling import ClientAddressMixin

MAX_CREDENTIAL_BYTES = 256 * 1024


class BadgesPublicThrottle(ClientAddressMixin, SimpleRateThrottle):
    """The public badge documents and the verifier, per client address."""

    scope = "badges"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class _Public:
    """Anyone, no session (so no CSRF either: nothing public changes anything), throttled."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [BadgesPublicThrottle]


class BadgeClassViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Badge classes of my organisation. Anyone in it reads them; its coordinators create, edit and retire
    them (retired badges are awarded no more; their awards stay valid)."""

    serializer_class = BadgeClassSerializer

    def get_queryset(self):
        filters = self.request.query_params if self.action == "list" else None
        return selectors.badge_class_list(user=self.request.user, filters=filters)

    def get_permissions(self):
        if self.action in ("create", "update", "partial_update", "retire"):
            return [IsCoordinator(), IsCoordinatorOfObject()]
        return super().get_permissions()

    def perform_create(self, serializer):
        serializer.instance = services.badge_class_create(
            organisation=self.request.user.organisation, by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.badge_class_update(badge_class=serializer.instance, **serializer.validated_data)

    @extend_schema(request=None, responses=BadgeClassSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        """Retire the badge: no new awards (milestones included); awards already made stay valid."""
        badge_class = services.badge_class_retire(badge_class=self.get_object(), by=request.user)
        return Response(self.get_serializer(badge_class).data)


class AwardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Awards: the holder's own (the wallet, revoked ones shown as revoked) or, for coordinators, their
    organisation's. Anyone else gets 404."""

    serializer_class = AwardSerializer

    def get_queryset(self):
        filters = self.request.query_params if self.action == "list" else None
        return selectors.award_list(user=self.request.user, filters=filters)

    def get_permissions(self):
        if self.action == "revoke":
            return [IsCoordinator(), IsCoordinatorOfObject()]
        if self.action == "share":
            return [permissions.IsAuthenticated(), _IsHolder()]
        return super().get_permissions()

    def _answer(self, award: Award) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=award.pk)).data)

    @extend_schema(methods=["POST"], request=ShareSerializer, responses=AwardSerializer)
    @extend_schema(methods=["DELETE"], request=None, responses=AwardSerializer)
    @action(detail=True, methods=["post", "delete"])
    def share(self, request, pk=None):
        """Publish the award on a public page under a name I choose (POST), or stop (DELETE): the page
        then answers 404 and a later share gets a new address."""
        award = self.get_object()
        if request.method == "DELETE":
            return self._answer(services.award_unshare(award=award, by=request.user))
        serializer = ShareSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        award = services.award_share(award=award, by=request.user, **serializer.validated_data)
        return self._answer(award)

    @extend_schema(request=RevokeSerializer, responses=AwardSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Revoke the award, saying why: published in the organisation's status list at once."""
        award = self.get_object()
        serializer = RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        award = services.award_revoke(award_id=award.pk, by=request.user, **serializer.validated_data)
        return self._answer(award)


class _IsHolder(permissions.BasePermission):
    message = _l("Only the holder may do this.")

    def has_object_permission(self, request, view, obj) -> bool:
        return obj.recipient_id == request.user.pk


def _download(request, award_id: int) -> Award:
    if award_id > 2**63 - 1:
        raise Http404
    try:
        return selectors.award_for_download(user=request.user, award_id=award_id)
    except Award.DoesNotExist:
        raise Http404 from None


def _attachment(body: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class CredentialJwtView(APIView):
    """The award as an Open Badges 3.0 VC-JWT (compact JWS, EdDSA): holder and the organisation's
    coordinators."""

    @extend_schema(responses={(200, "application/vc+jwt"): OpenApiTypes.STR}, tags=["awards"])
    def get(self, request, award_id: int):
        award = _download(request, award_id)
        return _attachment(issuing.credential_jwt(award), "application/vc+jwt", f"badge-{award.pk}.jwt")


class CredentialJsonView(APIView):
    """The award as an Open Badges 3.0 JSON credential with a Data Integrity proof (eddsa-rdfc-2022)."""

    @extend_schema(responses={(200, "application/vc+ld+json"): OpenApiTypes.OBJECT}, tags=["awards"])
    def get(self, request, award_id: int):
        award = _download(request, award_id)
        body = json.dumps(issuing.credential_json(award), ensure_ascii=False, indent=2)
        return _attachment(body, "application/vc+ld+json", f"badge-{award.pk}.json")


class BadgeSvgView(APIView):
    """The badge image with the credential baked in (Open Badges 3.0 baking)."""

    @extend_schema(responses={(200, "image/svg+xml"): OpenApiTypes.STR}, tags=["awards"])
    def get(self, request, award_id: int):
        award = _download(request, award_id)
        return _attachment(issuing.baked_svg(award), "image/svg+xml", f"badge-{award.pk}.svg")


class NominationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Nominations of mentees as agents of change. A volunteer nominates a mentee they mentor; a coordinator
    any mentee of their organisation, and approves (the badge is awarded) or rejects with a reason."""

    serializer_class = NominationSerializer

    def get_queryset(self):
        filters = self.request.query_params if self.action == "list" else None
        return selectors.nomination_list(user=self.request.user, filters=filters)

    def get_permissions(self):
        if self.action == "create":
            return [_IsCoordinatorOrVolunteer()]
        if self.action in ("approve", "reject"):
            return [IsCoordinator(), IsCoordinatorOfObject()]
        return super().get_permissions()

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.nomination_create(
            mentee=data["mentee"],
            by=self.request.user,
            category=data["category"],
            evidence_text=data["evidence_text"],
            evidence_url=data.get("evidence_url", ""),
        )

    def _answer(self, nomination) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=nomination.pk)).data)

    @extend_schema(request=ApproveSerializer, responses=NominationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve: the mentee is awarded the organisation's badge for this kind of contribution."""
        nomination = self.get_object()
        serializer = ApproveSerializer(data=request.data, organisation_id=nomination.organisation_id)
        serializer.is_valid(raise_exception=True)
        nomination = services.nomination_approve(
            nomination_id=nomination.pk, by=request.user, badge_class=serializer.validated_data.get("badge_class")
        )
        return self._answer(nomination)

    @extend_schema(request=NominationRejectSerializer, responses=NominationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject the nomination, saying why."""
        nomination = self.get_object()
        serializer = NominationRejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        nomination = services.nomination_reject(
            nomination_id=nomination.pk, by=request.user, **serializer.validated_data
        )
        return self._answer(nomination)


class _IsCoordinatorOrVolunteer(permissions.BasePermission):
    message = _l("Only volunteers and coordinators nominate.")

    def has_permission(self, request, view) -> bool:
        return request.user.is_authenticated and request.user.role in (Role.COORDINATOR, Role.VOLUNTEER)


# --- public ----------------------------------------------------------------------------------------------


class SharedBadgeView(_Public, APIView):
    """A badge its holder shared: the badge, its issuer and the name the holder chose; nothing else.
    404 when not shared (or no longer, or revoked)."""

    @extend_schema(responses=SharedBadgeSerializer, tags=["badges (public)"])
    def get(self, request, slug: str):
        try:
            award = selectors.shared_award(slug=slug)
        except Award.DoesNotExist:
            raise Http404 from None
        return Response(SharedBadgeSerializer(selectors.shared_award_public(award)).data)


class VerifyView(_Public, APIView):
    """Verify a credential: a VC-JWT, a JSON credential or a baked SVG, as JSON (`credential`) or uploaded
    (`file`). Answers whether it is valid or exactly why not; what is not a credential at all (empty,
    too large, binary, wrong type) is a 400."""

    parser_classes = [LimitedJSONParser, MultiPartParser, FormParser]

    @extend_schema(
        request={"application/json": VerifySerializer, "multipart/form-data": VerifySerializer},
        responses={200: VerificationSerializer, 400: OpenApiResponse(description="Not a credential at all")},
        tags=["badges (public)"],
    )
    def post(self, request):
        data = _credential_input(request)
        result = issuing.verify(data)
        return Response(
            VerificationSerializer(
                {
                    "valid": result.valid,
                    "reason": getattr(result.reason, "value", str(result.reason)),
                    "message": str(result.message),
                    "form": result.form,
                    "credential": result.credential,
                }
            ).data
        )


def _credential_input(request) -> str | dict:
    """The credential of the request, as text or an object; ValidationError (400) when there is none."""
    upload = request.FILES.get("file") if hasattr(request, "FILES") else None
    if upload is not None:
        if upload.size > MAX_CREDENTIAL_BYTES:
            raise ValidationError({"file": [_("The file is larger than 256 KB; no credential is that large.")]})
        return _text(upload.read(), "file")
    value = request.data.get("credential") if hasattr(request.data, "get") else None
    if value is None:
        raise ValidationError({"credential": [_("Give the credential (JWT, JSON or SVG) or upload it as `file`.")]})
    if isinstance(value, dict):
        try:
            depth_check(value, MAX_DEPTH)
        except JsonTooDeep as exc:
            raise ValidationError({"credential": [str(exc)]}) from None
        return value
    if not isinstance(value, str):
        raise ValidationError({"credential": [_("A credential is text (JWT, JSON or SVG) or a JSON object.")]})
    if len(value.encode()) > MAX_CREDENTIAL_BYTES:
        raise ValidationError({"credential": [_("The credential is larger than 256 KB; no credential is that large.")]})
    return _text(value.encode(), "credential")


def _text(raw: bytes, field: str) -> str | dict:
    try:
        text = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise ValidationError({field: [_("This is not text: upload a .jwt, .json or .svg credential.")]}) from None
    if not text or "\x00" in text:
        raise ValidationError({field: [_("This is empty or not text: give a JWT, JSON or SVG credential.")]})
    if text.startswith(("{", "[")):
        try:
            value = loads_limited(text)
        except ValueError as exc:
            raise ValidationError({field: [_("This is not valid JSON: %(error)s") % {"error": exc}]}) from None
        if not isinstance(value, dict):
            raise ValidationError({field: [_("A JSON credential is an object.")]})
        return value
    return text


def _organisation(slug: str) -> Organisation:
    try:
        return selectors.organisation_by_slug(slug)
    except Organisation.DoesNotExist:
        raise Http404 from None


class _PublicDocument(_Public, APIView):
    content_type = "application/json"

    def document(self, organisation: Organisation) -> dict:
        raise NotImplementedError

    def get(self, request, slug: str):
        body = self.document(_organisation(slug))
        response = JsonResponse(body, content_type=self.content_type, json_dumps_params={"ensure_ascii": False})
        # Verifiers running in someone else's web page fetch these; they are public and carry no cookie.
        response["Access-Control-Allow-Origin"] = "*"
        return response


@extend_schema(responses={(200, "application/json"): OpenApiTypes.OBJECT}, tags=["badges (public)"])
class IssuerProfileView(_PublicDocument):
    """The organisation as an Open Badges 3.0 issuer Profile (the `issuer.id` of its credentials)."""

    def document(self, organisation):
        return issuing.issuer_profile(organisation)


@extend_schema(responses={(200, "application/did+json"): OpenApiTypes.OBJECT}, tags=["badges (public)"])
class DidDocumentView(_PublicDocument):
    """The issuer's did:web document: its public key(s), which the credentials' proofs name."""

    content_type = "application/did+json"

    def document(self, organisation):
        return issuing.did_document(organisation)


@extend_schema(responses={(200, "application/jwk-set+json"): OpenApiTypes.OBJECT}, tags=["badges (public)"])
class JwksView(_PublicDocument):
    """The issuer's public keys as a JWKS; the `kid` of each is the one in VC-JWT headers."""

    content_type = "application/jwk-set+json"

    def document(self, organisation):
        return issuing.jwks(organisation)


@extend_schema(responses={(200, "application/vc+ld+json"): OpenApiTypes.OBJECT}, tags=["badges (public)"])
class StatusListView(_PublicDocument):
    """The organisation's Bitstring Status List credential: the bit of a revoked award is set."""

    content_type = "application/vc+ld+json"

    def document(self, organisation):
        return issuing.published_status_list(organisation)


class BadgeClassImageView(_Public, APIView):
    """A badge's image (the achievement's `image` in credentials)."""

    @extend_schema(responses={(200, "image/svg+xml"): OpenApiTypes.STR}, tags=["badges (public)"])
    def get(self, request, badge_class_id: int):
        if badge_class_id > 2**63 - 1:
            raise Http404
        try:
            badge_class = selectors.public_badge_class(badge_class_id=badge_class_id)
        except BadgeClass.DoesNotExist:
            raise Http404 from None
        name = badge_class.texts_in(badge_class.language)["name"]
        response = HttpResponse(svg.draw(name=name, colour=badge_class.colour), content_type="image/svg+xml")
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
        return response


class BadgeClassPublicView(_Public, APIView):
    """A badge as the public sees it (the achievement `id` in credentials resolves here)."""

    @extend_schema(responses={(200, "application/json"): OpenApiTypes.OBJECT}, tags=["badges (public)"])
    def get(self, request, badge_class_id: int):
        if badge_class_id > 2**63 - 1:
            raise Http404
        try:
            badge_class = selectors.public_badge_class(badge_class_id=badge_class_id)
        except BadgeClass.DoesNotExist:
            raise Http404 from None
        texts = badge_class.texts_in(badge_class.language)
        base = issuing.base_url()
        return Response(
            {
                "id": f"{base}/badges/classes/{badge_class.pk}/",
                "type": ["Achievement"],
                "name": texts["name"],
                "description": texts["description"],
                "criteria": {"narrative": texts["criteria"]},
                "tag": badge_class.tags,
                "inLanguage": badge_class.language,
                "image": {"id": f"{base}/badges/classes/{badge_class.pk}/image.svg", "type": "Image"},
                "creator": {"id": issuing.issuer_url(badge_class.organisation), "type": ["Profile"]},
            }
        )
