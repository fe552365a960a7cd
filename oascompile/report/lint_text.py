"""Lint findings as text: ``file:line:col: severity rule-id message`` (one per line).

The format editors' problem matchers and yamllint/flake8 users expect; colour only when
writing to a terminal and ``NO_COLOR`` is unset.
"""

from __future__ import annotations

import click

from oascompile.lint.runner import LintResult

COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def render(result: LintResult, *, colour: bool = False, show_hints: bool = False) -> str:
    """Render findings and problems, sorted by file, line, column."""
    lines = []
    for f in result.findings:
        sev = click.style(f.severity, fg=COLOURS[f.severity], bold=True) if colour else f.severity
        rule = click.style(f.rule, dim=True) if colour else f.rule
        lines.append(f"{f.file}:{f.line}:{f.column}: {sev} {rule} {f.message}")
        if show_hints and f.hint:
            lines.append(f"    hint: {f.hint}")
    return "\n".join(lines) + ("\n" if lines else "")


def summary(result: LintResult) -> str:
    """One line: counts by severity, files, suppressed/baselined (``no findings in N file(s)``
    when nothing is left to report)."""
    counts = {s: sum(1 for f in result.findings if f.severity == s) for s in COLOURS}
    if result.findings:
        text = (f"{len(result.findings)} finding(s) ({counts['error']} error, "
                f"{counts['warning']} warning, {counts['info']} info) in {result.files} file(s)")
    else:
        text = f"no findings in {result.files} file(s)"
    if result.problems:
        text += f"; {len(result.problems)} file(s) could not be linted"
    if result.suppressed:
        text += f"; {result.suppressed} suppressed"
    if result.baselined:
        text += f"; {result.baselined} in baseline"
    return text
