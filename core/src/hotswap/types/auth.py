"""Auth types, where a provider's credential may be found, and a resolved credential.

A provider declares, per auth type it accepts, a :class:`CredentialSpec`: the environment
variables, the credential name in a credentials directory, and the pi ``auth.json`` entry that
may hold its secret. The core's resolver (``hotswap.credentials``) walks those places in a fixed,
documented order and returns a :class:`Credential`; the provider's ``hotswap_auth_headers`` hook
then turns that credential into request headers. When an OAuth login kept by pi has expired,
the provider's plugin describes the refresh and reads the answer as a :class:`TokenGrant`.
"""

from __future__ import annotations

import enum
import re

from pydantic import BaseModel, ConfigDict

from hotswap.types.redaction import Secret

__all__ = ["CREDENTIAL_PART", "AuthType", "Credential", "CredentialSpec", "TokenGrant"]

CREDENTIAL_PART = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
"""One part of a credential reference (its type, instance or field). Each part becomes one
path component of a credentials tree, so it must not climb out (``..``, ``/``) or hide (a
leading ``.``)."""


class AuthType(str, enum.Enum):
    """How a model authenticates."""

    API_KEY = "api_key"
    """A provider API key, sent as that provider sends keys."""
    OAUTH_TOKEN = "oauth_token"  # noqa: S105 (a name, not a token)
    """A subscription OAuth token (an Anthropic ``sk-ant-oat…`` token), sent as a bearer token."""
    PI_AUTH = "pi_auth"
    """Whatever an existing pi agent login stored in ``~/.pi/agent/auth.json``."""
    NONE = "none"
    """No credential at all (a local Ollama)."""

    def __str__(self) -> str:
        return self.value


class CredentialSpec(BaseModel):
    """Where a credential for one auth type of one provider may be found.

    :param env_vars: environment variables to read, first one set wins.
    :param credential: the credential type in a credentials directory, laid out as
        ``CREDENTIAL/INSTANCE/FIELD`` (``anthropic_key/default/token``).
    :param field: the field file inside the instance directory.
    :param pi_provider: the key of this provider's entry in pi's ``auth.json``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    env_vars: tuple[str, ...] = ()
    credential: str | None = None
    field: str = "token"
    pi_provider: str | None = None


class Credential(BaseModel):
    """A resolved credential. Its secret never prints; ``source`` says where it came from.

    :param secret: the key or token.
    :param auth_type: the auth type it was resolved for.
    :param source: a human description of where it was found
        (``environment variable ANTHROPIC_API_KEY``), safe to show.
    :param refresh_token: for OAuth logins that can be refreshed.
    :param expires_at: for expiring tokens, the POSIX time after which it is no longer valid.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    secret: Secret
    auth_type: AuthType
    source: str
    refresh_token: Secret | None = None
    expires_at: float | None = None


class TokenGrant(BaseModel):
    """New tokens from a provider's token endpoint, as a plugin read them from its answer.

    :param access_token: the new access token.
    :param refresh_token: the new refresh token, if the endpoint rotated it.
    :param expires_in: seconds the access token is valid for, if the endpoint said.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    access_token: Secret
    refresh_token: Secret | None = None
    expires_in: float | None = None
