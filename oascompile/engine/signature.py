"""Mashery-style request signatures (spec §5; Tyk ``AuthKey.validateSignature`` and
signature_validator/validate.go).

:func:`verify_signature` runs the three candidate keys of spec §5 step 8 and reports which
candidate and timestamp matched, or why the request is refused.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any, Mapping

from oascompile.engine.hashing import token_id
from oascompile.engine.request import Request
from oascompile.ir import SignatureConfig

DEFAULT_ERROR_CODE = 401
DEFAULT_ERROR_MESSAGE = "Request signature verification failed"
_ALGORITHMS = {"MasherySHA256": hashlib.sha256, "MasheryMD5": hashlib.md5}
_META_RE = re.compile(r"\$tyk_meta.([A-Za-z0-9_\-.]+)")


@dataclass(frozen=True)
class SignatureResult:
    """Outcome of signature validation.

    Attributes:
        ok: the request passes.
        status: HTTP status on failure (``error_code`` or 401; 500 for an unknown algorithm).
        error: the message on failure.
        detail: human-readable account (which candidate/timestamp matched, or why not).
        candidates: the candidate keys tried, in order.
    """

    ok: bool
    status: int | None
    error: str | None
    detail: str
    candidates: tuple[str, ...] = ()


def meta_to_str(value: Any) -> str:
    """Tyk ``valToStr`` for session metadata: strings as is, numbers in shortest decimal form,
    lists as the comma-joined query-escaped items; other types become ""."""
    from oascompile.engine.request import query_escape

    if isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list):
        return ",".join(query_escape(s) for s in (meta_to_str(v) for v in value) if s)
    return ""


def substitute_secret(secret: str, meta_data: Mapping[str, Any]) -> str:
    """Tyk ``ReplaceTykVariables`` for the parts a simulator can know: every
    ``$tyk_meta.<field>`` is replaced by the session's ``meta_data[field]`` (missing → "").
    ``$tyk_context.*``, ``$secret_*`` and KV references are left as written."""
    if "$tyk_meta." not in secret:
        return secret
    for var in _META_RE.findall(secret):
        token = "$tyk_meta." + var
        secret = secret.replace(token, meta_to_str(meta_data[var]) if var in meta_data else "")
    return secret


def partial_hex_decode(s: str) -> bytes:
    """Go ``hex.DecodeString`` keeping the bytes decoded before the first error (spec §5 step 6,
    quirk 32): ``"7baa…d64dXYZ"`` decodes to the digest bytes."""
    out = bytearray()
    for i in range(0, len(s) - 1, 2):
        pair = s[i:i + 2]
        if not all(c in "0123456789abcdefABCDEF" for c in pair):
            break
        out.append(int(pair, 16))
    return bytes(out)


def mashery_digest(algorithm: str, key: str, secret: str, timestamp: int) -> bytes:
    """``HASH(key + secret + decimal(timestamp))`` with SHA-256 or MD5 (spec §5 step 6).

    Raises KeyError for an algorithm other than ``MasherySHA256``/``MasheryMD5``."""
    return _ALGORITHMS[algorithm](f"{key}{secret}{timestamp}".encode("utf-8", "surrogateescape")).digest()


def signature_candidates(key_id: str, org_id: str) -> tuple[str, ...]:
    """Candidate keys of spec §5 step 8 (``AuthKey.ProcessRequest``): (a) ``key_id`` without the
    session org prefix when it starts with it, (b) the ``id`` of a base64-JSON key, (c) the key."""
    out = []
    if key_id.startswith(org_id):
        out.append(key_id[len(org_id):])
    tid = token_id(key_id)
    if tid is not None:
        out.append(tid)
    out.append(key_id)
    return tuple(out)


def _matches(algorithm: str, key: str, secret: str, sig: bytes, now: int, skew: int) -> int | None:
    for i in range(0, skew + 1):
        for ts in ((now,) if i == 0 else (now + i, now - i)):
            if mashery_digest(algorithm, key, secret, ts) == sig:
                return ts
    return None


def verify_signature(cfg: SignatureConfig, request: Request, key_id: str, org_id: str,
                     meta_data: Mapping[str, Any], now: int) -> SignatureResult:
    """Validate the request signature (spec §5 steps 1–8).

    Args:
        cfg: the token config's ``signature`` settings (only called when
            ``validate_signature`` is on).
        request: the request (signature header / query parameter are read from it).
        key_id: the session's key id (the stored key that matched, §7).
        org_id: the session's ``org_id``.
        meta_data: the session's ``meta_data`` (for ``$tyk_meta.*`` in the secret).
        now: gateway clock, Unix seconds.

    Returns:
        a :class:`SignatureResult`; unknown algorithm → 500 ``internal server error``; missing
        signature, empty secret or no match → ``error_code`` (or 401) with ``error_message``
        (or ``Request signature verification failed``).
    """
    code = cfg.error_code or DEFAULT_ERROR_CODE
    message = cfg.error_message or DEFAULT_ERROR_MESSAGE
    candidates = signature_candidates(key_id, org_id)
    if cfg.algorithm not in _ALGORITHMS:
        return SignatureResult(False, 500, "internal server error",
                               f"unsupported signature algorithm {cfg.algorithm!r} "
                               "(only MasherySHA256 and MasheryMD5)", candidates)
    signature = request.header(cfg.header)
    where = f"header {cfg.header!r}"
    if cfg.use_param or cfg.param_name:
        pname = cfg.param_name or cfg.header
        value = request.query(pname)
        if value:
            signature, where = value, f"query parameter {pname!r}"
    if not signature:
        return SignatureResult(False, code, message, f"no signature in {where}", candidates)
    secret = substitute_secret(cfg.secret, meta_data)
    if not secret:
        return SignatureResult(False, code, message, "the signature secret is empty after substitution",
                               candidates)
    sig = partial_hex_decode(signature)
    if cfg.allowed_clock_skew < 0:
        return SignatureResult(False, code, message,
                               "allowed_clock_skew is negative: no timestamp is ever accepted", candidates)
    for cand in candidates:
        ts = _matches(cfg.algorithm, cand, secret, sig, now, cfg.allowed_clock_skew)
        if ts is not None:
            return SignatureResult(True, None, None,
                                   f"{cfg.algorithm} signature from {where} matches key {cand!r} at "
                                   f"timestamp {ts} (now {now}, skew ±{cfg.allowed_clock_skew}s)", candidates)
    return SignatureResult(False, code, message,
                           f"signature from {where} matches none of {list(candidates)} within "
                           f"±{cfg.allowed_clock_skew}s of {now}", candidates)
