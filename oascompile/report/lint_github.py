"""Lint findings as GitHub Actions workflow commands (annotations on the pull request)::

    ::error file=api.yaml,line=12,col=9,title=token-in-query::message

Escaping follows GitHub's workflow-command rules: ``%``, CR and LF in the message; also ``:``
and ``,`` in property values.
"""

from __future__ import annotations

from oascompile.lint.baseline import normalise_path
from oascompile.lint.runner import LintResult

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: LintResult) -> str:
    """One ``::level …::message`` line per finding and per file that could not be linted."""
    out = []
    for f in result.findings:
        msg = f.message + (f" ({f.hint})" if f.hint else "")
        out.append(f"::{LEVEL[f.severity]} file={_prop(normalise_path(f.file))},line={f.line},col={f.column},"
                   f"title={_prop(f.rule)}::{_data(msg)}")
    for e in result.problems:
        where = f"file={_prop(normalise_path(e.file or '-'))}"
        if e.line:
            where += f",line={e.line}"
        if e.column:
            where += f",col={e.column}"
        out.append(f"::error {where},title=oascompile::{_data(e.message)}")
    return "\n".join(out) + ("\n" if out else "")
