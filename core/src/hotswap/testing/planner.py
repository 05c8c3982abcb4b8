"""The simulator's state and its one decision: what to do with a request that just arrived.

A request is recorded, routed to its wire format, authenticated and validated as the real
provider would, and only then handed to its model's script. A request the provider would
refuse never uses up a script step.
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
    """Scripts, accepted keys and recorded requests, and :meth:`plan` to use them.

    The test's thread sets scripts and keys and reads records while the server's thread
    plans; every piece of state is guarded for that.
    """

    __slots__ = ("_keys", "_keys_lock", "_ordinals", "recorder", "scripts")

    def __init__(self) -> None:
        self.scripts = ScriptBook()
        self.recorder = Recorder()
        self._keys: dict[str, frozenset[str]] = {}
        self._keys_lock = threading.Lock()
        self._ordinals = itertools.count(1)

    def accept_keys(self, provider: str, keys: frozenset[str]) -> None:
        """Accept only ``keys`` for ``provider`` (a name in ``DIALECTS``) from now on."""
        if provider not in DIALECTS:
            known = ", ".join(sorted(DIALECTS))
            raise ValueError(f"no provider family {provider!r}; the simulator speaks {known}")
        with self._keys_lock:
            self._keys[provider] = keys

    def clear(self) -> None:
        """Forget scripts, keys and recorded requests."""
        self.scripts.clear()
        self.recorder.clear()
        with self._keys_lock:
            self._keys.clear()

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
        refusal = dialect.authenticate(incoming, keys)
        if refusal is not None:
            return Whole(refusal)
        request = dialect.parse(incoming, payload, path_model)
        if not isinstance(request, ChatRequest):
            return Whole(request)
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
