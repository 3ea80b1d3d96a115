"""Authentication, the person's own account, personal data, and the shared vocabulary."""

from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.middleware.csrf import get_token
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import personal_data, services
from accounts.backends import login_refusal
from accounts.models import Language, Organisation, Skill
from accounts.serializers import (
    CsrfSerializer,
    EraseSerializer,
    LanguageSerializer,
    LoginSerializer,
    MeSerializer,
    MeUpdateSerializer,
    OrganisationSerializer,
    PasswordChangeSerializer,
    SkillSerializer,
    TokenSerializer,
)

_TOO_MANY = OpenApiResponse(
    description="Too many failed attempts for this account from this address, or from this "
    "address; see the Retry-After header."
)
_NO_CONTENT = OpenApiResponse(description="Done.")


def _credentials_check(request) -> tuple[object | None, Response | None]:
    """Authenticate e-mail + password; the backend applies the failed log-in limits (accounts.login_limits).

    Unknown and known e-mail addresses get the same answer (Django's backend also spends the same
    time hashing for both).
    """
    serializer = LoginSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    email, password = serializer.validated_data["email"], serializer.validated_data["password"]
    user = authenticate(request._request, email=email.lower(), password=password)
    refusal = login_refusal(request._request)
    if refusal is not None:
        detail = _("Too many failed attempts. Try again in a few minutes.")
        response = Response({"detail": detail}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        response["Retry-After"] = str(refusal.retry_after)
        return None, response
    if user is None:
        errors = {"non_field_errors": [_("E-mail address or password is wrong.")]}
        return None, Response(errors, status=status.HTTP_400_BAD_REQUEST)
    return user, None


def _csrf_check(request) -> None:
    """A session log-in needs the CSRF token like every other session write: otherwise a page elsewhere
    could log a browser into the attacker's account. (DRF checks CSRF only for logged-in sessions.)"""
    SessionAuthentication().enforce_csrf(request)


class CsrfView(APIView):
    """Sets the CSRF cookie (and returns the token) for a page client before it logs in with a session."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: CsrfSerializer}, tags=["auth"])
    @method_decorator(ensure_csrf_cookie)
    def get(self, request):
        return Response({"csrf_token": get_token(request._request)})


class LoginView(APIView):
    """Log in with e-mail and password; starts a new session (a fresh session key)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=LoginSerializer,
        responses={
            200: MeSerializer,
            400: OpenApiResponse(description="Wrong credentials."),
            403: OpenApiResponse(description="No CSRF token (get one from GET /api/auth/csrf/)."),
            429: _TOO_MANY,
        },
        tags=["auth"],
    )
    def post(self, request):
        _csrf_check(request)
        user, refusal = _credentials_check(request)
        if refusal is not None:
            return refusal
        login(request._request, user)  # cycles the session key
        return Response(MeSerializer(user).data)


class LogoutView(APIView):
    """Log out here and everywhere: every session and API token of the user ends."""

    @extend_schema(request=None, responses={204: _NO_CONTENT}, tags=["auth"])
    def post(self, request):
        services.sessions_end_all(user=request.user)
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenView(APIView):
    """Obtain an API token for non-browser clients (POST), or revoke it (DELETE)."""

    def get_permissions(self):
        if self.request.method == "POST":
            return [permissions.AllowAny()]
        return super().get_permissions()

    @extend_schema(
        request=LoginSerializer,
        responses={200: TokenSerializer, 400: OpenApiResponse(description="Wrong credentials."), 429: _TOO_MANY},
        tags=["auth"],
    )
    def post(self, request):
        user, refusal = _credentials_check(request)
        if refusal is not None:
            return refusal
        return Response({"token": services.token_issue(user=user).key})

    @extend_schema(request=None, responses={204: _NO_CONTENT}, tags=["auth"])
    def delete(self, request):
        services.token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeView(APIView):
    """Change the password; every other session and all API tokens end, this session stays."""

    @extend_schema(request=PasswordChangeSerializer, responses={204: _NO_CONTENT}, tags=["auth"])
    def post(self, request):
        serializer = PasswordChangeSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        services.password_change(user=request.user, new_password=serializer.validated_data["new_password"])
        update_session_auth_hash(request._request, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """Who am I: the account, its role and organisation; PATCH sets the language of pages and e-mails."""

    @extend_schema(responses=MeSerializer, tags=["auth"])
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeUpdateSerializer, responses=MeSerializer, tags=["auth"])
    def patch(self, request):
        serializer = MeUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.user_update(user=request.user, **serializer.validated_data)
        return Response(MeSerializer(request.user).data)


class ExportView(APIView):
    """Everything held about me, as one JSON document."""

    @extend_schema(
        responses={200: OpenApiResponse(description="All personal data held about the caller.")}, tags=["personal data"]
    )
    def get(self, request):
        response = Response(personal_data.export_user_data(request.user))
        response["Content-Disposition"] = 'attachment; filename="my-data.json"'
        return response


class EraseView(APIView):
    """Erase my account: personal data is removed or anonymised; this cannot be undone."""

    @extend_schema(request=EraseSerializer, responses={204: _NO_CONTENT}, tags=["personal data"])
    def post(self, request):
        serializer = EraseSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = request.user
        logout(request._request)
        personal_data.erase_user(user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LanguageViewSet(viewsets.ReadOnlyModelViewSet):
    """Languages of the shared vocabulary (ISO 639 codes, each named in itself). Public."""

    permission_classes = [permissions.AllowAny]
    queryset = Language.objects.all()
    serializer_class = LanguageSerializer
    pagination_class = None
    lookup_field = "code"


class SkillViewSet(viewsets.ReadOnlyModelViewSet):
    """Skills and help areas of the shared vocabulary, with translated labels. Public."""

    permission_classes = [permissions.AllowAny]
    queryset = Skill.objects.all()
    serializer_class = SkillSerializer
    pagination_class = None
    lookup_field = "slug"


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Partner organisations, to choose one at sign-up. Public."""

    permission_classes = [permissions.AllowAny]
    queryset = Organisation.objects.all()
    serializer_class = OrganisationSerializer
    pagination_class = None
