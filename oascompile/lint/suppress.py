"""Suppressing findings in the document itself.

Two forms, both per rule id (``all`` or ``*`` matches every rule):

* a YAML comment ``# oascompile: disable=rule-id[,rule-id…]`` at the end of the finding's
  line, or on its own line directly above it (yamllint's ``# yamllint disable-line`` idea);
  ``# oascompile: disable-file=rule-id`` anywhere disables the rule for the whole file;
* an ``x-oascompile-ignore: [rule-id, …]`` member on the object the finding is about, or on
  any object that contains it (OpenAPI allows ``x-`` members on most objects).
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from oascompile import pointer as jp
from oascompile.lint.registry import Finding

IGNORE_KEY = "x-oascompile-ignore"
_DIRECTIVE = re.compile(r"#\s*oascompile:\s*(disable-file|disable)(?![\w-])\s*(?:=\s*([\w\-, *]+))?")


WILDCARDS = ("all", "*")


def _ids(raw: str | None) -> set[str]:
    if not raw:
        return {"all"}
    return {part.strip() for part in raw.split(",") if part.strip()}


def _located_ids(line: str, m: re.Match) -> list[tuple[int, str]]:
    """(1-based column, id) for each rule id a directive names (none for a bare ``disable``)."""
    raw, start = m.group(2), m.start(2)
    out = []
    if raw:
        offset = 0
        for part in raw.split(","):
            if part.strip():
                out.append((start + offset + (len(part) - len(part.lstrip())) + 1, part.strip()))
            offset += len(part) + 1
    return out


def ignore_members(data: Any) -> Iterable[tuple[str, Any]]:
    """(pointer of the ``x-oascompile-ignore`` member, its value) for every object in ``data``."""
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        node, ptr = stack.pop()
        if isinstance(node, dict):
            if IGNORE_KEY in node:
                yield ptr + "/" + IGNORE_KEY, node[IGNORE_KEY]
            stack.extend((v, ptr + "/" + jp.escape(k)) for k, v in reversed(list(node.items()))
                         if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, f"{ptr}/{i}") for i, v in reversed(list(enumerate(node)))
                         if isinstance(v, (dict, list)))


class Suppressions:
    """The suppressions of one document.

    Built from its text (comments; YAML only, JSON has none) and its data
    (``x-oascompile-ignore`` members).  ``directives`` lists every rule id named in a comment
    as ``(line, column, id)`` (1-based), for the ``suppression-unknown-rule`` check.
    """

    def __init__(self, text: str, data: Any, syntax: str) -> None:
        self.data = data
        self.by_line: dict[int, set[str]] = {}
        self.file_wide: set[str] = set()
        self.directives: list[tuple[int, int, str]] = []
        if syntax == "yaml" and "oascompile:" in text:
            lines = text.splitlines()
            for number, line in enumerate(lines, start=1):
                if "#" not in line:
                    continue
                for m in _DIRECTIVE.finditer(line):
                    ids = _ids(m.group(2))
                    self.directives += [(number, col, i) for col, i in _located_ids(line, m)]
                    if m.group(1) == "disable-file":
                        self.file_wide |= ids
                        continue
                    self.by_line.setdefault(number, set()).update(ids)
                    if line.lstrip().startswith("#"):  # comment-only line: applies below
                        self.by_line.setdefault(number + 1, set()).update(ids)

    @staticmethod
    def _match(rule: str, ids: Iterable[str]) -> bool:
        return any(i == rule or i in WILDCARDS for i in ids)

    def suppressed(self, finding: Finding) -> bool:
        """True when ``finding`` is disabled by a comment or an ``x-oascompile-ignore``."""
        if self._match(finding.rule, self.file_wide):
            return True
        if self._match(finding.rule, self.by_line.get(finding.line, ())):
            return True
        for ptr in jp.parents(finding.pointer):
            node = jp.resolve(self.data, ptr, None)
            if isinstance(node, dict):
                ignore = node.get(IGNORE_KEY)
                if isinstance(ignore, str):
                    ignore = [ignore]
                if isinstance(ignore, list) and self._match(finding.rule,
                                                            [str(i) for i in ignore]):
                    return True
        return False
