"""Loading API definitions: bytes → plain Python data, with positions and limits.

The loader is the first step of every command (load → IR → lint | compile | evaluate →
report).  It reads a file or standard input, decodes UTF-8 (a BOM is skipped), parses JSON or
YAML, refuses duplicate mapping keys, alias bombs, over-deep nesting and over-large input, and
detects whether the document is a Tyk OAS or a Tyk Classic API definition (cli-contract.md,
"Input detection").  Every failure is an :class:`~oascompile.errors.InputError` with file, line
and column.

Positions: :meth:`Document.position` maps any RFC 6901 JSON Pointer to a 1-based
``(line, column)``.  YAML positions come from ruamel.yaml's node marks; JSON is parsed with the
standard library (fast) and a position is computed only when asked, for that pointer only
(:mod:`oascompile.jsonpos`), so a document without findings never pays for positions.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from oascompile import pointer as jp
from oascompile.errors import InputError, NotADefinitionError
from oascompile.jsonpos import JsonLocator, find_duplicate_json_key

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_DEPTH = 256
DEFAULT_MAX_NODES = 2_000_000

CLASSIC_MARKERS = ("api_id", "proxy", "auth_configs", "use_keyless", "use_standard_auth")


@dataclass(frozen=True)
class LoadLimits:
    """Resource limits applied while loading one document.

    Attributes:
        max_bytes: largest accepted input, in bytes (default 50 MiB).
        max_depth: deepest accepted nesting of mappings/sequences (default 256).
        max_nodes: most nodes after YAML alias expansion (default 2,000,000); an alias bomb is
            refused by counting, before anything is expanded.
        max_alias_growth: aliases may make the expanded document at most this many times the
            size of the document as written (default 10), once it is past
            ``alias_growth_floor`` nodes (default 100,000).  A small text that expands to
            a million nodes is refused although it is under ``max_nodes``: expanding it would
            take seconds and hundreds of MB.
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH
    max_nodes: int = DEFAULT_MAX_NODES
    max_alias_growth: int = 10
    alias_growth_floor: int = 100_000


@dataclass
class Document:
    """One parsed input document.

    Attributes:
        name: the path as given by the user (``<stdin>`` for ``-``).
        text: the decoded source text (BOM removed).
        data: plain Python data (dict/list/str/int/float/bool/None), key order kept.
        syntax: ``"json"`` or ``"yaml"`` (what actually parsed).
        kind: ``"oas"``, ``"classic"`` or ``None`` when detection was not asked for.
    """

    name: str
    text: str
    data: Any
    syntax: str
    kind: str | None = None
    json_error: InputError | None = None
    """Set when the text looked like JSON but is not valid JSON and was read as YAML instead
    (a trailing comma, single quotes): the JSON parser's error, for a warning or finding."""
    _key_pos: dict[str, tuple[int, int]] | None = field(default=None, repr=False)
    _value_pos: dict[str, tuple[int, int]] | None = field(default=None, repr=False)
    _locator: JsonLocator | None = field(default=None, repr=False)

    def _json_locate(self, pointer: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """JSON without a position table: positions of just this pointer (see jsonpos)."""
        if self._key_pos is not None:
            return None
        if not self.text.strip():  # built from data (a re-read output): no source positions
            return (1, 1), (1, 1)
        if self._locator is None:
            self._locator = JsonLocator(self.text)
        return self._locator.locate(pointer)

    def position(self, pointer: str) -> tuple[int, int]:
        """Return the 1-based ``(line, column)`` of the node at ``pointer``.

        For a mapping member this is the position of its key; for a sequence item, of the item.
        When the pointer does not resolve, the position of its nearest existing ancestor is
        returned (a missing key is reported on the object that should hold it); ``(1, 1)`` for
        the root.
        """
        located = self._json_locate(pointer)
        if located is not None:
            return located[0]
        return _nearest(self._key_pos or {}, pointer) or (1, 1)

    def value_position(self, pointer: str) -> tuple[int, int]:
        """Like :meth:`position`, but the position of the value rather than of its key."""
        located = self._json_locate(pointer)
        if located is not None:
            return located[1]
        return _nearest(self._value_pos or {}, pointer) or self.position(pointer)

    def error(self, message: str, pointer: str | None = None) -> InputError:
        """Build an :class:`InputError` located at ``pointer`` in this document."""
        line, column = self.position(pointer) if pointer is not None else (None, None)
        return InputError(message, self.name, line, column, pointer)


def _nearest(table: dict[str, tuple[int, int]], pointer: str) -> tuple[int, int] | None:
    """The position of ``pointer`` or of its nearest ancestor in ``table`` (None if none)."""
    for candidate in jp.parents(pointer):
        if candidate in table:
            return table[candidate]
    return None


# --------------------------------------------------------------------------------- reading
def read_source(path: str, limits: LoadLimits = LoadLimits()) -> tuple[str, bytes]:
    """Read raw bytes from ``path`` (``-`` = standard input).

    Returns ``(display name, bytes)``.  Raises InputError when the file cannot be read, is a
    directory, or is larger than ``limits.max_bytes``.
    """
    name = "<stdin>" if path == "-" else path
    try:
        if path == "-":
            raw = sys.stdin.buffer.read(limits.max_bytes + 1)
        else:
            with open(path, "rb") as fh:
                raw = fh.read(limits.max_bytes + 1)
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", name) from None
    except FileNotFoundError:
        raise InputError("no such file", name) from None
    except PermissionError:
        raise InputError("permission denied", name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", name) from None
    if len(raw) > limits.max_bytes:
        raise InputError(f"input is larger than the limit of {limits.max_bytes} bytes "
                         f"(raise it with --max-size)", name, 1, 1)
    return name, raw


def decode(name: str, raw: bytes) -> str:
    """Decode UTF-8 (optional BOM).  Invalid UTF-8 → InputError at the offending byte."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("UTF-16 input is not supported; save the file as UTF-8", name, 1, 1)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise InputError(f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})", name, line, column) from None


def load_document(path: str, *, detect: bool = True,
                  limits: LoadLimits = LoadLimits()) -> Document:
    """Read, decode, parse and (optionally) classify one input.

    Args:
        path: file path, or ``-`` for standard input.
        detect: when true, set ``Document.kind`` per the CLI contract and raise InputError for
            a document that is neither a Tyk OAS nor a Tyk Classic API definition.
        limits: resource limits.

    Raises:
        InputError: with file, line and column, for every reason the input cannot be used.
    """
    name, raw = read_source(path, limits)
    return parse_document(name, decode(name, raw), detect=detect, limits=limits)


def parse_document(name: str, text: str, *, detect: bool = True,
                   limits: LoadLimits = LoadLimits()) -> Document:
    """Parse already-decoded ``text`` (see :func:`load_document`)."""
    if not text.strip():
        raise InputError("the file is empty", name, 1, 1)
    stripped = text.lstrip()
    doc: Document | None = None
    json_error: InputError | None = None
    if stripped[:1] in ("{", "["):
        try:
            doc = _parse_json(name, text, limits)
        except _NotSyntax:
            raise
        except InputError as exc:
            json_error = exc
    if doc is None:
        try:
            from oascompile.load_yaml import parse_yaml

            doc = parse_yaml(name, text, limits)
        except InputError:
            if json_error is not None:
                raise json_error from None
            raise
        doc.json_error = json_error
    if _SURROGATE_ESCAPE.search(text):
        _refuse_lone_surrogates(doc)
    if detect:
        doc.kind = detect_kind(doc)
    return doc


def detect_kind(doc: Document) -> str:
    """Return ``"oas"`` or ``"classic"`` for ``doc`` (cli-contract.md, "Input detection").

    Raises InputError for a non-object top level, an unsupported ``openapi`` version, or a
    document that has none of the markers of either kind.
    """
    data = doc.data
    if not isinstance(data, dict):
        raise NotADefinitionError(f"the top level is {json_type_name(data)}; expected an "
                                  "object: a Tyk OAS or Tyk Classic API definition",
                                  doc.name, 1, 1)
    if "openapi" in data:
        version = data["openapi"]
        if not isinstance(version, str) or not re.match(r"^3\.[01]\.\d+", version):
            raise doc.error(f"unsupported openapi version {version!r}: expected 3.0.x or 3.1.x",
                            "/openapi")
        return "oas"
    if any(k in data for k in CLASSIC_MARKERS):
        return "classic"
    raise NotADefinitionError("not an API definition: expected a Tyk OAS API definition (top-level "
                     "`openapi`) or a Tyk Classic API definition (one of "
                     + ", ".join(f"`{k}`" for k in CLASSIC_MARKERS) + ")", doc.name, 1, 1)


def json_type_name(value: Any) -> str:
    """Name the JSON type of a parsed value: ``object``, ``array``, ``string``, ``boolean``,
    ``integer``, ``number`` or ``null``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


# --------------------------------------------------------------------------------- JSON
class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pairs_hook(pairs: list[tuple[str, Any]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


class _NotSyntax(InputError):
    """A JSON problem that reading the text as YAML would not cure (duplicate key, nesting,
    NaN, an over-long number): reported as is, without the YAML fallback."""


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONG_NUMBER = re.compile(r"-?\d{4300,}")
_LONG_NUMBER_MESSAGE = ("a number has more than 4300 digits (no Tyk field holds more than a "
                        "64-bit integer)")


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _refuse_lone_surrogates(doc: Document) -> None:
    """Refuse a string holding a lone UTF-16 surrogate (``"\\ud800"``): it cannot be written
    as UTF-8, and Go's decoder would replace it (InputError at the string)."""
    stack: list[tuple[Any, str]] = [(doc.data, "")]
    while stack:
        node, ptr = stack.pop()
        items = node.items() if isinstance(node, dict) else (
            enumerate(node) if isinstance(node, list) else ())
        for k, v in items:
            child = ptr + "/" + jp.escape(k)
            if isinstance(k, str) and any("\ud800" <= c <= "\udfff" for c in k) or \
                    isinstance(v, str) and any("\ud800" <= c <= "\udfff" for c in v):
                raise doc.error("a string holds a lone UTF-16 surrogate escape (\\ud800-"
                                "\\udfff without its pair), which is not valid Unicode", child)
            if isinstance(v, (dict, list)):
                stack.append((v, child))


def _parse_json(name: str, text: str, limits: LoadLimits) -> Document:
    try:
        data = json.loads(text, object_pairs_hook=_pairs_hook,
                          parse_constant=_refuse_constant)
    except _DuplicateKey as exc:
        doc = Document(name, text, None, "json")
        line, column = find_duplicate_json_key(text, exc.key)
        raise _NotSyntax(f"duplicate key {exc.key!r} (a mapping key may appear only once)",
                         name, line, column) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", name, exc.lineno, exc.colno) from None
    except RecursionError:
        raise _NotSyntax(f"nesting is deeper than the limit of {limits.max_depth} levels",
                         name, 1, 1) from None
    except ValueError as exc:  # NaN/Infinity, or an integer of more than 4300 digits
        message = str(exc)
        match = re.search(r"(?<![\w\"-])(NaN|-?Infinity)\b", text) if "JSON number" in message \
            else _LONG_NUMBER.search(text)
        line, column = _offset_position(text, match.start()) if match else (1, 1)
        if "JSON number" in message:
            raise _NotSyntax(f"invalid JSON: {message}", name, line, column) from None
        raise _NotSyntax(_LONG_NUMBER_MESSAGE, name, line, column) from None
    doc = Document(name, text, data, "json")
    try:
        _check_depth(doc, limits)
    except InputError as exc:
        raise _NotSyntax(exc.message, exc.file, exc.line, exc.column, exc.pointer) from None
    return doc


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _check_depth(doc: Document, limits: LoadLimits) -> None:
    stack: list[tuple[Any, int, str]] = [(doc.data, 0, "")]
    while stack:
        node, depth, ptr = stack.pop()
        if depth > limits.max_depth:
            raise doc.error(f"nesting is deeper than the limit of {limits.max_depth} levels", ptr)
        if isinstance(node, dict):
            stack.extend((v, depth + 1, ptr + "/" + jp.escape(k)) for k, v in node.items()
                         if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, depth + 1, f"{ptr}/{i}") for i, v in enumerate(node)
                         if isinstance(v, (dict, list)))
