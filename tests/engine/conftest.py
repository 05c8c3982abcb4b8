"""Chains of toy ``acme`` models over an in-memory transport, on a clock the tests move."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx2
import pytest

from hotswap import Config
from hotswap.engine import FailoverChain, MemoryBreakerStore, chain
from hotswap.wire.transport import Transport


@dataclass
class FakeClock:
    """Monotonic time that only moves when told to, or when the chain sleeps."""

    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


Behaviour = Callable[[dict], httpx2.Response]


@dataclass
class FakeProvider:
    """Answers per model id: a queue of responses each, then "answer from MODEL"."""

    scripts: dict[str, list[httpx2.Response | Exception]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    bodies: list[dict] = field(default_factory=list)

    def script(self, model_id: str, *responses: httpx2.Response | Exception) -> None:
        self.scripts.setdefault(model_id, []).extend(responses)

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content)
        model_id = body["model"]
        self.requests.append(model_id)
        self.bodies.append(body)
        queue = self.scripts.get(model_id)
        if queue:
            item = queue.pop(0)
            if isinstance(item, Exception):
                raise item
            return item
        if body["stream"]:
            text = f"answer from {model_id}"
            frames = [{"text": text[:6]}, {"text": text[6:]}, {"done": True}]
            return httpx2.Response(
                200, content=b"".join(f"data: {json.dumps(f)}\n\n".encode() for f in frames)
            )
        return httpx2.Response(200, json={"text": f"answer from {model_id}"})


CONFIG = {
    "models": {
        "first": {"provider": "acme", "model": "acme-1"},
        "second": {"provider": "acme", "model": "acme-2"},
        "third": {"provider": "acme", "model": "acme-3"},
        "mini": {"provider": "acme", "model": "acme-mini"},
    },
    "chains": {"default": {"models": ["first", "second"]}},
}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def provider() -> FakeProvider:
    return FakeProvider()


@pytest.fixture
def make_chain(acme_host, monkeypatch, clock, provider) -> Callable[..., FailoverChain]:
    """Build a chain over the fake provider; each test gets its own breaker store."""
    monkeypatch.setenv("ACME_API_KEY", "sk-acme-test-key-0001")
    mock = httpx2.MockTransport(provider)
    transport = Transport(
        client=httpx2.Client(transport=mock), async_client=httpx2.AsyncClient(transport=mock)
    )
    breakers = MemoryBreakerStore()

    def build(spec="default", failover: dict | None = None) -> FailoverChain:
        config = Config.from_dict({**CONFIG, "failover": failover or {}})
        return chain(
            spec,
            config=config,
            host=acme_host,
            transport=transport,
            breakers=breakers,
            clock=clock,
            sleep=clock.sleep,
            async_sleep=clock.async_sleep,
            rng=random.Random(7),
        )

    return build
