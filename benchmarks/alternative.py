"""Against an alternative: the overhead workload through LiteLLM, the failover library users
most often pick instead, beside the same through hotswap, each against its own bare client.

LiteLLM is never a dependency of this project: it is installed into a throwaway environment
under the user's cache directory (``~/.cache/hotswap-bench/litellm``), excluding the releases
published with malware in them, and refused if the install left a ``.pth`` start-up hook (how
those releases ran their payload). Its workload (``alternative_workload.py``) runs in that
environment with an environment holding nothing but the benchmark's fake key, so no secret
of the user's is ever within its reach. If it cannot be installed, the table says so.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import overhead
from harness import BIN, KEYS, Table, captured_request, encode, paired_ratio, us

REQUIREMENT = "litellm!=1.82.7,!=1.82.8,!=1.107.0"
"""Any LiteLLM but the releases known to have been compromised on PyPI."""

KNOWN_HOOKS = {"distutils-precedence.pth", "_virtualenv.pth"}
"""``.pth`` files a fresh environment may hold on its own."""


def run(url: str, formats: list[Any], *, quick: bool) -> Table:
    rounds, batch = (2, 5) if quick else (8, 60)
    anthropic = next((f for f in formats if f.provider == "anthropic"), None)
    columns = ["workload", "bare client µs/req", "through it µs/req", "ratio", "added CPU µs"]
    if anthropic is None:
        return _unavailable(columns, "the Anthropic plugin is not installed")
    python, problem = _environment()
    if python is None:
        return _unavailable(columns, f"LiteLLM could not be installed here: {problem}")
    ours = {
        "sync": overhead._sync(url, anthropic, rounds=rounds, batch=batch),
        "async": overhead._async(url, anthropic, rounds=rounds, batch=batch),
    }
    theirs = _litellm(python, url, anthropic, rounds, batch)
    rows: list[list[Any]] = []
    data: dict[str, Any] = {"litellm": theirs["litellm"], "httpx": theirs["httpx"]}
    measured = [
        ("hotswap chain.complete (bare: httpx2)", ours["sync"]["bare"], ours["sync"]["hotswap"]),
        _theirs(theirs["sync"], "litellm.completion"),
        _theirs(theirs["sync"], "litellm Router, one deployment"),
        ("hotswap chain.acomplete (bare: httpx2)", ours["async"]["bare"], ours["async"]["hotswap"]),
        _theirs(theirs["async"], "litellm.acompletion"),
    ]
    for name, bare, through in measured:
        ratio = paired_ratio(through.wall, bare.wall)
        added_cpu = statistics.median(through.cpu) - statistics.median(bare.cpu)
        rows.append(
            [
                name,
                us(statistics.median(bare.wall)),
                us(statistics.median(through.wall)),
                f"{ratio:.2f}x",
                f"{us(added_cpu):+}",
            ]
        )
        data[name] = {
            "bare_us": us(statistics.median(bare.wall)),
            "through_us": us(statistics.median(through.wall)),
            "ratio": round(ratio, 4),
            "added_cpu_us": us(added_cpu),
        }
    return Table(
        f"Against an alternative: LiteLLM {theirs['litellm']}",
        columns,
        rows,
        [
            "The same short Anthropic-format answer from the simulator, sequentially; each "
            "library against the bare client it is built on (hotswap: httpx2; LiteLLM: httpx "
            f"{theirs['httpx']}), alternating rounds; medians of {rounds} rounds of {batch}.",
            "LiteLLM runs in a throwaway environment (never a project dependency), in its own "
            "process, measured at the same time as hotswap's rows.",
        ],
        data,
    )


class _Figures:
    def __init__(self, figures: dict[str, list[float]]) -> None:
        self.wall, self.cpu = figures["wall"], figures["cpu"]


def _theirs(run: dict[str, Any], name: str) -> tuple[str, _Figures, _Figures]:
    key = "litellm Router" if name.startswith("litellm Router") else name
    return f"{name} (bare: httpx)", _Figures(run["bare httpx"]), _Figures(run[key])


def _unavailable(columns: list[str], why: str) -> Table:
    return Table("Against an alternative: LiteLLM", columns, [], [why], {"unavailable": why})


def _litellm(python: Path, url: str, fmt: Any, rounds: int, batch: int) -> dict[str, Any]:
    request = captured_request(url, fmt, overhead.PROMPT)
    job = {
        "url": url,
        "path": request.url[len(url) :],
        "headers": request.headers,
        "body": encode(request.payload).decode(),
        "model": fmt.model,
        "key": KEYS["ANTHROPIC_API_KEY"],
        "prompt": overhead.PROMPT,
        "max_tokens": request.payload["max_tokens"],
        "rounds": rounds,
        "batch": batch,
    }
    script = Path(__file__).with_name("alternative_workload.py")
    with tempfile.TemporaryDirectory(prefix="hotswap-bench-litellm-") as home:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": home,
            "LITELLM_LOCAL_MODEL_COST_MAP": "True",  # no fetching of the price list at import
        }
        done = subprocess.run(
            [str(python), str(script), json.dumps(job)],
            capture_output=True,
            text=True,
            env=env,
            timeout=900,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"the LiteLLM workload failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _environment() -> tuple[Path | None, str]:
    """The throwaway environment's interpreter, installing LiteLLM first if need be. Nothing
    runs with that interpreter before its start-up hooks have been checked."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = cache / "hotswap-bench" / "litellm"
    python = folder / "bin" / "python"
    uv = str(BIN / "uv")
    if not python.exists():
        made = subprocess.run(
            [uv, "venv", "--quiet", "--python", sys.executable, str(folder)],
            capture_output=True,
            text=True,
            check=False,
        )
        if made.returncode != 0:
            return None, made.stderr.strip()[-500:]
    if not list(folder.glob("lib/python*/site-packages/litellm/__init__.py")):
        try:
            installed = subprocess.run(
                [uv, "pip", "install", "--quiet", "--python", str(python), REQUIREMENT],
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return None, "the install took more than 10 minutes"
        if installed.returncode != 0:
            return None, installed.stderr.strip()[-500:]
    hooks = {p.name for p in folder.glob("lib/python*/site-packages/*.pth")} - KNOWN_HOOKS
    if hooks:
        shutil.rmtree(folder)
        return None, f"the install left start-up hooks {sorted(hooks)}; refused and removed"
    return python, ""
