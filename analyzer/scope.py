"""Whose data from which API a cache entry holds: the part of every cache key that scopes it.

The API is named by ``Config.api_identity`` when the caller gives one, else by its base URL.
``bench analyze`` gives the built-in mock an identity made of its settings, since the mock's URL
has a new port every run: keyed on the URL, every run would leave its entries behind, never to
be found again.

The credential is named by a keyed hash of the token (HMAC-SHA256 under a fixed label that
keeps these hashes apart from any other use of the token), or ``anonymous``: an entry stored
with one token is found again only with that token, never with another one, a rejected one, or
none (which matters on a Redis shared by several users). The token itself is never stored, and
its hash does not give it back: a GitHub token carries well over 100 random bits.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from analyzer.config import Config

_LABEL = b"bench analyzer cache credential v1"
ANONYMOUS = "anonymous"


@lru_cache(maxsize=64)
def credential_id(token: str | None) -> str:
    """A stable name for ``token`` that does not reveal it; ``anonymous`` without one."""
    if not token:
        return ANONYMOUS
    return hmac.new(_LABEL, token.encode(), hashlib.sha256).hexdigest()[:32]


def api_identity(config: Config) -> str:
    """The API's name in cache keys: ``config.api_identity``, else its base URL."""
    return config.api_identity or config.api_url.rstrip("/")


def cache_scope(config: Config) -> dict[str, str]:
    """The scope every cache key of ``config`` includes."""
    return {"api": api_identity(config), "credential": credential_id(config.token)}
