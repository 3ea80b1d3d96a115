"""API token authentication without compiling the token's query on every request."""

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


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's: the token and its user read in one statement, whose SQL is compiled once per connection (the
    ORM compiled `select_related("user").get(key=...)` on every API call: a fifth of a served worker's CPU
    samples under load). Each request still reads the database, so a deleted token, or a user made
    inactive, is refused on the very next request."""

    def authenticate_credentials(self, key: str):
        # Keys are 40 hex digits (Token.generate_key); anything else matches no token, and a NUL byte in it
        # would make PostgreSQL refuse the statement (a 500, not a 401).
        if not (len(key) <= _KEY_LENGTH and key.isascii() and key.isalnum()):
            raise exceptions.AuthenticationFailed(_("Invalid token."))  # DRF's words, in its catalogue
        found = _token_and_user.rows(key)
        if not found:
            return super().authenticate_credentials(key)  # DRF's refusal, in its words
        created, *user_values = found[0]
        user = User.from_db("default", _USER_FIELDS, user_values)
        if not user.is_active:
            return super().authenticate_credentials(key)
        token = Token.from_db("default", ["key", "user_id", "created"], [key, user.pk, created])
        token.user = user
        return user, token
