"""Lint findings as the JSON object fixed by cli-contract.md::

    {"files": N, "findings": [{rule, severity, message, hint, file, line, column, pointer}]}

Files that could not be linted are listed under ``errors`` (same fields, rule ``load-error``
omitted), which the contract leaves open.
"""

from __future__ import annotations

import json

from oascompile.lint.runner import LintResult


def render(result: LintResult) -> str:
    """The contract's JSON document (one line per finding for readable diffs)."""
    body = {"files": result.files, "findings": [f.as_dict() for f in result.findings]}
    if result.problems:
        body["errors"] = [{"message": e.message, "file": e.file, "line": e.line,
                           "column": e.column, "pointer": e.pointer} for e in result.problems]
    return json.dumps(body, indent=1, ensure_ascii=False) + "\n"
