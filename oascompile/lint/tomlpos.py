"""Best-effort source positions for keys in a TOML file (``pyproject.toml``'s
``[tool.oascompile]``), so configuration errors found after parsing read ``file:line:col``.

:mod:`tomllib` returns plain data without positions.  This scanner records, for each key path
it can see, the 1-based ``(line, column)`` of the key: table headers (``[a.b."c"]``), ``key =``
lines (dotted keys included), and members of inline tables and arrays on the same line
(``x = {options = {prefixes = [5, "a"]}}``).  Multi-line strings and arrays spanning lines are
not followed; a path it cannot place falls back to its nearest placed ancestor.
"""

from __future__ import annotations

import re

from oascompile import pointer as jp

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _key_parts(text: str, i: int) -> tuple[list[str], int]:
    """Read a (dotted) key starting at ``text[i]``: its parts and the index after it."""
    parts: list[str] = []
    while i < len(text):
        while i < len(text) and text[i] in " \t":
            i += 1
        if i < len(text) and text[i] in "\"'":
            quote = text[i]
            end = text.find(quote, i + 1)
            if end < 0:
                return parts, len(text)
            parts.append(text[i + 1:end])
            i = end + 1
        else:
            m = _BARE.match(text, i)
            if not m:
                return parts, i
            parts.append(m.group())
            i = m.end()
        while i < len(text) and text[i] in " \t":
            i += 1
        if i < len(text) and text[i] == ".":
            i += 1
            continue
        return parts, i
    return parts, i


class TomlPositions:
    """Positions of the keys of one TOML text, relative to a base table.

    Args:
        text: the TOML source.
        bases: table paths that pointers are relative to, tried in order (for pyproject:
            ``("tool", "oascompile")`` and ``("tool", "oascompile", "lint")``).
    """

    def __init__(self, text: str, bases: tuple[tuple[str, ...], ...]) -> None:
        self.bases = bases
        self.pos: dict[tuple[str, ...], tuple[int, int]] = {}
        table: tuple[str, ...] = ()
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.lstrip()
            indent = len(line) - len(stripped)
            if not stripped or stripped.startswith("#"):
                continue
            if stripped.startswith("["):
                start = 2 if stripped.startswith("[[") else 1
                parts, _ = _key_parts(stripped, start)
                table = tuple(parts)
                self.pos.setdefault(table, (number, indent + 1))
                continue
            parts, i = _key_parts(stripped, 0)
            if not parts or i >= len(stripped) or stripped[i] != "=":
                continue
            path = table + tuple(parts)
            self.pos.setdefault(path, (number, indent + 1))
            self._value(stripped, i + 1, path, number, indent)

    def _value(self, s: str, i: int, path: tuple[str, ...], number: int, indent: int) -> None:
        """Record the members of an inline table / array value on one line."""
        # one frame per open bracket: its path, kind, array index, whether the current array
        # item is placed, and the path of the inline-table member being read
        stack: list[dict] = []
        while i < len(s):
            c = s[i]
            top = stack[-1] if stack else None
            if top is not None and top["kind"] == "[" and not top["placed"] and c not in " \t,]":
                top["placed"] = True
                self.pos.setdefault(top["path"] + (str(top["index"]),), (number, indent + i + 1))
            if c in "\"'":
                end = s.find(c, i + 1)
                i = len(s) if end < 0 else end + 1
                continue
            if c == "#" and top is None:
                return
            if c in "{[":
                if top is None:
                    inner = path
                elif top["kind"] == "[":
                    inner = top["path"] + (str(top["index"]),)
                else:
                    inner = top["member"]
                stack.append({"path": inner, "kind": c, "index": 0, "placed": False,
                              "member": inner})
                i += 1
                if c == "{":
                    i = self._member(s, i, stack[-1], number, indent)
                continue
            if c in "}]":
                if stack:
                    stack.pop()
                if not stack:
                    return
                i += 1
                continue
            if c == "," and top is not None:
                i += 1
                if top["kind"] == "{":
                    i = self._member(s, i, top, number, indent)
                else:
                    top["index"] += 1
                    top["placed"] = False
                continue
            i += 1

    def _member(self, s: str, i: int, frame: dict, number: int, indent: int) -> int:
        """At the start of an inline-table member: record its key; return the index after ``=``."""
        while i < len(s) and s[i] in " \t":
            i += 1
        parts, j = _key_parts(s, i)
        if parts and j < len(s) and s[j] == "=":
            frame["member"] = frame["path"] + tuple(parts)
            self.pos.setdefault(frame["member"], (number, indent + i + 1))
            return j + 1
        return i

    def position(self, pointer: str) -> tuple[int, int]:
        """The ``(line, column)`` of ``pointer`` (relative to the base table), or of its
        nearest placed ancestor; ``(1, 1)`` when nothing is placed."""
        for candidate in jp.parents(pointer):
            parts = tuple(jp.split(candidate)) if candidate else ()
            for base in self.bases:
                if base + parts in self.pos:
                    return self.pos[base + parts]
        return (1, 1)
