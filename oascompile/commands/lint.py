"""``oascompile lint`` and ``oascompile rules``: option parsing and wiring only.

The exit code is decided here and only here (cli-contract.md): 2 when any file could not be
linted (after linting the others) or an option/config is bad; else 1 when a finding is at or
above ``--fail-on``; else 0.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from oascompile.commands.common import (check_writable, exits_on_input_error, report_input_error,
                                        same_file, write_atomic)
from oascompile.errors import EXIT_CANNOT_RUN, EXIT_FINDINGS, EXIT_OK, InputError
from oascompile.load import DEFAULT_MAX_BYTES

FORMATS = ("text", "json", "sarif", "github", "junit")


def _colour() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


@click.command("lint")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output format.")
@click.option("--fail-on", type=click.Choice(("error", "warning", "info")), default="error",
              show_default=True, help="Lowest severity that makes the exit code 1.")
@click.option("--config", "config_path", metavar="FILE",
              help="Configuration file (.oascompile.yaml or pyproject.toml); default: searched "
                   "upwards from the working directory.")
@click.option("--baseline", metavar="FILE", help="Ignore findings recorded in this baseline.")
@click.option("--write-baseline", metavar="FILE",
              help="Record the current findings as the baseline in FILE, then exit 0.")
@click.option("--allow-remote-refs", is_flag=True,
              help="Fetch remote $refs while validating OpenAPI (off: never use the network).")
@click.option("-o", "--output", metavar="FILE", help="Write the report to FILE instead of stdout.")
@click.option("--hints", is_flag=True, help="Text format: print each finding's hint.")
@click.option("-v", "--verbose", is_flag=True,
              help="List the files skipped because they are not API definitions.")
@click.option("--ignore-unknown", is_flag=True,
              help="Skip files named on the command line that are not API definitions, as "
                   "files found in directories are (for pre-commit, which names every file).")
@click.option("--max-size", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES,
              show_default=True, help="Largest accepted input file, in bytes.")
@exits_on_input_error
def lint_command(paths: tuple[str, ...], fmt: str, fail_on: str, config_path: str | None,
                 baseline: str | None, write_baseline: str | None, allow_remote_refs: bool,
                 output: str | None, hints: bool, verbose: bool, ignore_unknown: bool,
                 max_size: int) -> None:
    """Lint Tyk OAS / Tyk Classic API definitions (files or directories)."""
    from oascompile.lint.config import load_config
    from oascompile.lint.registry import SEVERITY_RANK
    from oascompile.lint.runner import discover, lint_paths

    if output == "-":
        output = None  # `-o -` is standard output, as everywhere
    config = load_config(config_path)
    found = discover(paths, config, ignore_unknown)
    check_outputs(output, write_baseline,
                  inputs=[*found.targets, *([baseline] if baseline else []),
                          *([config.source] if config.source else [])])
    known = None
    if baseline:
        from oascompile.lint.baseline import read_baseline

        known = read_baseline(baseline)
    result = lint_paths(paths, config, settings={"allow_remote_refs": allow_remote_refs,
                                                 "max_bytes": max_size},
                        baseline=known, found=found)
    if verbose:
        for err in result.skipped:
            click.echo(f"{err.file}: skipped: {err.message}", err=True)
    if result.files == 0:
        if ignore_unknown and result.skipped and not result.problems:
            # pre-commit named only files that are not API definitions: nothing to check
            click.echo(f"oascompile: {nothing_linted(paths, len(result.skipped))}", err=True)
            sys.exit(EXIT_OK)
        raise InputError(nothing_linted(paths, len(result.skipped)))
    if write_baseline:
        from oascompile.lint.baseline import write_baseline as store_baseline

        store_baseline(write_baseline, result.all_findings)
        click.echo(f"oascompile: wrote {len(result.all_findings)} finding(s) to {write_baseline}",
                   err=True)
    text = _render(fmt, result, config, hints=hints, colour=_colour() and not output)
    if output:
        write_atomic(output, text)
    else:
        click.echo(text, nl=False)
    if fmt == "text":
        from oascompile.report.lint_text import summary

        for err in result.problems:
            report_input_error(err)
        if result.skipped and not verbose:
            click.echo(f"oascompile: skipped {len(result.skipped)} file(s) that are not API "
                       "definitions (use --verbose to list them)", err=True)
        click.echo(summary(result), err=True)
    elif fmt not in ("github",):
        for err in result.problems:
            report_input_error(err)
    if result.problems:
        sys.exit(EXIT_CANNOT_RUN)
    if write_baseline:
        sys.exit(EXIT_OK)
    threshold = SEVERITY_RANK[fail_on]
    failing = any(SEVERITY_RANK[f.severity] >= threshold for f in result.findings)
    sys.exit(EXIT_FINDINGS if failing else EXIT_OK)


def _render(fmt: str, result: Any, config: Any, *, hints: bool, colour: bool) -> str:
    """The report of ``result`` in ``fmt`` (one of :data:`FORMATS`) as a string."""
    from oascompile.lint.runner import enabled_rules

    if fmt == "json":
        from oascompile.report.lint_json import render

        return render(result)
    if fmt == "sarif":
        from oascompile.report.lint_sarif import render as render_sarif

        rules = enabled_rules(config)
        return render_sarif(result, rules, {r.id: config.setting(r.id).severity or r.severity
                                            for r in rules})
    if fmt == "github":
        from oascompile.report.lint_github import render as render_github

        return render_github(result)
    if fmt == "junit":
        from oascompile.report.lint_junit import render as render_junit

        return render_junit(result, result.paths)
    from oascompile.report.lint_text import render as render_text

    return render_text(result, colour=colour, show_hints=hints)


def check_outputs(output: str | None, write_baseline: str | None, inputs: list[str]) -> None:
    """Refuse, before any work, outputs that could not be written or would overwrite an input.

    Args:
        output: the ``-o`` report file, or None.
        write_baseline: the ``--write-baseline`` file, or None.
        inputs: every file the run reads (linted files, the ``--baseline`` file, the config
            file); ``-`` (standard input) is ignored.

    Raises:
        InputError: an output is a directory or in a missing/unwritable directory
            (``check_writable``), both outputs name the same file, or an output names an input
            (``same_file``: the same inode or resolved path).
    """
    outs = [(opt, path) for opt, path in (("-o", output), ("--write-baseline", write_baseline))
            if path]
    for _, path in outs:
        check_writable(path)
    if len(outs) == 2 and same_file(outs[0][1], outs[1][1]):
        raise InputError("-o and --write-baseline name the same file; give them different files",
                         outs[1][1])
    for opt, path in outs:
        for name in inputs:
            if name != "-" and same_file(path, name):
                raise InputError(f"{opt} would overwrite {name}, which this run reads; "
                                 "refusing (an output never overwrites an input)", path)


def nothing_linted(paths: tuple[str, ...], skipped: int) -> str:
    """The message for a run that found no API definition to lint in ``paths``."""
    where = ", ".join(paths)
    text = f"no API definitions found in {where}"
    if skipped:
        text += f" ({skipped} file(s) skipped: not API definitions)"
    return text


@click.command("rules")
@click.argument("rule_id", required=False)
@click.option("--format", "fmt", type=click.Choice(("text", "markdown", "json")), default="text",
              show_default=True)
@exits_on_input_error
def rules_command(rule_id: str | None, fmt: str) -> None:
    """List the lint rules, or print the documentation of RULE_ID."""
    import difflib
    import json

    from oascompile.lint.docs import rule_markdown, rule_text, rules_table
    from oascompile.lint.registry import all_rules

    rules = all_rules()
    if rule_id is None:
        if fmt == "json":
            click.echo(json.dumps([{"id": r.id, "severity": r.severity, "formats": list(r.formats),
                                    "summary": r.summary} for r in rules.values()], indent=1))
        elif fmt == "markdown":
            click.echo(rules_table(rules), nl=False)
        else:
            width = max(len(r) for r in rules)
            for r in rules.values():
                click.echo(f"{r.id:<{width}}  {r.severity:<7}  {r.summary}")
        return
    rule = rules.get(rule_id)
    if rule is None:
        close = difflib.get_close_matches(rule_id, list(rules), n=1)
        raise InputError(f"unknown rule {rule_id!r}" + (f"; did you mean {close[0]!r}?" if close
                                                        else "; see `oascompile rules`"))
    if fmt == "json":
        click.echo(json.dumps({"id": rule.id, "severity": rule.severity,
                               "formats": list(rule.formats), "summary": rule.summary,
                               "what": rule.what, "why": rule.why, "fix": rule.fix,
                               "options": rule.options, "references": list(rule.references)},
                              indent=1))
    elif fmt == "markdown":
        click.echo(rule_markdown(rule), nl=False)
    else:
        click.echo(rule_text(rule), nl=False)
