"""Redaction of secrets in reports and text output (issue 5, "Secrets").

Signature secrets, tokens, signature values and key ids are shown as their first two
characters, an ellipsis and their length: ``s3cr3t`` → ``s3…(6 chars)``.  A value of four
characters or fewer keeps no characters (``…(3 chars)``), so a short value is never shown
whole; an empty value stays empty.  Commands print redacted values by default and real ones
with ``--show-secrets``.  Machine outputs that a contract fixes (``eval --format json``'s
``token``) and converted documents are never redacted.
"""

from __future__ import annotations

import re
from typing import Any, Iterable
from urllib.parse import quote, quote_plus

_WORD = "A-Za-z0-9"


def redact(value: str) -> str:
    """Return the redacted form of one secret value.

    ``""`` → ``""``; ``"s3cr3t"`` → ``"s3…(6 chars)"``; ``"abc"`` → ``"…(3 chars)"``.
    """
    if not value:
        return value
    keep = value[:2] if len(value) > 4 else ""
    return f"{keep}…({len(value)} chars)"


def variants(values: Iterable[str | None]) -> set[str]:
    """The non-empty ``values`` plus their percent-encoded forms (as they appear in a URL) and
    their ``repr`` form without quotes (as a value with escapes appears in ``'…'`` text)."""
    out: set[str] = set()
    for v in values:
        if v:
            out.update({v, quote(v, safe=""), quote_plus(v, safe=""), repr(v)[1:-1]})
    return out


GLUED_MIN = 8
"""Secrets at least this long are redacted wherever they occur, even glued inside a longer
word (a storage key ``apikey-org1<token>``, a header value); shorter ones only as whole words."""


def redact_in(text: str, secrets: Iterable[str]) -> str:
    """Replace every occurrence of each secret in ``text`` with :func:`redact` of it.

    Longer secrets are replaced first (so ``org1abc123`` wins over ``abc123``).  A secret of
    :data:`GLUED_MIN` characters or more is replaced anywhere; a shorter one only where it is
    not glued to a letter or digit on either side (a token ``ab`` does not garble the word
    ``table``).  Callers add the forms a short key takes inside other strings (``org1`` +
    key, generated tokens) to ``secrets``.  Returns ``text`` unchanged when there are no secrets.
    """
    ordered = sorted({s for s in secrets if s}, key=len, reverse=True)
    if not ordered:
        return text
    pattern = re.compile("|".join(
        re.escape(s) if len(s) >= GLUED_MIN else f"(?<![{_WORD}]){re.escape(s)}(?![{_WORD}])"
        for s in ordered))
    return pattern.sub(lambda m: redact(m.group(0)), text)


def secrets_in_document(data: Any) -> set[str]:
    """Every string value of a member named ``secret`` anywhere in a document (the Classic
    ``signature.secret`` and the OAS ``signatureValidation.secret``, also in other auth
    configs and the deprecated ``auth`` object)."""
    found: set[str] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "secret" and isinstance(value, str) and value:
                    found.add(value)
                elif isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return found
