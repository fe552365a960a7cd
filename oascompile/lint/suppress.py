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
_DIRECTIVE = re.compile(r"#\s*oascompile:\s*(disable|disable-file)\s*(?:=\s*([\w\-, *]+))?")


def _ids(raw: str | None) -> set[str]:
    if not raw:
        return {"all"}
    return {part.strip() for part in raw.split(",") if part.strip()}


class Suppressions:
    """The suppressions of one document.

    Built from its text (comments; YAML only, JSON has none) and its data
    (``x-oascompile-ignore`` members).
    """

    def __init__(self, text: str, data: Any, syntax: str) -> None:
        self.data = data
        self.by_line: dict[int, set[str]] = {}
        self.file_wide: set[str] = set()
        if syntax == "yaml" and "oascompile:" in text:
            lines = text.splitlines()
            for number, line in enumerate(lines, start=1):
                if "#" not in line:
                    continue
                for m in _DIRECTIVE.finditer(line):
                    ids = _ids(m.group(2))
                    if m.group(1) == "disable-file":
                        self.file_wide |= ids
                        continue
                    self.by_line.setdefault(number, set()).update(ids)
                    if line.lstrip().startswith("#"):  # comment-only line: applies below
                        self.by_line.setdefault(number + 1, set()).update(ids)

    @staticmethod
    def _match(rule: str, ids: Iterable[str]) -> bool:
        return any(i in (rule, "all", "*") for i in ids)

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
