"""Secrets never appear in reprs, logs, exceptions or serialised output."""

from __future__ import annotations

import logging
import pickle

import pytest

from hotswap import ProviderError
from hotswap.types.auth import Credential
from hotswap.types.errors import ConfigError, CredentialError, ErrorClassification, ErrorKind
from hotswap.types.http import HttpRequest
from hotswap.types.redaction import (
    MASK,
    RedactingFilter,
    Secret,
    looks_like_secret,
    redact,
    redact_headers,
)

KEY = "sk-ant-api03-Zq8vT2mK9pLxR4wN7bYc"


def test_a_secret_masks_its_repr_and_str_but_reveals_on_request():
    secret = Secret(KEY)

    assert KEY not in repr(secret)
    assert KEY not in str(secret)
    assert KEY not in f"{secret}"
    assert secret.reveal() == KEY


def test_a_secret_cannot_be_pickled():
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(Secret(KEY))


def test_a_credential_never_shows_its_secret_in_repr_or_json():
    credential = Credential(
        secret=Secret(KEY),
        auth_type="oauth_token",
        source="env",
        refresh_token=Secret("rt-123456789"),
    )

    for text in (repr(credential), str(credential), credential.model_dump_json()):
        assert KEY not in text
        assert "rt-123456789" not in text
    assert credential.model_dump()["secret"] == MASK


def test_a_credential_accepts_a_plain_string_and_wraps_it():
    credential = Credential(secret=KEY, auth_type="api_key", source="test")

    assert isinstance(credential.secret, Secret)
    assert credential.secret.reveal() == KEY


def test_a_key_echoed_in_a_provider_message_is_scrubbed_from_the_exception():
    Secret(KEY)  # known to this process, as every resolved key is
    error = ProviderError.from_classification(
        ErrorClassification(ErrorKind.AUTH, f"invalid x-api-key {KEY}"),
        provider="anthropic",
        model="claude",
        status=401,
    )

    assert KEY not in str(error)
    assert KEY not in error.provider_message
    assert str(error) == f"anthropic/claude: auth 401: invalid x-api-key {MASK}"


@pytest.mark.parametrize(
    "token",
    [
        "sk-proj-abcdefghijklmnopqrstuvwxyz",
        "sk-or-v1-abcdefghijklmnopqrstuvwx",
        "gsk_abcdefghijklmnopqrstuv",
        "xai-abcdefghijklmnopqrstuv",
        "AIzaSyA-abcdefghijklmnopqrstuvwxyz0123",
        "sk-ant-oat01-abcdefghijklmnop",
    ],
)
def test_key_shaped_text_is_scrubbed_even_if_never_seen(token):
    assert redact(f"key was {token}.") == f"key was {MASK}."
    assert looks_like_secret(token)


def test_a_bearer_token_is_scrubbed():
    assert redact("Authorization: Bearer abc.def-ghi_jkl") == f"Authorization: Bearer {MASK}"


def test_ordinary_text_is_left_alone():
    text = "model claude-sonnet-4 is overloaded; retry in 12s (task-force ok)"

    assert redact(text) == text
    assert not looks_like_secret("claude-sonnet-4-20250514")


def test_credential_headers_are_masked_in_request_reprs():
    request = HttpRequest(
        "POST", "/v1/messages", headers={"X-Api-Key": KEY, "Authorization": "Bearer t0ken1234"}
    )

    assert KEY not in repr(request)
    assert "t0ken1234" not in repr(request)
    assert redact_headers({"Anthropic-Version": "2023-06-01"}) == {
        "Anthropic-Version": "2023-06-01"
    }


def test_errors_of_every_family_scrub_their_messages():
    Secret(KEY)

    for error in (
        ConfigError(f"bad value {KEY}", path="hotswap.toml", key="models.x.model"),
        CredentialError(f"refused {KEY}"),
    ):
        assert KEY not in str(error)


def test_the_logging_filter_scrubs_messages_and_arguments(caplog):
    Secret(KEY)
    logger = logging.getLogger("hotswap.test.redaction")
    logger.addFilter(RedactingFilter())

    with caplog.at_level(logging.DEBUG, logger="hotswap.test.redaction"):
        logger.debug("sending key %s to %s", KEY, "anthropic")

    assert KEY not in caplog.text
    assert f"sending key {MASK} to anthropic" in caplog.text
