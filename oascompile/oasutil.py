"""Small helpers for Tyk OAS documents: readable durations and local ``$ref`` resolution.

Named after Tyk's ``apidef/oas/oasutil.go``; used by the reader (:mod:`oascompile.oas`) and
the writer (:mod:`oascompile.oas_fill`).
"""

from __future__ import annotations

import re
from typing import Any

from oascompile import pointer as jp
from oascompile.load import Document, json_type_name

_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


# ------------------------------------------------------------------------------ durations
def parse_duration(text: str) -> int | None:
    """``"1h30m"`` → 5400 seconds (Tyk ``ReadableDuration``); None when malformed."""
    m = _DURATION.match(text)
    if not m or not text:
        return None
    h, mi, s = (int(g) if g else 0 for g in m.groups())
    return h * 3600 + mi * 60 + s


def format_duration(seconds: int) -> str:
    """5400 → ``"1h30m"``, 90 → ``"1m30s"``, 0 → ``"0s"`` (spec F9, example M18)."""
    if seconds <= 0:
        return "0s"
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return (f"{h}h" if h else "") + (f"{m}m" if m else "") + (f"{s}s" if s else "")


# ------------------------------------------------------------------------------ $ref
def resolve_scheme_ref(doc: Document, ptr: str, scheme: Any) -> tuple[str, Any]:
    """Follow a security scheme's local ``$ref`` chain (an OpenAPI Reference Object).

    Args:
        doc: the document (for the target and for located errors).
        ptr: JSON Pointer of the scheme, e.g. ``/components/securitySchemes/authToken``.
        scheme: its value.

    Returns:
        ``(pointer of the scheme actually used, its value)``; ``(ptr, scheme)`` unchanged when
        it is not a reference.

    Raises:
        InputError: at the ``$ref`` member, for a non-string ``$ref``, a reference outside the
            document (remote or another file: never fetched, so compile and eval never use
            the network), a reference that does not resolve, or a cycle.
    """
    from urllib.parse import unquote

    seen = [ptr]
    while isinstance(scheme, dict) and "$ref" in scheme:
        ref, at = scheme["$ref"], jp.child(seen[-1], "$ref")
        if not isinstance(ref, str):
            raise doc.error(f"`$ref` must be a string, not {json_type_name(ref)}", at)
        if not ref.startswith("#"):
            raise doc.error(f"$ref {ref!r} points outside this document; oascompile does not "
                            "fetch or read it (no network): copy the security scheme into "
                            "components/securitySchemes", at)
        target = unquote(ref[1:])
        if target in seen:
            raise doc.error("$ref cycle: " + " → ".join(seen + [target]), at)
        try:
            scheme = jp.resolve(doc.data, target)
        except (KeyError, ValueError):
            raise doc.error(f"unresolvable $ref {ref!r}: nothing at {target or '/'} in this "
                            "document", at) from None
        seen.append(target)
    return seen[-1], scheme
