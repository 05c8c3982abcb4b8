"""The simulator's state and its one decision: what to do with a request that just arrived.

A request is recorded, routed to its wire format, authenticated and validated as the real
provider would, checked against the models the provider serves (when a test named them), and
only then handed to its model's script. A request the provider would refuse never uses up a
script step. A ``GET`` (Ollama's ``/api/tags``, Gemini's ``/v1beta/models``) lists the models.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Mapping

from hotswap.testing.plans import Plan, Whole, plan_step
from hotswap.testing.recording import RecordedRequest, Recorder
from hotswap.testing.routes import DIALECTS, not_found, route
from hotswap.testing.scripts import ScriptBook
from hotswap.testing.wire import ChatRequest, Incoming, decode_body

__all__ = ["Planner"]


class Planner:
    """Scripts, accepted keys, served models and recorded requests, and :meth:`plan` to use
    them.

    The test's thread sets scripts and keys and reads records while the server's thread
    plans; every piece of state is guarded for that.
    """

    __slots__ = ("_keys", "_keys_lock", "_ordinals", "_served", "recorder", "scripts")

    def __init__(self) -> None:
        self.scripts = ScriptBook()
        self.recorder = Recorder()
        self._keys: dict[str, frozenset[str]] = {}
        self._served: dict[str, frozenset[str]] = {}
        self._keys_lock = threading.Lock()
        self._ordinals = itertools.count(1)

    def accept_keys(self, provider: str, keys: frozenset[str]) -> None:
        """Accept only ``keys`` for ``provider`` (a name in ``DIALECTS``) from now on."""
        _check_family(provider)
        with self._keys_lock:
            self._keys[provider] = keys

    def serve_models(self, provider: str, models: frozenset[str]) -> None:
        """Serve only ``models`` for ``provider`` from now on, and list them."""
        _check_family(provider)
        if not DIALECTS[provider].knows_models():
            able = ", ".join(sorted(n for n, d in DIALECTS.items() if d.knows_models()))
            raise ValueError(
                f"the simulator cannot refuse {provider} models yet; it can for {able}"
            )
        with self._keys_lock:
            self._served[provider] = models

    def clear(self) -> None:
        """Forget scripts, keys, served models and recorded requests."""
        self.scripts.clear()
        self.recorder.clear()
        with self._keys_lock:
            self._keys.clear()
            self._served.clear()

    def plan(
        self,
        method: str,
        path: str,
        query: Mapping[str, str],
        headers: Mapping[str, str],
        body: bytes,
    ) -> Plan:
        """Record the request and decide what to send back."""
        incoming = Incoming(next(self._ordinals), method, path, query, headers, body)
        found = route(method, path)
        if found is None:
            self._record(incoming, None, None)
            return Whole(not_found(method, path))
        dialect, path_model = found
        payload = decode_body(body)
        model = path_model
        if model is None and isinstance(payload, dict) and isinstance(payload.get("model"), str):
            model = payload["model"]
        self._record(incoming, dialect.name, model)
        with self._keys_lock:
            keys = self._keys.get(dialect.name)
            served = self._served.get(dialect.name)
        refusal = dialect.authenticate(incoming, keys)
        if refusal is not None:
            return Whole(refusal)
        if method == "GET":  # the only GET routes are model listings
            return Whole(dialect.list_models(incoming, served))
        request = dialect.parse(incoming, payload, path_model)
        if not isinstance(request, ChatRequest):
            return Whole(request)
        missing = None if served is None else dialect.refuse_model(request, served)
        if missing is not None:
            return Whole(missing)
        return plan_step(self.scripts.next_step(request.model), dialect, request)

    def _record(self, incoming: Incoming, provider: str | None, model: str | None) -> None:
        self.recorder.add(
            RecordedRequest(
                incoming.method,
                incoming.path,
                incoming.query,
                incoming.headers,
                incoming.body,
                provider,
                model,
            )
        )


def _check_family(provider: str) -> None:
    if provider not in DIALECTS:
        known = ", ".join(sorted(DIALECTS))
        raise ValueError(f"no provider family {provider!r}; the simulator speaks {known}")
