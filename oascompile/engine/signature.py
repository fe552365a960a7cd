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

from oascompile.engine.clock import DEFAULT_MAX_SKEW_WINDOW
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
        limit_note: set when ``allowed_clock_skew`` exceeded the window cap and no timestamp
            within the cap matched (the refusal is then not exact: Tyk would go on trying);
            "" otherwise.
    """

    ok: bool
    status: int | None
    error: str | None
    detail: str
    candidates: tuple[str, ...] = ()
    limit_note: str = ""


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


def skew_timestamps(now: int, skew: int):  # noqa: ANN201 - generator
    """The timestamps Tyk tries, lazily and in its order (signature_validator ``Validate``):
    ``now, now+1, now-1, …, now+skew, now-skew``; nothing when ``skew`` is negative."""
    if skew < 0:
        return
    yield now
    for i in range(1, skew + 1):
        yield now + i
        yield now - i


def _matches(algorithm: str, key: str, secret: str, sig: bytes, now: int, window: int) -> int | None:
    """The first timestamp (Tyk's order) within ``±window`` whose digest equals ``sig``, or None.

    Only the decimal timestamp changes between digests, so the ``key + secret`` bytes are encoded
    once; the loop stops at the first match."""
    digest = _ALGORITHMS[algorithm]
    prefix = f"{key}{secret}".encode("utf-8", "surrogateescape")
    for ts in skew_timestamps(now, window):
        if digest(prefix + b"%d" % ts).digest() == sig:
            return ts
    return None


def verify_signature(cfg: SignatureConfig, request: Request, key_id: str, org_id: str,
                     meta_data: Mapping[str, Any], now: int,
                     max_window: int = DEFAULT_MAX_SKEW_WINDOW) -> SignatureResult:
    """Validate the request signature (spec §5 steps 1–8).

    Args:
        cfg: the token config's ``signature`` settings (only called when
            ``validate_signature`` is on).
        request: the request (signature header / query parameter are read from it).
        key_id: the session's key id (the stored key that matched, §7).
        org_id: the session's ``org_id``.
        meta_data: the session's ``meta_data`` (for ``$tyk_meta.*`` in the secret).
        now: gateway clock, Unix seconds.
        max_window: the most seconds each side of ``now`` that are tried.  Tyk tries every
            second of ``±allowed_clock_skew``; the result here is the same whenever the skew is
            at most ``max_window``, or a timestamp within ``±max_window`` matches.  Otherwise the
            request is refused and ``limit_note`` says that farther timestamps were not tried.

    Returns:
        a :class:`SignatureResult`; unknown algorithm → 500 ``internal server error``; missing
        signature, empty secret or no match → ``error_code`` (or 401) with ``error_message``
        (or ``Request signature verification failed``).  A signature that does not decode to
        exactly the digest's length (16 bytes MD5, 32 bytes SHA-256) is refused without trying
        any timestamp: Tyk compares with ``bytes.Equal``, so no timestamp could match.
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
    size = _ALGORITHMS[cfg.algorithm]().digest_size
    if len(sig) != size:
        return SignatureResult(False, code, message,
                               f"the signature from {where} decodes to {len(sig)} bytes; a "
                               f"{cfg.algorithm} digest is {size} bytes ({2 * size} hex digits), "
                               "so no timestamp can match", candidates)
    skew = cfg.allowed_clock_skew
    window = min(skew, max_window)
    for cand in candidates:
        ts = _matches(cfg.algorithm, cand, secret, sig, now, window)
        if ts is not None:
            return SignatureResult(True, None, None,
                                   f"{cfg.algorithm} signature from {where} matches key {cand!r} at "
                                   f"timestamp {ts} (now {now}, skew ±{skew}s)", candidates)
    note = ""
    if window < skew:
        note = (f"allowed_clock_skew {skew}s exceeds the simulator's window of ±{window}s "
                "(--max-clock-skew-window): timestamps farther from now were not tried, so a "
                "signature made with one of them would be accepted by Tyk but is refused here")
    return SignatureResult(False, code, message,
                           f"signature from {where} matches none of {list(candidates)} within "
                           f"±{window}s of {now}", candidates, note)
