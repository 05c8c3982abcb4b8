"""Credentials as headers, and the refresh of an expired Claude login kept by pi.

A token is told by its prefix, whatever auth type was configured: a Claude subscription OAuth
token (``sk-ant-oat…``) goes as ``Authorization: Bearer`` with the ``oauth-2025-04-20`` beta
(merged with any betas the model's configured headers name) and never as ``x-api-key``;
anything else is an API key, sent as ``x-api-key``. hotswap sends no other client's
user-agent, ``x-app`` header or system prompt: it does not pose as Claude Code.

A pi login is refreshed at ``https://platform.claude.com/v1/oauth/token``, or at the URL in
``HOTSWAP_ANTHROPIC_TOKEN_URL`` (for tests and proxies), with the public client id the login
was issued to; no ``scope`` is sent on refresh. Its answer is standard OAuth 2, which the core
reads.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from hotswap.plugin import AuthType, HttpRequest, get_logger

if TYPE_CHECKING:
    from hotswap.plugin import Credential, ModelConfig

log = get_logger("hotswap_anthropic")

OAUTH_PREFIX = "sk-ant-oat"
OAUTH_BETA = "oauth-2025-04-20"
TOKEN_URL = "https://platform.claude.com/v1/oauth/token"  # noqa: S105 (a URL, not a secret)
TOKEN_URL_VARIABLE = "HOTSWAP_ANTHROPIC_TOKEN_URL"  # noqa: S105 (a variable's name)
CLIENT_ID = "9d1c250a-e61b-44d9-88ed-5944d1962f5e"


def auth_headers(model: ModelConfig, credential: Credential) -> dict[str, str]:
    """The headers that carry ``credential``."""
    secret = credential.secret.reveal()
    if not secret.startswith(OAUTH_PREFIX):
        if credential.auth_type is AuthType.OAUTH_TOKEN:
            log.debug("%s holds an API key: sent as x-api-key", credential.source)
        return {"x-api-key": secret}
    if credential.auth_type is AuthType.API_KEY:
        log.debug("%s holds an OAuth token: sent as a bearer token", credential.source)
    betas = [
        beta.strip()
        for name, value in model.headers.items()
        if name.lower() == "anthropic-beta"
        for beta in value.split(",")
        if beta.strip()
    ]
    return {
        "authorization": f"Bearer {secret}",
        "anthropic-beta": ",".join([*betas, OAUTH_BETA] if OAUTH_BETA not in betas else betas),
    }


def refresh_request(credential: Credential) -> HttpRequest | None:
    """The token request that renews ``credential``'s login."""
    if credential.refresh_token is None:
        return None
    body = {
        "grant_type": "refresh_token",
        "client_id": CLIENT_ID,
        "refresh_token": credential.refresh_token.reveal(),
    }
    return HttpRequest("POST", os.environ.get(TOKEN_URL_VARIABLE) or TOKEN_URL, json=body)
