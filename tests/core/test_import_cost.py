"""`import hotswap` stays cheap: it loads no plugin, no CLI code, no HTTP client."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

NEVER_AT_IMPORT = ("typer", "click", "rich", "httpx2", "pluggy", "pydantic", "hotswap.cli")


def imported_modules(statement: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        capture_output=True,
        text=True,
        check=True,
    )
    return {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line}


def test_import_hotswap_loads_nothing_it_does_not_need():
    modules = imported_modules("import hotswap")

    assert not {m for m in modules if m.split(".")[0] in NEVER_AT_IMPORT or m in NEVER_AT_IMPORT}
    assert not {m for m in modules if m.startswith("hotswap_")}


def test_import_hotswap_loads_no_other_module_of_hotswap():
    modules = imported_modules("import hotswap")

    assert {m for m in modules if m.startswith("hotswap")} == {"hotswap"}


def test_the_pytest_plugin_every_test_run_loads_imports_no_other_module_of_hotswap():
    modules = imported_modules("import hotswap.testing.pytest_plugin")

    assert {m for m in modules if m.startswith("hotswap")} == {
        "hotswap",
        "hotswap.testing",
        "hotswap.testing.pytest_plugin",
    }


def test_using_a_type_does_not_load_plugins_or_the_cli():
    modules = imported_modules("import hotswap; hotswap.Message.user('hi'); hotswap.load_config")

    assert "pydantic" in modules
    assert not {m for m in modules if m.split(".")[0] in ("typer", "click", "httpx2")}
    assert not {m for m in modules if m.startswith(("hotswap_", "hotswap.cli"))}


@pytest.mark.slow
def test_import_hotswap_adds_under_100_ms_to_interpreter_start():
    def best_of(statement: str, runs: int = 7) -> float:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", statement], check=True, env=env)
            timings.append(time.perf_counter() - start)
        return min(timings)

    added = best_of("import hotswap") - best_of("pass")

    assert added < 0.100, f"import hotswap added {added * 1000:.0f} ms"
