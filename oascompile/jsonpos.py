"""Line and column of JSON Pointers in JSON text, computed only for the pointers asked.

Source positions for findings in JSON documents (YAML positions come from ruamel's marks, see
:mod:`oascompile.load`).  A lint run usually needs a handful of positions in a document that may
be megabytes long, so :class:`JsonLocator` walks from the root to the asked node only: at each
object or array on the way it records where every member starts (skipping members with the C
JSON scanner), and keeps those records for later lookups.  A document with no finding never pays
anything; a 4 MB document with one finding pays a few milliseconds instead of a full token scan.

Positions are 1-based ``(line, column)``, column in characters, lines split on ``\\n``.  For an
object member the *key* position is its opening quote and the *value* position the first
character of its value; for an array item both are the item's first character; the root's key
position is ``(1, 1)``.  :func:`json_positions` is the full-scan reference with the same
results (tests compare the two).
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

from oascompile import pointer as jp

_WS = re.compile(r"[ \t\n\r]*")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.S)
_scan_once = json.JSONDecoder().scan_once
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]


class JsonLocator:
    """Key and value positions of JSON Pointers in one well-formed JSON text.

    Args:
        text: the JSON text the document was parsed from (it must have parsed).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._members: dict[int, dict[str, tuple[int, int]] | list[int]] = {}

    def _where(self, offset: int) -> tuple[int, int]:
        line_start = self.text.rfind("\n", 0, offset) + 1
        return self.text.count("\n", 0, line_start) + 1, offset - line_start + 1

    def _children(self, offset: int) -> dict[str, tuple[int, int]] | list[int] | None:
        """Members of the container starting at ``offset``: key → (key offset, value offset)
        for an object, item offsets for an array; None for a scalar."""
        if offset in self._members:
            return self._members[offset]
        text = self.text
        opener = text[offset]
        if opener not in "{[":
            return None
        pos = _WS.match(text, offset + 1).end()
        found: dict[str, tuple[int, int]] | list[int] = {} if opener == "{" else []
        closer = "}" if opener == "{" else "]"
        while text[pos] != closer:
            if opener == "{":
                key, after = _scanstring(text, pos + 1)
                value = _WS.match(text, _WS.match(text, after).end() + 1).end()
                found[key] = (pos, value)  # type: ignore[index]
            else:
                value = pos
                found.append(value)  # type: ignore[union-attr]
            _, end = _scan_once(text, value)
            pos = _WS.match(text, end).end()
            if text[pos] == ",":
                pos = _WS.match(text, pos + 1).end()
        self._members[offset] = found
        return found

    def locate(self, pointer: str) -> tuple[tuple[int, int], tuple[int, int]]:
        """``(key position, value position)`` of the deepest existing node on ``pointer``'s
        path (the node itself when it exists; the root gives ``(1, 1)`` as key position)."""
        root = _WS.match(self.text).end()
        if not pointer.startswith("/"):
            return (1, 1), (self._where(root) if pointer == "" else (1, 1))
        key_at, value_at = None, root
        for raw in pointer[1:].split("/"):
            token = jp.unescape(raw)
            children = self._children(value_at)
            if jp.escape(token) != raw or children is None:
                break
            if isinstance(children, dict):
                if token not in children:
                    break
                key_at, value_at = children[token]
            else:
                if not token.isdigit() or str(int(token)) != token or int(token) >= len(children):
                    break
                key_at = value_at = children[int(token)]
        return (self._where(key_at) if key_at is not None else (1, 1)), self._where(value_at)


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def json_positions(text: str) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """Scan JSON text once; map every pointer to its key and value positions (1-based).

    Only called for documents that parsed as JSON, so the token stream is well formed.
    """
    starts = _line_starts(text)

    def where(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1

    key_pos: dict[str, tuple[int, int]] = {"": (1, 1)}
    value_pos: dict[str, tuple[int, int]] = {}
    # stack entries: [pointer, is_object, next_index, pending_key_pointer]
    stack: list[list[Any]] = []
    expecting_value_for = ""
    pending_key: str | None = None
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if tok in (",", ":"):
            continue
        if tok in ("}", "]"):
            stack.pop()
            continue
        top = stack[-1] if stack else None
        if top is not None and top[1] and pending_key is None:
            # a key inside an object
            try:
                key = json.loads(tok)
            except ValueError:
                key = tok.strip('"')
            pending_key = top[0] + "/" + jp.escape(key)
            key_pos[pending_key] = where(m.start())
            continue
        if top is None:
            ptr = expecting_value_for
        elif top[1]:
            ptr = pending_key or ""
            pending_key = None
        else:
            ptr = f"{top[0]}/{top[2]}"
            top[2] += 1
            key_pos[ptr] = where(m.start())
        value_pos[ptr] = where(m.start())
        if tok == "{":
            stack.append([ptr, True, 0])
        elif tok == "[":
            stack.append([ptr, False, 0])
    return key_pos, value_pos


def find_duplicate_json_key(text: str, key: str) -> tuple[int, int]:
    """Locate the second occurrence of ``key`` within one object (for the error message)."""
    starts = _line_starts(text)
    seen: list[set[str]] = []
    pending = False
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if tok == "{":
            seen.append(set())
            pending = True
            continue
        if tok == "[":
            seen.append(None)  # type: ignore[arg-type]
            continue
        if tok in ("}", "]"):
            seen.pop()
            continue
        if tok == ",":
            pending = bool(seen) and seen[-1] is not None
            continue
        if tok == ":":
            pending = False
            continue
        if pending and seen and seen[-1] is not None:
            try:
                k = json.loads(tok)
            except ValueError:
                k = tok
            if k in seen[-1] and k == key:
                line = bisect.bisect_right(starts, m.start()) - 1
                return line + 1, m.start() - starts[line] + 1
            seen[-1].add(k)
            pending = False
    return 1, 1


