"""hotswap.engine.catalog.list_models: a provider's own model list, fetched over real HTTP (the
simulator's Ollama ``/api/tags``) through the list hooks of a toy provider, and every way it
comes back with nothing instead."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from hotswap import ModelConfig, PluginHost, UnknownProviderError
from hotswap.engine.catalog import list_models
from hotswap.plugin.provider import ProviderPlugin
from hotswap.types.http import HttpRequest
from hotswap.types.providers import KnownModel, ProviderInfo


def lister_host(base_url: str, *, auth: dict, listing: str | None = "/api/tags") -> PluginHost:
    """A host holding a toy provider ``lister`` that reads Ollama's tag list from
    ``listing`` (None: the provider has no list)."""

    class Lister(ProviderPlugin):
        info = ProviderInfo(name="lister", base_url=base_url, auth=auth)

        def list_models_request(self, model: ModelConfig) -> HttpRequest | None:
            if listing is None:
                return None
            return HttpRequest("GET", listing, headers={"accept": "application/json"})

        def parse_model_list(self, model, response):
            return [KnownModel(id=entry["model"]) for entry in response.json()["models"]]

    host = PluginHost(entry_points=[])
    host.register(Lister(), name="lister")
    return host


KEYED = {"api_key": {"env_vars": ["LISTER_KEY"]}}
KEYLESS = {"none": {}}


@pytest.fixture
def pulled(simulator):
    simulator.serve_models("ollama", "qwen3:8b", "llama3.2")
    return simulator


def test_the_server_s_models_come_back_as_known_models(pulled):
    host = lister_host(pulled.url, auth=KEYLESS)

    models = list_models("lister", host=host)

    assert models == [KnownModel(id="llama3.2:latest"), KnownModel(id="qwen3:8b")]
    [sent] = pulled.requests
    assert (sent.method, sent.path, sent.headers["accept"]) == (
        "GET",
        "/api/tags",
        "application/json",
    )
    assert "authorization" not in sent.headers


def test_the_model_s_base_url_headers_and_credential_are_used(pulled, monkeypatch):
    monkeypatch.setenv("LISTER_KEY", "lister-key-0001")
    pulled.accept_keys("ollama", "lister-key-0001")
    host = lister_host("http://127.0.0.1:9", auth=KEYED)
    model = ModelConfig(
        name="local", provider="lister", model="any", base_url=pulled.url, headers={"x-team": "a"}
    )

    models = list_models(model, host=host)

    assert [m.id for m in models] == ["llama3.2:latest", "qwen3:8b"]
    [sent] = pulled.requests
    assert sent.headers["authorization"] == "Bearer lister-key-0001"
    assert sent.headers["x-team"] == "a"


def test_a_refused_credential_lists_nothing(pulled, monkeypatch):
    monkeypatch.setenv("LISTER_KEY", "a-key-the-server-refuses")
    pulled.accept_keys("ollama", "lister-key-0001")

    assert list_models("lister", host=lister_host(pulled.url, auth=KEYED)) is None


def test_no_credential_lists_nothing_and_sends_nothing(pulled, monkeypatch, tmp_path):
    monkeypatch.delenv("LISTER_KEY", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("HOTSWAP_CREDENTIALS_DIR", str(tmp_path / "credentials"))

    assert list_models("lister", host=lister_host(pulled.url, auth=KEYED)) is None
    assert pulled.requests == []


def test_a_provider_without_a_list_sends_nothing(pulled):
    host = lister_host(pulled.url, auth=KEYLESS, listing=None)

    assert list_models("lister", host=host) is None
    assert pulled.requests == []


def test_an_answer_the_plugin_cannot_read_lists_nothing(pulled):
    # Gemini's list: its entries have no "model" key, which the toy plugin reads.
    pulled.serve_models("gemini", "gemini-2.5-pro")
    host = lister_host(pulled.url, auth=KEYLESS, listing="/v1beta/models?key=k")

    assert list_models("lister", host=host) is None


def test_an_error_status_lists_nothing(pulled):
    host = lister_host(pulled.url, auth=KEYLESS, listing="/api/nothing-here")

    assert list_models("lister", host=host) is None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_server_that_is_not_running_lists_nothing():
    host = lister_host(f"http://127.0.0.1:{_free_port()}", auth=KEYLESS)

    assert list_models("lister", host=host) is None


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A port that accepts connections and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        yield f"http://127.0.0.1:{server.getsockname()[1]}"


def test_a_server_that_never_answers_lists_nothing_within_the_timeout(silent_server):
    host = lister_host(silent_server, auth=KEYLESS)
    started = time.monotonic()

    assert list_models("lister", host=host, timeout_s=0.2) is None
    assert time.monotonic() - started < 2.0


def test_an_unknown_provider_is_an_error_naming_it(acme_host):
    with pytest.raises(UnknownProviderError, match="'ollama'"):
        list_models("ollama", host=acme_host)
