"""Tyk key formats and key hashing (spec §7; Tyk internal/crypto/token.go and hash.go).

* :func:`generate_token` — ``GenerateToken`` (legacy ``org + id`` or base64-JSON custom token).
* :func:`token_org`, :func:`token_id`, :func:`token_hash_algo` — the token inspectors.
* :func:`hash_str` — ``HashStr``: the storage hash of a key (murmur32 Tyk variant, murmur64,
  murmur128, sha256), lower-case hex.
* :func:`storage_key` — the Redis key ``apikey-`` + (hashed or plain) key.

murmur32 is implemented here (Tyk's fork returns the unfinalised block state, so it cannot be
taken from a library); murmur64/128 come from ``mmh3`` (x64-128, seed 0), sha256 from hashlib.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json

import mmh3

HASH_FUNCTIONS = ("murmur32", "murmur64", "murmur128", "sha256")
"""Names Tyk's ``hashFunction`` knows; anything else falls back to murmur32 when hashing."""
DEFAULT_HASH_ALGORITHM = "murmur64"
"""Used by ``GenerateToken`` when the configured hash function is unknown."""
KEY_PREFIX = "apikey-"
"""Redis key prefix of sessions (``RedisCluster.KeyPrefix`` for the session store)."""

_M32 = 0xFFFFFFFF


def _rotl32(x: int, r: int) -> int:
    return ((x << r) | (x >> (32 - r))) & _M32


def murmur32_tyk(data: bytes) -> str:
    """Tyk's murmur32 variant (TykTechnologies/murmur3 fork, spec §7): seed 0; only whole 4-byte
    little-endian blocks are mixed; trailing 1–3 bytes, the length and the final avalanche are
    ignored; the 32-bit state is printed big-endian as 8 lower-case hex chars.

    ``murmur32_tyk(b"org1abc123") == murmur32_tyk(b"org1abc1") == "f33bf1e8"``.
    """
    h = 0
    for i in range(0, len(data) - len(data) % 4, 4):
        k = int.from_bytes(data[i:i + 4], "little")
        k = (k * 0xCC9E2D51) & _M32
        k = _rotl32(k, 15)
        k = (k * 0x1B873593) & _M32
        h ^= k
        h = _rotl32(h, 13)
        h = (h * 5 + 0xE6546B64) & _M32
    return f"{h:08x}"


def _b64_json(token: str) -> dict | None:
    try:
        raw = base64.b64decode(token.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def token_hash_algo(token: str) -> str:
    """``TokenHashAlgo``: the ``h`` field of a base64-JSON token starting with ``ey``, else ""."""
    if token.startswith("ey"):
        data = _b64_json(token)
        if data is not None and isinstance(data.get("h"), str):
            return data["h"]
    return ""


def token_id(token: str) -> str | None:
    """``TokenID``: the ``id`` of a base64-JSON token, or None when it is not one."""
    data = _b64_json(token)
    if data is not None and isinstance(data.get("id"), str):
        return data["id"]
    return None


def token_org(token: str) -> str:
    """``TokenOrg``: ``org`` of a base64-JSON token; else the first 24 chars when the token is
    longer than 24 bytes and they are hex (Mongo ObjectId org); else ""."""
    if token.startswith("ey"):
        data = _b64_json(token)
        if data is not None and isinstance(data.get("org"), str):
            return data["org"]
    if len(token.encode("utf-8", "surrogateescape")) > 24:
        head = token[:24]
        if all(c in "0123456789abcdefABCDEF" for c in head):
            return head
    return ""


def generate_token(org_id: str, key_id: str, hash_algorithm: str = "") -> str:
    """``Gateway.generateToken`` + ``GenerateToken``: remove a leading ``org_id`` from
    ``key_id``; with a hash algorithm (unknown names become ``murmur64``) return standard base64
    of ``{"org":"<org>","id":"<id>","h":"<algo>"}``, else the legacy ``org_id + key_id``."""
    if org_id and key_id.startswith(org_id):
        key_id = key_id[len(org_id):]
    if hash_algorithm:
        if hash_algorithm not in HASH_FUNCTIONS:
            hash_algorithm = DEFAULT_HASH_ALGORITHM
        text = f'{{"org":"{org_id}","id":"{key_id}","h":"{hash_algorithm}"}}'
        return base64.b64encode(text.encode("utf-8", "surrogateescape")).decode("ascii")
    return org_id + key_id


def hash_str(key: str, algorithm: str = "") -> str:
    """``HashStr``: hex digest of ``key`` with ``algorithm``, or (when "") the algorithm named
    in the key's base64-JSON ``h`` field; legacy keys and unknown names use murmur32 (Tyk
    variant).  murmur64 = h1 of MurmurHash3 x64-128 (16 hex), murmur128 = h1‖h2 (32 hex),
    both big-endian; sha256 = 64 hex."""
    algo = algorithm or token_hash_algo(key)
    data = key.encode("utf-8", "surrogateescape")
    if algo == "sha256":
        return hashlib.sha256(data).hexdigest()
    if algo in ("murmur64", "murmur128"):
        h1, h2 = mmh3.hash64(data, seed=0, x64arch=True, signed=False)
        return f"{h1:016x}" if algo == "murmur64" else f"{h1:016x}{h2:016x}"
    return murmur32_tyk(data)


def storage_key(key: str, hash_keys: bool) -> str:
    """The Redis key of a session (``RedisCluster.fixKey``): ``apikey-`` + (``hash_str(key)``
    when ``hash_keys`` else ``key``)."""
    return KEY_PREFIX + (hash_str(key) if hash_keys else key)
