"""hotswap uses its dependencies (httpx2, httpcore2, pydantic, pluggy, aiohttp) through their
public APIs only: no source module of the core or of a plugin reads a ``_private`` attribute of an
object that is not its own, so no release of a dependency can break it silently.

The scan is syntactic: ``x._name`` is allowed where ``x`` is ``self``, ``cls``, ``super()`` or a
name imported from hotswap or a plugin; anything else must be listed below, with the reason it is
one of our own objects.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOURCES = [REPO / "core" / "src", *sorted(REPO.glob("plugins/*/src"))]

# Receivers that are hotswap's own objects, by package or module (a path prefix): a private
# attribute read on them is ours.
OWN_OBJECTS: dict[str, set[str]] = {
    # A session's turns wrap the ChainStream they started.
    "hotswap/engine/": {"stream"},
    # Secret.__eq__ compares with another Secret.
    "hotswap/types/redaction.py": {"other"},
}


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _own_names(tree: ast.Module) -> set[str]:
    """The names a module binds by importing from hotswap or a plugin."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("hotswap"):
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("hotswap"):
                    names.add(alias.asname or alias.name.split(".")[0])
    return names


def _is_own(receiver: ast.expr, own: set[str]) -> bool:
    if isinstance(receiver, ast.Name):
        return receiver.id in own
    if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name):
        return receiver.func.id == "super"
    return ast.unparse(receiver) in own


def private_reads(path: Path, relative: str) -> Iterator[tuple[str, str]]:
    """``(relative path, expression)`` for each private attribute ``path`` reads on an object
    that is not known to be its own, including through ``getattr(x, "_name")``."""
    tree = ast.parse(path.read_text(), str(path))
    own = {"self", "cls"} | _own_names(tree)
    own |= {
        name
        for prefix, names in OWN_OBJECTS.items()
        if relative.startswith(prefix)
        for name in names
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_private(node.attr):
            receiver = node.value
            name = node.attr
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _is_private(node.args[1].value)
        ):
            receiver = node.args[0]
            name = node.args[1].value
        else:
            continue
        if not _is_own(receiver, own):
            yield relative, f"{ast.unparse(receiver)}.{name}"


def all_private_reads() -> set[tuple[str, str]]:
    return {
        found
        for root in SOURCES
        for path in sorted(root.rglob("*.py"))
        for found in private_reads(path, path.relative_to(root).as_posix())
    }


def test_no_source_module_reads_a_private_attribute_of_another_librarys_object():
    found = all_private_reads()

    assert found == set()


def test_the_scan_finds_a_private_read_on_a_library_object(tmp_path):
    module = tmp_path / "reader.py"
    module.write_text(
        "import httpx2\n"
        "from hotswap.plugin import Framing\n"
        "def f(client: httpx2.Client):\n"
        "    client._transport_for_url(1)\n"
        "    getattr(client, '_pool')\n"
        "    Framing._own\n"
        "    self._mine\n"
    )

    found = set(private_reads(module, "reader.py"))

    assert found == {("reader.py", "client._transport_for_url"), ("reader.py", "client._pool")}
