"""One real request to the provider's API, run only when its key is set:
``{{ cookiecutter.env_var }}=... pytest -m live``. Every other test runs offline."""

from __future__ import annotations

import os

import pytest
from hotswap import FailoverChain, ModelConfig

from {{ cookiecutter.__package }}.provider import INFO

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        not os.environ.get("{{ cookiecutter.env_var }}"),
        reason="{{ cookiecutter.env_var }} not set",
    ),
]


def test_the_real_api_answers_a_short_question():
    model = ModelConfig(name="live", provider=INFO.name, model=INFO.models[0].id)

    reply = FailoverChain([model]).complete("Reply with the single word: pong", max_tokens=20)

    assert "pong" in reply.text.lower()
