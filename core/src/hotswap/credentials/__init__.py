"""Finding a model's credential, and writing one back.

:func:`resolve_credential` looks in a fixed order and returns the first value it finds.
For ``api_key`` and ``oauth_token``:

1. **Environment variables** named by the provider's :class:`~hotswap.types.auth.CredentialSpec`
   (``ANTHROPIC_API_KEY``); the first non-empty one wins.
2. **hotswap's credentials directory**, ``credentials_dir()/TYPE/INSTANCE/FIELD``
   (``~/.config/hotswap/credentials/anthropic_key/default/token``; ``$HOTSWAP_CREDENTIALS_DIR``
   moves it). One plain-text file per field, trimmed on read.
3. **An Action Llama credentials tree**, same layout: ``$AL_CREDENTIALS_PATH``, else
   ``~/.action-llama/credentials``, so Action Llama users can switch without moving their keys.
4. **The OS keychain**, if the optional ``keyring`` package is installed: service ``hotswap``,
   username ``TYPE/INSTANCE`` (``keyring set hotswap anthropic_key/default``). A keychain that
   fails is skipped (logged at debug level).

``TYPE`` is the spec's ``credential`` and ``INSTANCE`` is ``default``, unless the model's config
says ``credential = "TYPE"`` or ``"TYPE:INSTANCE"``; a model that names its credential that way
means that one, so the environment variables (step 1) are not consulted for it. A credential
file, or its instance or type directory, that other users could read or change is refused with
an error naming the ``chmod`` that fixes it; hotswap does not quietly move on to the next place.

For ``pi_auth`` the only place is pi's login file, ``$PI_CODING_AGENT_DIR/auth.json``, else
``~/.pi/agent/auth.json``, at the spec's ``pi_provider`` entry; ``!command`` keys and
environment-variable names in it are resolved as pi resolves them (see
:mod:`hotswap.credentials.pi_auth`). For ``none``, nothing is looked up.

When nothing is found, the :class:`~hotswap.types.errors.CredentialError` names every place looked
in and what to set. :func:`describe_sources` lists the same places, in the same order, with whether
each holds a value, for ``hotswap doctor``.

:func:`store_credential_file` and :func:`update_pi_entry` write credentials back (0600 files,
atomically replaced).
"""

from hotswap.credentials.files import store_credential_file
from hotswap.credentials.keychain import SERVICE as KEYCHAIN_SERVICE
from hotswap.credentials.pi_auth import update_pi_entry
from hotswap.credentials.reference import CredentialRef
from hotswap.credentials.resolver import (
    CredentialSource,
    SourceKind,
    describe_sources,
    resolve_credential,
)

__all__ = [
    "KEYCHAIN_SERVICE",
    "CredentialRef",
    "CredentialSource",
    "SourceKind",
    "describe_sources",
    "resolve_credential",
    "store_credential_file",
    "update_pi_entry",
]
