"""Helpers for testing an OpenAI-compatible plugin, over real HTTP against hotswap's simulator
(``hotswap.testing``) or on bytes alone. Not imported by the plugin itself, since they load the
core's transport::

    from hotswap_openai.testing import Harness

    def test_an_answer(simulator, monkeypatch):
        monkeypatch.setenv("ACME_API_KEY", "sk-test")
        acme = Harness(plugin, base_url=f"{simulator.url}/v1", model="acme-1")
        assert acme.complete("hi").text == "echo: hi"
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hotswap.plugin import (
    Completion,
    CompletionRequest,
    ErrorClassification,
    Failure,
    ModelConfig,
    ProviderPlugin,
    StreamEvent,
)
from hotswap.plugin.host import PluginHost
from hotswap.testing.translation import assemble, request, translate
from hotswap.wire.exchange import Exchange
from hotswap.wire.transport import Transport

__all__ = ["Harness", "assemble", "probe_installed", "request", "translate"]


class Harness:
    """One plugin, alone in a plugin host, and one configured model to send requests to.

    :param plugin: the plugin instance the entry point names.
    :param fields: the model's configuration (``model``, ``base_url``, ``options``...).
    """

    def __init__(self, plugin: ProviderPlugin, **fields: Any) -> None:
        self.host = PluginHost(entry_points=[])
        self.host.register(plugin, name=plugin.info.name)
        self.model = ModelConfig(**{"name": "model", "provider": plugin.info.name, **fields})

    def configured(self, **fields: Any) -> Harness:
        """The same plugin with a model whose configuration differs by ``fields``."""
        other = Harness.__new__(Harness)
        other.host = self.host
        other.model = self.model.model_copy(update=fields)
        return other

    def classify(self, failure: Failure) -> ErrorClassification:
        """The verdict on ``failure``: the plugin's, else the core's rules."""
        return self.host.classify_error(self.model, failure)

    def exchange(self, sent: CompletionRequest | str, *, stream: bool) -> Exchange:
        asked = request(sent) if isinstance(sent, str) else sent
        return Exchange(self.host, self.model, asked, stream=stream)

    def complete(self, sent: CompletionRequest | str = "hi there") -> Completion:
        """The whole answer to ``sent``."""
        with Transport() as transport:
            return transport.complete(self.exchange(sent, stream=False))

    def stream(self, sent: CompletionRequest | str = "hi there") -> list[StreamEvent]:
        """Every event of the streamed answer to ``sent``."""
        return list(self.events(sent))

    def events(self, sent: CompletionRequest | str = "hi there") -> Iterator[StreamEvent]:
        """The streamed answer to ``sent``, event by event (so those before an error are seen)."""
        with Transport() as transport:
            yield from transport.stream(self.exchange(sent, stream=True))


_PROBE = """
import json, sys
from hotswap.plugin import HttpResponse, Message, CompletionRequest
from hotswap.plugin.host import default_host
from hotswap.plugin import ModelConfig
provider, model_id = sys.argv[1:]
host = default_host()
model = ModelConfig(name="m", provider=provider, model=model_id, base_url="http://127.0.0.1:9/v1")
sent = host.build_request(model, CompletionRequest(messages=(Message.user("hi"),)), stream=True)
answer = {"choices": [{"message": {"content": "hello"}, "finish_reason": "stop"}]}
completion = host.parse_response(model, HttpResponse(200, {}, json.dumps(answer).encode()))
print(json.dumps({
    "plugins": sorted((r.name, r.status) for r in host.records()),
    "path": sent.path,
    "model": sent.json["model"],
    "text": completion.text,
}))
"""


def probe_installed(python: Path, provider: str, model_id: str) -> dict[str, Any]:
    """Run ``python`` (another environment's) to load every installed plugin, build a streamed
    request for ``provider``'s ``model_id`` and read a canned answer; what it found: the loaded
    ``plugins`` as ``(name, status)``, the request's ``path`` and ``model``, the answer's
    ``text``."""
    found = subprocess.run(
        [str(python), "-c", _PROBE, provider, model_id], check=True, capture_output=True, text=True
    )
    result: dict[str, Any] = json.loads(found.stdout)
    return result
