"""Testing a provider plugin: alone in a plugin host, over real HTTP against the simulator (or any
server), and installed alone in another environment. A plugin's tests import this module (through
:mod:`hotswap.testing`) instead of the core's exchange and transport, which may change::

    from hotswap.testing import Harness

    def test_an_answer(simulator, isolated_home, monkeypatch):
        monkeypatch.setenv("ACME_API_KEY", "sk-test")
        acme = Harness(plugin, base_url=f"{simulator.url}/v1", model="acme-1")
        assert acme.complete("hi").text == "echo: hi"
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from hotswap.config import ModelConfig
from hotswap.plugin.host import PluginHost
from hotswap.plugin.provider import ProviderPlugin
from hotswap.testing.translation import request
from hotswap.types.completion import Completion
from hotswap.types.errors import ErrorClassification
from hotswap.types.events import StreamEvent
from hotswap.types.http import Failure
from hotswap.types.request import CompletionRequest
from hotswap.wire.exchange import Exchange
from hotswap.wire.transport import Transport

__all__ = ["Harness", "lone_host", "probe_installed"]


def lone_host(plugin: ProviderPlugin) -> PluginHost:
    """A plugin host holding only ``plugin``, registered under its provider's name as its entry
    point would be; no installed plugin is loaded."""
    host = PluginHost(entry_points=[])
    host.register(plugin, name=plugin.info.name)
    return host


class Harness:
    """One plugin, alone in a plugin host, and one configured model to send requests to. Each
    call opens its own transport, so calls share nothing but the host (and so the credentials
    it resolved).

    :param plugin: the plugin instance the entry point names.
    :param fields: the model's configuration (``model``, ``base_url``, ``options``...).
    """

    def __init__(self, plugin: ProviderPlugin, **fields: Any) -> None:
        self.host = lone_host(plugin)
        self.model = ModelConfig(**{"name": "model", "provider": plugin.info.name, **fields})

    @classmethod
    def on(cls, host: PluginHost, model: ModelConfig) -> Harness:
        """A harness for ``model`` on a host the test built itself (holding more than one
        plugin, or registered under its own name)."""
        harness = cls.__new__(cls)
        harness.host = host
        harness.model = model
        return harness

    def configured(self, **fields: Any) -> Harness:
        """The same plugin and host with a model whose configuration differs by ``fields``."""
        return Harness.on(self.host, self.model.model_copy(update=fields))

    def classify(self, failure: Failure) -> ErrorClassification:
        """The verdict on ``failure``: the plugin's, else the core's rules."""
        return self.host.classify_error(self.model, failure)

    def exchange(self, sent: CompletionRequest | str, *, stream: bool) -> Exchange:
        """The prepared call for ``sent``, credentials resolved and body built, not yet sent
        (what :meth:`send` and :meth:`send_stream` take)."""
        asked = request(sent) if isinstance(sent, str) else sent
        return Exchange(self.host, self.model, asked, stream=stream)

    def send(self, exchange: Exchange) -> Completion:
        """The whole answer to a prepared ``exchange``."""
        with Transport() as transport:
            return transport.complete(exchange)

    def send_stream(self, exchange: Exchange) -> Iterator[StreamEvent]:
        """The streamed answer to a prepared ``exchange``, event by event."""
        with Transport() as transport:
            yield from transport.stream(exchange)

    def complete(self, sent: CompletionRequest | str = "hi there") -> Completion:
        """The whole answer to ``sent``."""
        return self.send(self.exchange(sent, stream=False))

    def stream(self, sent: CompletionRequest | str = "hi there") -> list[StreamEvent]:
        """Every event of the streamed answer to ``sent``."""
        return list(self.events(sent))

    def events(self, sent: CompletionRequest | str = "hi there") -> Iterator[StreamEvent]:
        """The streamed answer to ``sent``, event by event (so those before an error are seen)."""
        return self.send_stream(self.exchange(sent, stream=True))

    async def acomplete(self, sent: CompletionRequest | str = "hi there") -> Completion:
        """The whole answer to ``sent``, through the async transport."""
        async with Transport() as transport:
            return await transport.acomplete(self.exchange(sent, stream=False))

    async def aevents(
        self, sent: CompletionRequest | str = "hi there"
    ) -> AsyncIterator[StreamEvent]:
        """The streamed answer to ``sent`` through the async transport, event by event."""
        async with Transport() as transport:
            async for event in transport.astream(self.exchange(sent, stream=True)):
                yield event


_PROBE = """
import json, sys
from hotswap.plugin import CompletionRequest, HttpResponse, Message, ModelConfig
from hotswap.plugin.host import default_host
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
    request for ``provider``'s ``model_id`` and read a canned answer in the OpenAI chat format;
    what it found: the loaded ``plugins`` as ``(name, status)``, the request's ``path`` and
    ``model``, the answer's ``text``."""
    found = subprocess.run(
        [str(python), "-c", _PROBE, provider, model_id], check=True, capture_output=True, text=True
    )
    result: dict[str, Any] = json.loads(found.stdout)
    return result
