"""API tokens: who a key belongs to, read without compiling the token's query on every request (the API's
TokenAuthentication and the chat's sockets both ask here)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from accounts.models import User
from config.prepared import PreparedQuery

_KEY_LENGTH = Token._meta.get_field("key").max_length
_USER_FIELDS = [field.attname for field in User._meta.concrete_fields]
_token_and_user = PreparedQuery(
    lambda key: Token.objects.filter(key=key).values_list("created", *(f"user__{name}" for name in _USER_FIELDS))
)


def token_owner(key: str) -> tuple[User, Token] | None:
    """The token of this key and its user (who may be inactive: the caller decides), in one statement whose
    SQL is compiled once per connection; None when no token has this key. Each call reads the database, so
    a deleted token or a deactivated user is refused on the very next request."""
    # Keys are 40 hex digits (Token.generate_key): anything else matches no token, and a NUL byte in it would
    # make PostgreSQL refuse the statement (a 500, not a refusal).
    if not (len(key) <= _KEY_LENGTH and key.isascii() and key.isalnum()):
        return None
    found = _token_and_user.rows(key)
    if not found:
        return None
    created, *user_values = found[0]
    user = User.from_db("default", _USER_FIELDS, user_values)
    token = Token.from_db("default", ["key", "user_id", "created"], [key, user.pk, created])
    token.user = user
    return user, token


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's, through token_owner: the ORM compiled `select_related("user").get(key=...)` on every API call (a
    fifth of a served worker's CPU samples under load)."""

    def authenticate_credentials(self, key: str):
        found = token_owner(key)
        # DRF's own words, translated in its catalogue
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not found[0].is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return found
