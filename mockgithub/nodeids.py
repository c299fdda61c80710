"""GitHub's global node ids (``WFR_kwDO…``): a type prefix and an opaque, reversible payload.

GitHub's current ids are a prefix naming the type, ``_``, and URL-safe base64 (no padding) of a
MessagePack array holding a version and database ids. The mock writes ``[0, database id]`` the
same way, so ``node(id:)`` in GraphQL can find the object again without any table, and REST and
GraphQL agree on every id. The two fixed MessagePack shapes are written by hand: a general
encoder would be a dependency for eleven bytes.
"""

from __future__ import annotations

import base64
import binascii
import struct

# MessagePack: fixarray of 2, positive fixint 0, then uint32 (0xce) or uint64 (0xcf).
_HEAD_32 = b"\x92\x00\xce"
_HEAD_64 = b"\x92\x00\xcf"

# GitHub's type prefixes for the objects the mock serves.
PREFIXES = {
    "Repository": "R",
    "User": "U",
    "Organization": "O",
    "Bot": "BOT",
    "Workflow": "W",
    "WorkflowRun": "WFR",
    "CheckSuite": "CS",
    "CheckRun": "CR",
    "Commit": "C",
    "Ref": "REF",
}
TYPES = {prefix: name for name, prefix in PREFIXES.items()}


def encode(prefix: str, database_id: int) -> str:
    """The node id of the object of type ``prefix`` (``WFR``, ``CR``, ...) with this id."""
    if database_id < 1 << 32:
        packed = _HEAD_32 + struct.pack(">I", database_id)
    else:
        packed = _HEAD_64 + struct.pack(">Q", database_id)
    return f"{prefix}_{base64.urlsafe_b64encode(packed).decode().rstrip('=')}"


def decode(node_id: str) -> tuple[str, int] | None:
    """``(GraphQL type name, database id)`` of one of the mock's node ids, else None."""
    prefix, _, payload = node_id.partition("_")
    kind = TYPES.get(prefix)
    if kind is None or not payload:
        return None
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except (binascii.Error, ValueError):
        return None
    if len(raw) == 7 and raw.startswith(_HEAD_32):
        return kind, struct.unpack(">I", raw[3:])[0]
    if len(raw) == 11 and raw.startswith(_HEAD_64):
        return kind, struct.unpack(">Q", raw[3:])[0]
    return None
