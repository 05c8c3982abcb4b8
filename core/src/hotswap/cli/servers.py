"""Asking local model servers which models they have, for ``hotswap models``.

A provider whose models depend on the server (a local Ollama lists what has been pulled) describes a
listing request (``hotswap_list_models_request``); :func:`hotswap.engine.catalog.list_models` sends
it. Each server is asked once: the one every configured model of such a provider talks to, and the
provider's default one. Only servers on this machine or the local network are asked, so listing
never waits on, or sends a key to, a remote service.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from hotswap.cli.terminal import Spinner
    from hotswap.config import ModelConfig
    from hotswap.plugin.host import PluginHost

__all__ = ["ServerListing", "is_local", "list_servers"]


@dataclass(frozen=True)
class ServerListing:
    """What one server said.

    :param provider: the provider it serves.
    :param server: its address, ``scheme://host:port``.
    :param models: the model ids it has, or None when it did not answer.
    """

    provider: str
    server: str
    models: tuple[str, ...] | None


def list_servers(
    configured: list[ModelConfig], host: PluginHost, spinner: Spinner | None = None
) -> list[ServerListing]:
    """Ask every local server a configured or default model would talk to for its models."""
    from hotswap.engine.catalog import list_models
    from hotswap.wire.transport import Transport

    listings = []
    with Transport() as transport:
        for server, model in _servers(configured, host).items():
            if spinner is not None:
                spinner.update(f"asking {server} for its models")
            found = list_models(model, host=host, transport=transport)
            models = None if found is None else tuple(known.id for known in found)
            listings.append(ServerListing(model.provider, server, models))
    return listings


def _servers(configured: list[ModelConfig], host: PluginHost) -> dict[str, ModelConfig]:
    """Each local server that can list its models, with a model that talks to it."""
    from hotswap.config import ModelConfig

    servers: dict[str, ModelConfig] = {}
    for name, provider in sorted(host.providers().items()):
        default = ModelConfig(name=name, provider=name, model=name)
        for model in [m for m in configured if m.provider == name] + [default]:
            request = host.list_models_request(model)
            if request is None:
                break  # this provider's servers keep no list
            absolute = request.path.startswith(("http://", "https://"))
            parts = urlsplit(request.path if absolute else model.base_url or provider.base_url)
            server = f"{parts.scheme}://{parts.netloc}"
            if is_local(parts.hostname or ""):
                servers.setdefault(server, model)
    return servers


def is_local(hostname: str) -> bool:
    """Whether ``hostname`` is this machine or on the local network: a loopback or private
    address, ``localhost``, a name without dots (``gpu-box``) or a ``.local`` name."""
    try:
        address = ipaddress.ip_address(hostname)
    except ValueError:
        return hostname == "localhost" or "." not in hostname or hostname.endswith(".local")
    return address.is_loopback or address.is_private or address.is_link_local
