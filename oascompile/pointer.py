"""RFC 6901 JSON Pointers: building, splitting and resolving."""

from __future__ import annotations

from typing import Any, Iterable

_MISSING = object()


def escape(token: str | int) -> str:
    """Escape one reference token (``~`` → ``~0``, ``/`` → ``~1``), RFC 6901 §3."""
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    """Undo :func:`escape` for one reference token (RFC 6901 §4)."""
    return token.replace("~1", "/").replace("~0", "~")


def join(*tokens: str | int) -> str:
    """Build a pointer from raw tokens: ``join("a", "b/c", 0)`` → ``/a/b~1c/0``."""
    return "".join("/" + escape(t) for t in tokens)


def child(pointer: str, *tokens: str | int) -> str:
    """Append raw tokens to an existing pointer."""
    return pointer + join(*tokens)


def split(pointer: str) -> list[str]:
    """Split a pointer into its unescaped tokens; ``""`` → ``[]``.

    Raises:
        ValueError: when a non-empty pointer does not start with ``/``.
    """
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON Pointer: {pointer!r}")
    return [unescape(t) for t in pointer[1:].split("/")]


def resolve(doc: Any, pointer: str, default: Any = _MISSING) -> Any:
    """Return the value at ``pointer`` in ``doc`` (dicts and lists).

    Returns ``default`` when the pointer does not resolve; raises KeyError when no default
    was given.
    """
    cur = doc
    for token in split(pointer):
        if isinstance(cur, dict) and token in cur:
            cur = cur[token]
        elif isinstance(cur, list) and token.isdigit() and int(token) < len(cur):
            cur = cur[int(token)]
        else:
            if default is _MISSING:
                raise KeyError(pointer)
            return default
    return cur


def parents(pointer: str) -> Iterable[str]:
    """Yield ``pointer`` and each of its ancestors, longest first, ending with ``""``."""
    tokens = pointer.split("/") if pointer else [""]
    for n in range(len(tokens), 0, -1):
        yield "/".join(tokens[:n])
