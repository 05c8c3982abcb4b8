"""cookiecutter-provider: a plugin generated with ``--no-input`` is a complete distribution.

For each wire format, one generation into a temporary directory, then: the generated code
passes ruff, and ``mypy --strict`` over its src, under its own configuration; installed into a
fresh virtual environment beside the core, its own test suite passes unchanged against the
simulator; and ``hotswap plugins`` discovers it through its entry point.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from cookiecutter.main import cookiecutter

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "cookiecutter-provider"
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.slow

# One generation per wire format, each with answers that exercise the template's branches:
# the defaults for one, and for the other a hyphenated name and a key in its own header.
FORMATS = {
    "openai-compatible": {},
    "custom": {
        "name": "example-cloud",
        "display_name": "Example Cloud",
        "wire_format": "custom",
        "auth_header": "x-api-key",
        "env_var": "EXAMPLE_CLOUD_API_KEY",
    },
}


def generate(tmp_path: Path, answers: dict[str, str]) -> Path:
    output = tmp_path / "generated"
    return Path(
        cookiecutter(str(TEMPLATE), no_input=True, extra_context=answers, output_dir=str(output))
    )


def run(
    *command: str | Path, cwd: Path, unset: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if name not in unset}
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


# A few seconds on an idle machine; minutes are allowed for two cores shared with other work.
@pytest.mark.timeout(300)
@pytest.mark.parametrize("answers", FORMATS.values(), ids=FORMATS.keys())
def test_a_generated_plugin_passes_its_own_checks_and_is_discovered(
    tmp_path: Path, fresh_venv: Callable[..., Path], answers: dict[str, str]
) -> None:
    name = answers.get("name", "acme")
    project = generate(tmp_path, answers)
    # An OpenAI-compatible plugin is built on hotswap-openai's shared translation.
    base = [REPO / "plugins" / "openai"] if answers.get("wire_format") != "custom" else []

    assert project.name == f"hotswap-{name}"
    python = fresh_venv(*base, project, "aiohttp", "pytest")
    lint = run(BIN / "ruff", "check", "--no-cache", ".", cwd=project)
    formatting = run(BIN / "ruff", "format", "--check", "--no-cache", ".", cwd=project)
    types = run(
        BIN / "mypy",
        "--python-executable",
        python,
        "--cache-dir",
        tmp_path / "mypy-cache",
        cwd=project,
    )
    # Without the provider's key, so its live test is skipped, as on a contributor's machine.
    key = answers.get("env_var", "ACME_API_KEY")
    tests = run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=project, unset=(key,))
    listed = run(python.parent / "hotswap", "plugins", "--json", cwd=project)

    assert lint.returncode == 0, lint.stdout
    assert formatting.returncode == 0, formatting.stdout
    assert types.returncode == 0, types.stdout
    # Under the template's own configuration: strict, over every module of src.
    modules = len(list((project / "src").rglob("*.py")))
    assert f"no issues found in {modules} source files" in types.stdout, types.stdout
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert " passed" in tests.stdout
    assert " failed" not in tests.stdout
    [record] = [r for r in json.loads(listed.stdout) if r["name"] == name]
    package = name.replace("-", "_")
    assert (record["status"], record["target"], record["distribution"]) == (
        "loaded",
        f"hotswap_{package}:plugin",
        f"hotswap-{name}",
    )
    assert record["providers"] == [name]


@pytest.mark.parametrize("answers", FORMATS.values(), ids=FORMATS.keys())
def test_a_generated_plugin_has_a_readme_and_a_ci_workflow_and_no_leftover_placeholders(
    tmp_path: Path, answers: dict[str, str]
) -> None:
    project = generate(tmp_path, answers)

    workflow = yaml.safe_load((project / ".github" / "workflows" / "ci.yml").read_text())
    steps = workflow["jobs"]["test"]["steps"]
    assert [step.get("run") for step in steps if "run" in step] == [
        "uv sync",
        "uv run ruff check .",
        "uv run ruff format --check .",
        "uv run mypy",
        "uv run pytest",
    ]
    assert steps[1]["with"]["python-version"] == "${{ matrix.python-version }}"
    env_var = answers.get("env_var", "ACME_API_KEY")
    assert steps[-1]["env"] == {env_var: f"${{{{ secrets.{env_var} }}}}"}
    assert (
        f"pip install hotswap-{answers.get('name', 'acme')}" in (project / "README.md").read_text()
    )
    for path in project.rglob("*"):
        if path.is_file():
            text = path.read_text()
            assert "cookiecutter" not in text, path
            assert "{%" not in text, path


def test_a_bad_answer_stops_generation_with_the_fix(tmp_path: Path) -> None:
    result = run(
        BIN / "cookiecutter",
        "--no-input",
        TEMPLATE,
        "name=Acme Cloud",
        "--output-dir",
        tmp_path,
        cwd=tmp_path,
    )

    assert result.returncode != 0
    assert "name 'Acme Cloud': use up to 30 lower case letters" in result.stderr
    assert list(tmp_path.iterdir()) == []
