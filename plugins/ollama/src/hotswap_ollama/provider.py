"""What the plugin declares, and where the Ollama server is.

``ollama`` needs no key (auth type ``none``, the default); ``api_key`` is for Ollama's cloud
(``https://ollama.com``), sent as a bearer token. The server is the model's ``base_url``, else
``OLLAMA_HOST`` read as the ``ollama`` command reads it, else ``http://localhost:11434``.

The known models are a few common ones with what they can do, so that a request for thinking
is not sent to a model that cannot think (Ollama refuses it); any model the server has can be
configured, and ``hotswap models`` lists what it has pulled.
"""

from __future__ import annotations

import ipaddress
import os

from hotswap.plugin import (
    AuthType,
    Capabilities,
    CredentialSpec,
    KnownModel,
    ModelConfig,
    ProviderInfo,
)

PROVIDER = "ollama"
DEFAULT_URL = "http://localhost:11434"
HOST_VARIABLE = "OLLAMA_HOST"

_DEFAULT_PORT = "11434"
_CHAT = Capabilities(tools=True, streaming=True, thinking=False, vision=False)
_REASONING = Capabilities(tools=True, streaming=True, thinking=True, vision=False)


def _model(id: str, context: int, capabilities: Capabilities, *aliases: str) -> KnownModel:
    return KnownModel(id=id, aliases=aliases, context_window=context, capabilities=capabilities)


INFO = ProviderInfo(
    name=PROVIDER,
    display_name="Ollama",
    base_url=DEFAULT_URL,
    auth={
        AuthType.NONE: CredentialSpec(),
        AuthType.API_KEY: CredentialSpec(env_vars=("OLLAMA_API_KEY",), credential="ollama_key"),
    },
    capabilities=Capabilities(tools=True, streaming=True, thinking=True, vision=True),
    models=(
        _model("llama3.2", 131_072, _CHAT, "llama3.2:latest"),
        _model("llama3.1", 131_072, _CHAT, "llama3.1:latest"),
        _model("llama3", 8_192, Capabilities(tools=False, thinking=False), "llama3:latest"),
        _model("qwen3", 40_960, _REASONING, "qwen3:latest"),
        _model("gpt-oss:20b", 131_072, _REASONING, "gpt-oss", "gpt-oss:latest"),
        _model("gpt-oss:120b", 131_072, _REASONING),
    ),
)


def server_url(model: ModelConfig) -> str:
    """The base URL of the Ollama server ``model`` talks to, without a trailing slash."""
    if model.base_url:
        return model.base_url.rstrip("/")
    value = os.environ.get(HOST_VARIABLE, "").strip()
    return parse_host(value) if value else DEFAULT_URL


def parse_host(value: str) -> str:
    """An ``OLLAMA_HOST`` value as a URL to connect to, read as Ollama reads it: a missing
    scheme is ``http``, a missing port is 11434 (80 or 443 when the scheme is given), a bare
    ``ollama.com`` is the cloud, and an invalid port is the default. A bind-all address
    (``0.0.0.0``, ``::``, or none, as in ``:11434``) means this machine."""
    scheme, separator, rest = value.strip().partition("://")
    default_port = _DEFAULT_PORT
    if not separator:
        if value.strip() == "ollama.com":
            return "https://ollama.com"
        scheme, rest = "http", value.strip()
    elif scheme in ("http", "https"):
        default_port = "80" if scheme == "http" else "443"
    hostport, slash, path = rest.partition("/")
    split = _split_host_port(hostport)
    if split is None:
        host, port = hostport.strip("[]") or "127.0.0.1", default_port
    else:
        host, port = split
    if not (port.isdigit() and int(port) <= 65535):
        port = default_port
    host = _connectable(host)
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}:{port}" + (f"/{path}".rstrip("/") if slash else "")


def _split_host_port(hostport: str) -> tuple[str, str] | None:
    """``host:port`` or ``[v6]:port`` split in two; None when there is no port."""
    if hostport.startswith("["):
        end = hostport.find("]")
        if end < 0 or hostport[end + 1 : end + 2] != ":":
            return None
        return hostport[1:end], hostport[end + 2 :]
    if hostport.count(":") != 1:
        return None
    host, _, port = hostport.partition(":")
    return host, port


def _connectable(host: str) -> str:
    """The address a client reaches ``host`` at: a server told to listen on every address
    (``0.0.0.0``, ``::``, or none) is reached on loopback."""
    if not host:
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if address.is_unspecified:
        return "::1" if address.version == 6 else "127.0.0.1"
    return str(address)
