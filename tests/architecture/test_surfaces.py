"""The two public surfaces: ``hotswap`` for applications and ``hotswap.plugin`` for plugin
authors (with ``hotswap.testing`` for their tests). Every name they export resolves, and the
plugins' tests and the provider template import nothing else of the core, so the rest of the core
can change without breaking them."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "cookiecutter-provider"
CORE_SURFACES = {"hotswap", "hotswap.plugin", "hotswap.testing"}


@pytest.mark.parametrize("surface", sorted(CORE_SURFACES))
def test_every_exported_name_resolves(surface):
    module = importlib.import_module(surface)

    missing = [name for name in module.__all__ if getattr(module, name, None) is None]

    assert missing == []
    assert sorted(module.__all__) == sorted(set(module.__all__))


@pytest.mark.parametrize("surface", ["hotswap", "hotswap.testing"])
def test_a_lazy_surface_lists_exactly_what_it_exports(surface):
    module = importlib.import_module(surface)

    assert dir(module) == module.__all__


@pytest.mark.parametrize("surface", ["hotswap", "hotswap.testing"])
def test_a_lazy_surface_declares_every_export_to_type_checkers(surface):
    module = importlib.import_module(surface)
    tree = ast.parse(Path(module.__file__).read_text())
    [block] = [
        n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"
    ]

    declared = {
        alias.asname or alias.name
        for node in ast.walk(block)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }

    assert declared == set(module.__all__) - {"__version__"}


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports from, whether at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def core_modules_beyond_the_surfaces(paths: list[Path], surfaces: set[str]) -> set[str]:
    return {
        f"{'/'.join(path.parts[-3:])}: {module}"
        for path in paths
        for module in imported_modules(path)
        if module.split(".")[0] == "hotswap" and module not in surfaces
    }


def test_plugin_tests_import_only_the_surfaces_of_the_core():
    tests = [*sorted(REPO.glob("plugins/*/tests/*.py")), REPO / "plugins" / "conftest.py"]

    assert core_modules_beyond_the_surfaces(tests, CORE_SURFACES) == set()


@pytest.fixture(params=["openai-compatible", "custom"])
def generated(request, tmp_path) -> Path:
    """A plugin generated from cookiecutter-provider, in each wire format."""
    from cookiecutter.main import cookiecutter

    answers = {"wire_format": request.param}
    made = cookiecutter(str(TEMPLATE), no_input=True, extra_context=answers, output_dir=tmp_path)
    return Path(made)


def test_a_generated_plugin_imports_only_hotswap_the_kit_and_openai_compat(generated):
    sources = sorted((generated / "src").rglob("*.py"))

    assert sources
    assert core_modules_beyond_the_surfaces(sources, {"hotswap", "hotswap.plugin"}) == set()
    assert {m for p in sources for m in imported_modules(p) if m.startswith("hotswap_openai")} <= {
        "hotswap_openai.compat"
    }


def test_a_generated_plugins_tests_import_only_the_surfaces_of_the_core(generated):
    tests = sorted((generated / "tests").rglob("*.py"))

    assert tests
    assert core_modules_beyond_the_surfaces(tests, CORE_SURFACES) == set()


def test_plugins_use_another_plugin_only_through_hotswap_openai_compat():
    packages = {
        p.parent.name: p.parents[2] for p in REPO.glob("plugins/*/src/hotswap_*/__init__.py")
    }

    borrowed = {
        f"{path.relative_to(REPO)}: {module}"
        for package, directory in packages.items()
        for path in sorted(directory.rglob("*.py"))
        for module in imported_modules(path)
        if module.split(".")[0] in set(packages) - {package}
        and module not in ("hotswap_openai", "hotswap_openai.compat")
    }

    assert borrowed == set()
