"""The core's own hook implementations: the fallbacks that run after every plugin's."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from hotswap.plugin.classify import classify_failure
from hotswap.plugin.specs import hookimpl
from hotswap.types.auth import TokenGrant
from hotswap.types.redaction import Secret

if TYPE_CHECKING:
    from collections.abc import Callable

    from hotswap.config import ModelConfig
    from hotswap.types.auth import AuthType, Credential, CredentialSpec
    from hotswap.types.errors import ErrorClassification
    from hotswap.types.http import Failure, HttpResponse


@hookimpl(trylast=True)
def hotswap_resolve_credential(
    model: ModelConfig, auth_type: AuthType, spec: CredentialSpec
) -> Credential | None:
    """Environment variables, credential files, the keychain and pi logins, in that order."""
    return _resolver()(spec, auth_type, reference=model.credential)


@functools.cache
def _resolver() -> Callable[..., Credential | None]:
    # Imported on first use, as a chain of local models needs no credential and the places
    # (pi logins, the keychain) are slow to import; kept, so that no request runs the import.
    from hotswap.credentials.resolver import resolve_credential

    return resolve_credential


@hookimpl(trylast=True)
def hotswap_auth_headers(model: ModelConfig, credential: Credential) -> dict[str, str]:
    """A bearer token, when the provider's plugin sends its credential no other way."""
    return {"authorization": f"Bearer {credential.secret.reveal()}"}


@hookimpl(trylast=True)
def hotswap_classify_error(model: ModelConfig, failure: Failure) -> ErrorClassification:
    """The provider-neutral verdict, when no plugin knew better."""
    return classify_failure(failure)


@hookimpl(trylast=True)
def hotswap_parse_refresh(model: ModelConfig, response: HttpResponse) -> TokenGrant | None:
    """A standard OAuth 2 token answer, when no plugin reads its endpoint's answer itself."""
    return standard_grant(response)


def standard_grant(response: HttpResponse) -> TokenGrant | None:
    """The tokens in a standard OAuth 2 answer (RFC 6749 §5.1), or None if it holds no
    ``access_token``."""
    data = response.json()
    access = data.get("access_token") if isinstance(data, dict) else None
    if not isinstance(access, str) or not access:
        return None
    refresh, expires_in = data.get("refresh_token"), data.get("expires_in")
    if isinstance(expires_in, bool) or not isinstance(expires_in, (int, float)):
        expires_in = None
    return TokenGrant(
        access_token=Secret(access),
        refresh_token=Secret(refresh) if isinstance(refresh, str) and refresh else None,
        expires_in=expires_in,
    )
