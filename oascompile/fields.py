"""Typed field access for the readers, with provenance and consumption tracking.

Both readers (:mod:`oascompile.classic`, :mod:`oascompile.oas`) read every field through a
:class:`FieldReader`, which

* checks the JSON type the way Go's ``encoding/json`` would (``null`` leaves the zero value; a
  string where a bool is expected is an error), raising :class:`~oascompile.errors.InputError`
  located at the field;
* records which input pointers were *consumed* (mapped into the IR), so that everything else in
  the input can be listed in the migration report as ``dropped``;
* records *provenance*: for each IR field path (``authentication.token.query.name``), the input
  pointer it came from, so that a value changed by a conversion is reported at the right place.
"""

from __future__ import annotations

from typing import Any

from oascompile import pointer as jp
from oascompile.load import Document, json_type_name

SECRET_FIELDS = frozenset({"secret"})
"""Field names whose values are never quoted in error messages (signature secrets)."""

INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1
"""Range of Go's ``int64``/``int`` fields (``session_lifetime``, ``allowed_clock_skew`` …)."""

_TYPE_NAMES = {bool: "a boolean", int: "an integer", str: "a string", dict: "an object",
               list: "an array"}


def _matches(value: Any, expected: type) -> bool:
    if expected is bool:
        return isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, expected)


class FieldReader:
    """Reads fields of one :class:`~oascompile.load.Document` with type checks.

    Attributes:
        doc: the document being read.
        lenient: when true, a value of the wrong type reads as the default instead of raising
            (the linter reads this way: its schema rules report the type error, and every
            other rule still sees the rest of the document).
        consumed: set of input pointers whose values were mapped into the IR.
        provenance: IR field path → input pointer.
    """

    def __init__(self, doc: Document, lenient: bool = False) -> None:
        self.doc = doc
        self.lenient = lenient
        self.consumed: set[str] = set()
        self.provenance: dict[str, str] = {}

    def value(self, obj: Any, ptr: str, key: str, expected: type, default: Any,
              field: str | None = None, consume: bool = True) -> Any:
        """Return ``obj[key]`` checked against ``expected`` (bool, int, str, list or dict).

        ``default`` is returned when ``obj`` is not an object, the key is absent or its value
        is null.  ``field`` (an IR path) records provenance; ``consume=False`` reads a value
        that decides something without carrying it (it stays in the report as dropped).
        Raises InputError for a value of the wrong JSON type, located at the field.
        """
        child = jp.child(ptr, key)
        if field is not None:
            self.provenance[field] = child
        if not isinstance(obj, dict) or key not in obj:
            return default
        if consume:
            self.consumed.add(child)
        raw = obj[key]
        if raw is None:
            return default
        if not _matches(raw, expected) or (
                expected is int and not INT64_MIN <= raw <= INT64_MAX):
            if self.lenient:
                return default
        if not _matches(raw, expected):
            shown = "" if key in SECRET_FIELDS else f" ({raw!r:.40})"  # never echo a secret
            raise self.doc.error(f"`{key}` must be {_TYPE_NAMES[expected]}, "
                                 f"not {json_type_name(raw)}{shown}", child)
        if expected is int and not INT64_MIN <= raw <= INT64_MAX:
            raise self.doc.error(f"`{key}` is out of range: Tyk stores it as a 64-bit integer "
                                 f"({INT64_MIN} to {INT64_MAX})", child)
        return raw

    def obj(self, obj: Any, ptr: str, key: str) -> dict | None:
        """Return the object at ``obj[key]`` (None when absent or null).

        The container itself is not marked consumed (its members are, as they are read), except
        when it is empty or null.  Raises InputError when the value is not an object.
        """
        child = jp.child(ptr, key)
        if not isinstance(obj, dict) or key not in obj:
            return None
        raw = obj[key]
        if raw is None or raw == {}:
            self.consumed.add(child)
            return None if raw is None else raw
        if not isinstance(raw, dict):
            if self.lenient:
                return None
            raise self.doc.error(f"`{key}` must be an object, not {json_type_name(raw)}", child)
        return raw

    def string_list(self, obj: Any, ptr: str, key: str, field: str | None = None,
                    ) -> tuple[str, ...] | None:
        """Return an array of strings as a tuple (None when absent or null).

        Raises InputError when it is not an array or an item is not a string.
        """
        items = self.value(obj, ptr, key, list, None, field)
        if items is None:
            return None
        for i, item in enumerate(items):
            if not isinstance(item, str):
                if self.lenient:
                    return None
                raise self.doc.error(f"`{key}` items must be strings, not "
                                     f"{json_type_name(item)}", jp.child(ptr, key, i))
        return tuple(items)

    def consume(self, ptr: str) -> None:
        """Mark ``ptr`` (and so everything below it) as consumed."""
        self.consumed.add(ptr)


def provenance_of(provenance: dict[str, str], field: str) -> str | None:
    """The input pointer recorded for IR ``field`` (dotted path), or for its nearest recorded
    ancestor; None when neither was recorded."""
    parts = field.split(".")
    while parts:
        found = provenance.get(".".join(parts))
        if found is not None:
            return found
        parts.pop()
    return None


def unconsumed(data: Any, consumed: set[str]) -> list[str]:
    """List the input pointers not covered by ``consumed``, collapsed to whole subtrees.

    A pointer is covered when it or one of its ancestors is in ``consumed``.  A container none
    of whose descendants is covered is listed once, by its own pointer.  Returns pointers in
    document order.
    """
    covered_prefixes = consumed

    def is_covered(ptr: str) -> bool:
        return any(p in covered_prefixes for p in jp.parents(ptr)) if ptr else "" in consumed

    def has_covered_descendant(ptr: str) -> bool:
        prefix = ptr + "/"
        return any(c.startswith(prefix) for c in consumed)

    out: list[str] = []

    def walk(node: Any, ptr: str) -> None:
        if ptr and is_covered(ptr):
            return
        if isinstance(node, (dict, list)) and node and (ptr == "" or has_covered_descendant(ptr)):
            items = node.items() if isinstance(node, dict) else enumerate(node)
            for k, v in items:
                walk(v, jp.child(ptr, k))
            return
        if ptr:
            out.append(ptr)

    walk(data, "")
    return out
