"""The documentation site builds with ``mkdocs build --strict``: a link to a page or an anchor
that does not exist, a page left out of the navigation, or a reference to an API that is not
there fails the build, and so this test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_the_site_builds_strictly(tmp_path: Path) -> None:
    mkdocs = Path(sys.executable).parent / "mkdocs"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

    built = subprocess.run(
        [mkdocs, "build", "--strict", "--site-dir", tmp_path / "site"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )

    problems = [line for line in built.stderr.splitlines() if not line.startswith("INFO")]
    assert built.returncode == 0, "\n".join(problems)
    assert problems == []
    assert (tmp_path / "site" / "reference" / "engine" / "index.html").is_file()


def test_every_page_is_in_the_navigation() -> None:
    config = (REPO / "mkdocs.yml").read_text()
    pages = sorted(p.relative_to(REPO / "docs").as_posix() for p in (REPO / "docs").rglob("*.md"))

    missing = [page for page in pages if f" {page}" not in config]

    assert missing == []
