"""Refreshing an expired OAuth login kept by pi, sans I/O.

When a ``pi_auth`` credential is an OAuth login whose ``expires_at`` has passed, the exchange
plans a :class:`TokenRefresh` (:func:`plan_refresh`). The provider's plugin describes the token
request (``hotswap_refresh_request``); the transport sends it; the answer is read
(``hotswap_parse_refresh``, by default as a standard OAuth 2 answer); and the new tokens are
merged into the login's entry in pi's ``auth.json``, under pi's lock and atomically, with every
other entry kept. The original request then goes out with the new access token. ``expires``
is written as pi writes it: epoch milliseconds, five minutes early. Just before refreshing,
the entry is read again under the lock: if another process refreshed it meanwhile, its new
token is used instead. A token the provider refuses with an ``auth`` error before its expiry
is refreshed the same way, once, and the request sent again.

Every way this can fail (no refresh token, a provider that cannot refresh, an unreachable or
refusing token endpoint, an answer without a token) is a
:class:`~hotswap.types.errors.CredentialError` that says what happened and to log in again with pi.
"""

from __future__ import annotations

import json
import os
import time
from typing import TYPE_CHECKING, final

from hotswap.credentials.locations import home_dir, pi_auth_file
from hotswap.credentials.lockdir import locked
from hotswap.credentials.pi_auth import LOGIN_HINT, pi_credential, update_pi_entry
from hotswap.plugin.classify import provider_message
from hotswap.types.auth import AuthType, Credential
from hotswap.types.errors import CredentialError, PluginError

if TYPE_CHECKING:
    from hotswap.config import ModelConfig
    from hotswap.plugin.host import PluginHost
    from hotswap.types.auth import CredentialSpec
    from hotswap.types.http import HttpRequest, HttpResponse

__all__ = ["EXPIRY_MARGIN_MS", "TokenRefresh", "plan_refresh"]

EXPIRY_MARGIN_MS = 5 * 60 * 1000
"""How much earlier than the endpoint said a refreshed token is recorded as expiring (as pi)."""


def plan_refresh(
    host: PluginHost,
    model: ModelConfig,
    auth_type: AuthType,
    spec: CredentialSpec,
    credential: Credential | None,
    *,
    now: float | None = None,
    refused: bool = False,
) -> TokenRefresh | None:
    """The refresh ``credential`` needs before it can be sent, or None if it needs none.

    :param refused: the provider refused the token although its expiry has not passed (revoked
        early, or a clock out of step): refresh an OAuth login whatever its expiry says.
    :raises CredentialError: the login has expired and cannot be refreshed.
    """
    if auth_type is not AuthType.PI_AUTH or credential is None or spec.pi_provider is None:
        return None
    if refused and credential.refresh_token is None:
        return None  # an API key in pi's file: nothing to refresh
    expires_at = credential.expires_at
    expired = expires_at is not None and expires_at <= (time.time() if now is None else now)
    if not (expired or refused):
        return None
    entry = spec.pi_provider
    if credential.refresh_token is None:
        raise CredentialError(
            f"the OAuth login in {credential.source} has expired and holds no refresh token.\n  "
            + LOGIN_HINT
        )
    request = host.refresh_request(model, credential)
    if request is None:
        raise CredentialError(
            f"the OAuth login in {credential.source} has expired, and the plugin for provider "
            f"{model.provider!r} cannot refresh it.\n  " + LOGIN_HINT
        )
    return TokenRefresh(host, model, entry, credential, request)


@final
class TokenRefresh:
    """One refresh of one expired login: what to send, and what its answer becomes.

    :ivar method: the HTTP method.
    :ivar url: the token endpoint's absolute URL.
    :ivar headers: the headers to send.
    :ivar body: the serialised body, if any.
    """

    def __init__(
        self,
        host: PluginHost,
        model: ModelConfig,
        entry: str,
        credential: Credential,
        request: HttpRequest,
    ) -> None:
        if not request.path.startswith(("https://", "http://")):
            raise PluginError(
                f"the refresh request for provider {model.provider!r} must name an absolute "
                f"URL, not {request.path!r}"
            )
        self._host = host
        self._model = model
        self._entry = entry
        self._expired = credential
        self.method = request.method
        self.url = request.path
        self.headers = dict(request.headers)
        self.body = None if request.json is None else json.dumps(request.json).encode()
        if self.body is not None:
            self.headers.setdefault("content-type", "application/json")

    def __repr__(self) -> str:
        return f"TokenRefresh({self.method} {self.url}, entry={self._entry!r})"

    def superseded(self, *, now: float | None = None) -> Credential | None:
        """The login as pi's ``auth.json`` holds it now, if another process (pi, or another
        hotswap) has refreshed it since it was read: refreshing again would spend a refresh
        token that may already be used up. Read under pi's lock."""
        path = pi_auth_file(os.environ, home_dir(None, os.environ))
        try:
            with locked(path):
                current = pi_credential(self._entry)
        except CredentialError:
            return None
        if current.secret.reveal() == self._expired.secret.reveal():
            return None
        expires_at = current.expires_at
        if expires_at is not None and expires_at <= (time.time() if now is None else now):
            return None
        return current

    def credential(self, response: HttpResponse, *, now: float | None = None) -> Credential:
        """The fresh credential the token endpoint's answer holds, once written back to pi's
        ``auth.json``.

        :raises CredentialError: the endpoint refused, or its answer holds no access token.
        """
        if not 200 <= response.status < 300:
            raise self.failed(f"it answered HTTP {response.status}: {provider_message(response)}")
        try:
            grant = self._host.parse_refresh(self._model, response)
        except (ValueError, KeyError, TypeError, AttributeError):
            grant = None
        if grant is None:
            raise self.failed("its answer holds no access token")
        refresh_token = grant.refresh_token or self._expired.refresh_token
        expires_ms = None
        if grant.expires_in is not None:
            now_ms = (time.time() if now is None else now) * 1000
            expires_ms = int(now_ms + grant.expires_in * 1000 - EXPIRY_MARGIN_MS)
        entry: dict[str, object] = {"type": "oauth", "access": grant.access_token.reveal()}
        if refresh_token is not None:
            entry["refresh"] = refresh_token.reveal()
        if expires_ms is not None:
            entry["expires"] = expires_ms
        update_pi_entry(self._entry, entry, merge=True)
        return Credential(
            secret=grant.access_token,
            auth_type=AuthType.PI_AUTH,
            source=self._expired.source,
            refresh_token=refresh_token,
            expires_at=None if expires_ms is None else expires_ms / 1000,
        )

    def failed(self, what: str) -> CredentialError:
        """The error for a refresh that did not work; ``what`` says what the endpoint did."""
        return CredentialError(
            f"the OAuth login in {self._expired.source} has expired and could not be refreshed "
            f"at {self.url}: {what}.\n  " + LOGIN_HINT
        )
