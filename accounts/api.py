"""Authentication, the person's own account, personal data, and the shared vocabulary."""

from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import personal_data, services
from accounts.models import Language, Organisation, Skill
from accounts.serializers import (
    EraseSerializer,
    LanguageSerializer,
    LoginSerializer,
    MeSerializer,
    OrganisationSerializer,
    PasswordChangeSerializer,
    SkillSerializer,
    TokenSerializer,
)

_TOO_MANY = OpenApiResponse(description="Too many failed attempts for this account or from this address.")
_NO_CONTENT = OpenApiResponse(description="Done.")


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _credentials_check(request) -> tuple[object | None, Response | None]:
    """Authenticate e-mail + password with the per-account and per-address failure limits.

    Unknown and known e-mail addresses get the same answer (Django's backend also spends the same
    time hashing for both).
    """
    serializer = LoginSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    email, password = serializer.validated_data["email"], serializer.validated_data["password"]
    address = client_address(request)
    if not services.login_allowed(email=email, address=address):
        detail = _("Too many failed attempts. Try again in a few minutes.")
        response = Response({"detail": detail}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        response["Retry-After"] = str(services.LOGIN_WINDOW_SECONDS)
        return None, response
    user = authenticate(request, email=email.lower(), password=password)
    if user is None:
        services.login_failure_record(email=email, address=address)
        errors = {"non_field_errors": [_("E-mail address or password is wrong.")]}
        return None, Response(errors, status=status.HTTP_400_BAD_REQUEST)
    return user, None


class LoginView(APIView):
    """Log in with e-mail and password; starts a new session (a fresh session key)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=LoginSerializer,
        responses={200: MeSerializer, 400: OpenApiResponse(description="Wrong credentials."), 429: _TOO_MANY},
        tags=["auth"],
    )
    def post(self, request):
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
    """Who am I: the account, its role and organisation."""

    @extend_schema(responses=MeSerializer, tags=["auth"])
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class ExportView(APIView):
    """Everything held about me, as one JSON document."""

    @extend_schema(responses={200: OpenApiResponse(description="All personal data held about the caller.")},
                   tags=["personal data"])
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

