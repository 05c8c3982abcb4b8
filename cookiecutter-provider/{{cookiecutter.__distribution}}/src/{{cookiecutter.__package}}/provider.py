"""What the plugin declares: the provider, where its key is found, what its models can do,
and the models it is known to serve.

hotswap validates this when the plugin loads; a mistake here disables this plugin alone, with
the reason shown by ``hotswap plugins``.
"""

from __future__ import annotations

from hotswap.plugin import AuthType, Capabilities, CredentialSpec, KnownModel, ProviderInfo

PROVIDER = "{{ cookiecutter.name }}"

INFO = ProviderInfo(
    name=PROVIDER,
    display_name="{{ cookiecutter.display_name }}",
    base_url="{{ cookiecutter.base_url }}",
    # One entry per auth type the provider accepts; the first is the default. The key is looked
    # for in the environment variable, then in hotswap's credentials directory
    # (~/.config/hotswap/credentials/CREDENTIAL/default/token), then in the OS keychain.
    # Add AuthType.NONE if the API can be used without a key.
    auth={
        AuthType.API_KEY: CredentialSpec(
            env_vars=("{{ cookiecutter.env_var }}",),
            credential="{{ cookiecutter.__credential }}",
        ),
    },
    # What the models can do unless a known model says otherwise. A chain skips a model that
    # cannot do what a request needs (tools, images, thinking).
    capabilities=Capabilities(
        tools=True,
        streaming=True,
        thinking={{ "True" if cookiecutter.wire_format == "custom" else "False" }},
        vision=False,
    ),
    # Informative, never a gate: `hotswap models` lists these, and the engine uses a context
    # window to skip a model too small for a request. Any other model id is sent as configured.
    models=(
        KnownModel(
            id="{{ cookiecutter.name }}-large",
            aliases=("large",),
            context_window=128_000,
        ),
        KnownModel(
            id="{{ cookiecutter.name }}-small",
            aliases=("small",),
            context_window=32_000,
        ),
    ),
)
