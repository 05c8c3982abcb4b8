"""The overhead workload through LiteLLM, run by ``alternative.py`` with the throwaway
environment's interpreter (it imports LiteLLM and httpx, never hotswap).

    python alternative_workload.py '{"url": ..., "path": ..., "headers": {...}, "body": "...",
        "model": ..., "key": ..., "prompt": ..., "max_tokens": ..., "rounds": ..., "batch": ...}'

Prints one JSON object: seconds of elapsed and CPU time per request, per round, for a bare
httpx client sending the request body hotswap sends, ``litellm.completion``, a LiteLLM
``Router`` of one deployment, and the async forms of the first two.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import json
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import litellm


def main() -> None:
    job = json.loads(sys.argv[1])
    litellm.telemetry = False
    target = job["url"] + job["path"]
    body = job["body"].encode()
    headers = job["headers"]
    messages = [{"role": "user", "content": job["prompt"]}]
    call = {
        "model": f"anthropic/{job['model']}",
        "messages": messages,
        "api_base": job["url"],
        "api_key": job["key"],
        "max_tokens": job["max_tokens"],
    }
    router = litellm.Router(
        model_list=[
            {
                "model_name": "chain",
                "litellm_params": {k: v for k, v in call.items() if k != "messages"},
            }
        ]
    )
    client = httpx.Client()

    def bare() -> None:
        response = client.post(target, content=body, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"bare request failed: {response.status_code}")
        json.loads(response.content)

    def through_litellm() -> None:
        litellm.completion(**call)

    def through_router() -> None:
        router.completion(model="chain", messages=messages)

    rounds, batch = job["rounds"], job["batch"]
    sync = _interleaved(
        {
            "bare httpx": bare,
            "litellm.completion": through_litellm,
            "litellm Router": through_router,
        },
        rounds,
        batch,
    )
    async_ = asyncio.run(_async(job, target, body, headers, call, rounds, batch))
    print(
        json.dumps(
            {
                "litellm": importlib.metadata.version("litellm"),
                "httpx": httpx.__version__,
                "sync": sync,
                "async": async_,
            }
        )
    )


async def _async(
    job: dict[str, Any],
    target: str,
    body: bytes,
    headers: dict[str, str],
    call: dict[str, Any],
    rounds: int,
    batch: int,
) -> dict[str, dict[str, list[float]]]:
    client = httpx.AsyncClient()

    async def bare() -> None:
        response = await client.post(target, content=body, headers=headers)
        json.loads(response.content)

    async def through_litellm() -> None:
        await litellm.acompletion(**call)

    cases: dict[str, Callable[[], Awaitable[Any]]] = {
        "bare httpx": bare,
        "litellm.acompletion": through_litellm,
    }
    for case in cases.values():
        for _ in range(10):
            await case()
    out: dict[str, dict[str, list[float]]] = {name: {"wall": [], "cpu": []} for name in cases}
    for index in range(rounds):
        for name in list(cases) if index % 2 == 0 else reversed(list(cases)):
            cpu, started = time.process_time(), time.perf_counter()
            for _ in range(batch):
                await cases[name]()
            out[name]["wall"].append((time.perf_counter() - started) / batch)
            out[name]["cpu"].append((time.process_time() - cpu) / batch)
    await client.aclose()
    return out


def _interleaved(
    cases: dict[str, Callable[[], Any]], rounds: int, batch: int
) -> dict[str, dict[str, list[float]]]:
    for case in cases.values():
        for _ in range(10):
            case()
    out: dict[str, dict[str, list[float]]] = {name: {"wall": [], "cpu": []} for name in cases}
    for index in range(rounds):
        for name in list(cases) if index % 2 == 0 else reversed(list(cases)):
            cpu, started = time.process_time(), time.perf_counter()
            for _ in range(batch):
                cases[name]()
            out[name]["wall"].append((time.perf_counter() - started) / batch)
            out[name]["cpu"].append((time.process_time() - cpu) / batch)
    return out


if __name__ == "__main__":
    main()
