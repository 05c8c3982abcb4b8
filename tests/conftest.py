"""Fixtures shared by the whole suite: fake installed plugins and fresh virtual environments."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import keyring.core
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.compat.properties import classproperty

from hotswap import Completion, ErrorKind, Finish, FinishReason, PluginHost, TextDelta
from hotswap.plugin import hookimpl
from hotswap.plugin.framing import Frame
from hotswap.types.errors import ErrorClassification
from hotswap.types.events import StreamFailure
from hotswap.types.http import HttpRequest, HttpResponse
from hotswap.types.providers import Capabilities, KnownModel, ProviderInfo

REPO = Path(__file__).resolve().parents[1]

InstallPlugin = Callable[..., Path]


def write_distribution(
    site: Path, module: str, source: str, *, entry_points: dict[str, str], dist: str
) -> None:
    """Lay out an installed distribution the way an installer would: the module and a
    ``.dist-info`` directory whose entry points name it."""
    (site / f"{module}.py").write_text(textwrap.dedent(source))
    info = site / f"{dist.replace('-', '_')}-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1.0\n")
    lines = "\n".join(f"{name} = {target}" for name, target in entry_points.items())
    (info / "entry_points.txt").write_text(f"[hotswap]\n{lines}\n")


@pytest.fixture
def install_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[InstallPlugin]:
    """Install a plugin module into a throwaway site directory on ``sys.path``, as a
    distribution with an entry point in the ``hotswap`` group. Returns the site directory."""
    site = tmp_path / "site-packages"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    installed: list[str] = []

    def install(name: str, source: str, *, module: str | None = None) -> Path:
        module_name = module or f"hotswap_{name}"
        write_distribution(
            site, module_name, source, entry_points={name: module_name}, dist=f"hotswap-{name}"
        )
        installed.append(module_name)
        return site

    yield install
    for module_name in installed:
        sys.modules.pop(module_name, None)


def _uv() -> str:
    found = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if found is None:
        pytest.skip("uv is needed to build a fresh virtual environment")
    return found


@pytest.fixture
def fresh_venv(tmp_path: Path) -> Callable[..., Path]:
    """Build a new virtual environment holding the core and the given extra packages (paths,
    or requirement strings such as ``"pytest"``), and nothing else from this workspace.
    Returns its python executable."""

    def build(*packages: Path | str) -> Path:
        venv = tmp_path / "venv"
        env = {**os.environ, "VIRTUAL_ENV": str(venv)}
        subprocess.run(
            [_uv(), "venv", "--quiet", "--python", sys.executable, str(venv)], check=True, env=env
        )
        python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        subprocess.run(
            [_uv(), "pip", "install", "--quiet", "--python", str(python), str(REPO / "core")]
            + [str(p) for p in packages],
            check=True,
            env=env,
        )
        return python

    return build


# -- an in-memory keychain, so that no test reads or writes the real one ----------------------


class MemoryKeyring(KeyringBackend):
    """A keychain held in a dict."""

    @classproperty
    def priority(cls) -> float:
        # Raising makes the backend "not viable", so keyring never picks it up by itself.
        raise RuntimeError("for tests only")

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.passwords[(service, username)]


class LockedKeyring(MemoryKeyring):
    """A keychain whose backend fails on every read, as a locked one does."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("the keychain is locked")


@pytest.fixture
def keychain(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    """An empty in-memory keychain, installed for the test that asks for it and removed after."""
    # Setting the attribute to its own value makes monkeypatch restore it after the test,
    # without asking keyring to detect (and so touch) the real backend.
    monkeypatch.setattr(keyring.core, "_keyring_backend", keyring.core._keyring_backend)
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def locked_keychain(keychain: MemoryKeyring) -> LockedKeyring:
    """A keychain whose backend fails on every read, installed in place of the empty one."""
    backend = LockedKeyring()
    keyring.set_keyring(backend)
    return backend


# -- a toy provider, for testing the core without any real plugin ------------------------------


class AcmeTranslator:
    framing = "sse"

    def __init__(self) -> None:
        self.finished = False

    def translate(self, frame: Frame):
        data = frame.json()
        if "error" in data:
            return [StreamFailure(data)]
        if "done" in data:
            self.finished = True
            return [Finish(FinishReason.STOP, "done")]
        return [TextDelta(data["text"])]


class Acme:
    """A toy provider implementing every provider hook: JSON in, SSE out."""

    @hookimpl
    def hotswap_register_providers(self, register):
        register(
            ProviderInfo(
                name="acme",
                base_url="https://api.acme.test/v1",
                auth={"api_key": {"env_vars": ["ACME_API_KEY"], "credential": "acme_key"}},
                capabilities=Capabilities(thinking=True, vision=True),
                models=(
                    KnownModel(id="acme-1", context_window=8_000),
                    KnownModel(id="acme-2", context_window=8_000),
                    KnownModel(id="acme-3", context_window=200_000),
                    KnownModel(
                        id="acme-mini",
                        context_window=4_000,
                        capabilities=Capabilities(tools=False, thinking=False, vision=False),
                    ),
                ),
            )
        )

    @hookimpl
    def hotswap_auth_headers(self, model, credential):
        if model.provider != "acme":
            return None
        return {"authorization": f"Bearer {credential.secret.reveal()}"}

    @hookimpl
    def hotswap_build_request(self, model, request, stream):
        if model.provider != "acme":
            return None
        body = {
            "model": model.model,
            "prompt": request.messages[-1].text,
            "messages": [[message.role, message.text] for message in request.messages],
            "stream": stream,
        }
        return HttpRequest("POST", "/complete", json=body, stream=stream)

    @hookimpl
    def hotswap_parse_response(self, model, response):
        if model.provider != "acme":
            return None
        return Completion(text=response.json()["text"], model_id=model.model)

    @hookimpl
    def hotswap_stream_translator(self, model, request):
        return AcmeTranslator() if model.provider == "acme" else None

    @hookimpl
    def hotswap_classify_error(self, model, failure):
        if model.provider != "acme" or not isinstance(failure, HttpResponse):
            return None
        if failure.json() == {"error": "too_long"}:
            return ErrorClassification(ErrorKind.CONTEXT_LENGTH, "prompt too long")
        return None


@pytest.fixture
def acme_host(monkeypatch: pytest.MonkeyPatch) -> PluginHost:
    """A plugin host holding only the toy ``acme`` provider, with no acme key in the environment."""
    monkeypatch.delenv("ACME_API_KEY", raising=False)
    host = PluginHost(entry_points=[])
    host.register(Acme(), name="acme")
    return host
