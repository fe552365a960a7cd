"""``oascompile compile``: Tyk Classic ⇄ Tyk OAS for the Auth Token method (cli-contract.md).

One file: the result goes to stdout (or ``-o FILE``, written atomically), the migration report
to stderr as text (or ``--report FILE`` as JSON).  A directory with ``-o DIR``: every
definition in it is converted (batch migration), one report line per file, a progress bar when
stderr is a terminal; a file that fails is reported and the others carry on; files already in
the target format are skipped.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from oascompile.commands.common import (check_writable, exits_on_input_error,
                                        iter_definition_files, same_file, write_atomic)
from oascompile.errors import EXIT_CANNOT_RUN, EXIT_FINDINGS, InputError, NotADefinitionError
from oascompile.load import DEFAULT_MAX_BYTES, LoadLimits, load_document
from oascompile.report.migration import MigrationReport, ReportEntry

FORMAT_NAMES = {"classic": "Tyk Classic", "oas": "Tyk OAS"}


class AlreadyTargetError(InputError):
    """The input is already in the target format (exit 2 for one file; skipped in a batch)."""


def render(data: dict[str, Any], fmt: str) -> str:
    """Serialise a document as JSON (2-space indent, UTF-8) or YAML (block style)."""
    if fmt == "yaml":
        import io

        from ruamel.yaml import YAML

        yaml = YAML(typ="safe", pure=True)
        yaml.default_flow_style = False
        yaml.sort_base_mapping_type_on_output = False  # type: ignore[attr-defined]
        buf = io.StringIO()
        yaml.dump(data, buf)
        return buf.getvalue()
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _output_format(fmt: str | None, output: str | None) -> str:
    if fmt:
        return fmt
    if output and output.lower().endswith((".yaml", ".yml")):
        return "yaml"
    return "json"


def _schema_warnings(out: dict[str, Any], to: str) -> list[ReportEntry]:
    """Check what we emit against our own schema; a failure is our bug, said as a warning."""
    from oascompile.schemas import iter_errors

    if to == "oas":
        errors = iter_errors("x-tyk-api-gateway", out["x-tyk-api-gateway"], "/x-tyk-api-gateway")
    else:
        errors = iter_errors("classic", out)
    return [ReportEntry("warning", "", f"the output fails oascompile's {to} schema at "
                        f"{e.pointer or '/'}: {e.message} (please report this)") for e in errors]


def _openapi_warnings(out: dict[str, Any]) -> list[ReportEntry]:
    """openapi-spec-validator's first error on the OAS output, as a warning (none when valid).

    The fast proof (:mod:`oascompile.lint.openapi_fast`) answers most outputs without importing
    osv; otherwise osv runs with its pure-Python backend, so the message is osv's own."""
    from oascompile.lint.openapi_fast import exact_validator_class, proven_valid

    if proven_valid(out):
        return []
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    try:
        exact_validator_class(str(out.get("openapi", "3.0")))(out).validate()
    except OpenAPIValidationError as exc:
        return [ReportEntry("warning", "", f"the output is not valid OpenAPI: {exc.message}")]
    return []


def convert_one(path: str, to: str, limits: LoadLimits, validate_openapi: bool,
                ) -> tuple[dict[str, Any], MigrationReport]:
    """Load, convert and check one definition.

    Returns ``(output document, report)``.  Raises InputError when the file cannot be read or
    parsed, is neither kind of definition, is already in the target format, or has a wrong
    type in a field we read.
    """
    from oascompile import convert

    doc = load_document(path, limits=limits)
    if doc.kind == to:
        raise AlreadyTargetError(f"already a {FORMAT_NAMES[to]} API definition; nothing to convert "
                         f"(use --to {'classic' if to == 'oas' else 'oas'} for the other "
                         "direction)", doc.name, 1, 1)
    result = convert.to_oas(doc) if to == "oas" else convert.to_classic(doc)
    entries = result.entries + _schema_warnings(result.output, to)
    if doc.json_error is not None:
        entries.insert(0, ReportEntry(
            "warning", "", f"the input is not valid JSON ({doc.json_error.located()}); it was "
            "read as YAML, which accepts it, but Tyk would refuse the file"))
    if validate_openapi and to == "oas":
        entries += _openapi_warnings(result.output)
    from oascompile.redact import secrets_in_document

    report = MigrationReport(doc.name, doc.kind, to, None, entries,
                             secrets=frozenset(secrets_in_document(doc.data)))
    return result.output, report


@click.command("compile")
@click.argument("input_path", metavar="INPUT")
@click.option("--to", "to", type=click.Choice(["classic", "oas"]), required=True,
              help="Target format.")
@click.option("--format", "fmt", type=click.Choice(["json", "yaml"]), default=None,
              help="Output syntax (default: from the -o extension, else JSON).")
@click.option("-o", "--output", "output", default=None, metavar="OUTPUT",
              help="Write the result here (atomically) instead of stdout; a directory for a "
                   "directory INPUT.")
@click.option("--report", "report_path", default=None, metavar="REPORT",
              help="Write the migration report here as JSON instead of text on stderr.")
@click.option("--in-place", is_flag=True, help="Allow -o to overwrite the input file.")
@click.option("--validate-openapi", is_flag=True,
              help="Also validate the OAS output with openapi-spec-validator.")
@click.option("--max-size", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES,
              show_default=True, help="Largest accepted input, in bytes.")
@click.option("--strict", is_flag=True,
              help="Exit 1 when the migration report has a warning (an auth method not "
                   "converted, a behaviour change): for CI migrations that must be reviewed.")
@click.option("--show-secrets", is_flag=True,
              help="Show signature secrets in the migration report (redacted by default).")
@exits_on_input_error
def compile_command(input_path: str, to: str, fmt: str | None, output: str | None,
                    report_path: str | None, in_place: bool, validate_openapi: bool,
                    max_size: int, strict: bool, show_secrets: bool) -> None:
    """Convert INPUT (a file, `-` for stdin, or a directory) to Tyk Classic or Tyk OAS."""
    limits = LoadLimits(max_bytes=max_size)
    if input_path != "-" and Path(input_path).is_dir():
        if not output:
            raise click.UsageError("a directory INPUT needs -o DIR for the converted files")
        sys.exit(_compile_directory(input_path, output, to, fmt or "json", report_path,
                                    limits, validate_openapi, show_secrets, in_place, strict))
    if output == "-":
        output = None
    if report_path == "-":
        if output is None:
            raise InputError("--report - and the converted definition would both go to "
                             "standard output; give -o FILE or --report FILE")
    fmt = _output_format(fmt, output)
    for target in (output, report_path):
        if target and target != "-":
            check_writable(target)
    if output and input_path != "-" and not in_place and same_file(input_path, output):
        raise InputError("-o names the input file; refusing to overwrite it (add --in-place)",
                         output)
    if report_path and input_path != "-" and same_file(input_path, report_path):
        raise InputError("--report names the input file; refusing to overwrite it",
                         report_path)
    if report_path and output and same_file(output, report_path):
        raise InputError("-o and --report name the same file; give them different paths",
                         report_path)
    out, report = convert_one(input_path, to, limits, validate_openapi)
    report.show_secrets = show_secrets
    text = render(out, fmt)
    if output:
        write_atomic(output, text)
        report.output = output
    else:
        sys.stdout.write(text)
    _emit_report([report], report_path, single=True)
    if strict and _has_warning(report):
        sys.exit(EXIT_FINDINGS)


def _has_warning(report: MigrationReport) -> bool:
    return any(e.kind == "warning" for e in report.entries)


def _emit_report(reports: list[MigrationReport], report_path: str | None, single: bool) -> None:
    if report_path:
        payload: Any = reports[0].to_json() if single else [r.to_json() for r in reports]
        text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
        if report_path == "-":
            sys.stdout.write(text)
        else:
            write_atomic(report_path, text)
    elif single:
        click.echo(reports[0].to_text(), err=True)


def _compile_directory(src: str, dest: str, to: str, fmt: str, report_path: str | None,
                       limits: LoadLimits, validate_openapi: bool, show_secrets: bool = False,
                       in_place: bool = False, strict: bool = False) -> int:
    dest_real = os.path.realpath(dest)
    below = dest_real != os.path.realpath(src)  # an -o DIR inside INPUT holds earlier outputs
    files = [p for p, err in iter_definition_files([src]) if err is None
             and not (below and os.path.realpath(p).startswith(dest_real + os.sep))]
    if report_path and any(same_file(f, report_path) for f in files):
        raise InputError("--report names one of the input files; refusing to overwrite it",
                         report_path)
    written: dict[str, str] = {}
    input_keys = {_file_key(f): f for f in files}
    try:
        os.makedirs(dest, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output directory: {exc.strerror}", dest) from None
    reports: list[MigrationReport] = []
    failed = converted = skipped = 0
    show_bar = sys.stderr.isatty()
    with click.progressbar(files, label="converting", file=sys.stderr,
                           hidden=not show_bar) as bar:
        for path in bar:
            rel = os.path.relpath(path, src)
            target = os.path.join(dest, os.path.splitext(rel)[0] + (".yaml" if fmt == "yaml"
                                                                     else ".json"))
            try:
                out, report = convert_one(path, to, limits, validate_openapi)
                _check_target(path, target, input_keys, written, in_place)
                os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
                write_atomic(target, render(out, fmt))
                written[os.path.realpath(target)] = path
                report.output = target
                converted += 1
            except InputError as err:
                if isinstance(err, (AlreadyTargetError, NotADefinitionError)):
                    skipped += 1
                    report = MigrationReport(path, None, to, None, [], None, skipped=err.message)
                else:
                    failed += 1
                    report = MigrationReport(path, None, to, None, [], err.located())
            report.show_secrets = show_secrets
            reports.append(report)
    for report in reports:
        click.echo(report.summary(), err=True)
    click.echo(f"{converted} converted, {skipped} skipped (already {FORMAT_NAMES[to]}, or not "
               f"an API definition), {failed} failed", err=True)
    if report_path:
        _emit_report(reports, report_path, single=False)
    if failed:
        return EXIT_CANNOT_RUN
    return EXIT_FINDINGS if strict and any(_has_warning(r) for r in reports) else 0


def _file_key(path: str) -> tuple[int, int] | str:
    """Identity of a file for overwrite checks: (device, inode) when it exists, else its
    resolved path (hard and symbolic links included, like :func:`same_file`)."""
    try:
        st = os.stat(path)
        return (st.st_dev, st.st_ino)
    except OSError:
        return os.path.realpath(path)


def _check_target(path: str, target: str, inputs: dict[tuple[int, int] | str, str],
                  written: dict[str, str], in_place: bool) -> None:
    """Refuse (InputError) a batch output that would overwrite an input file (unless
    ``--in-place`` and it is this file's own input) or an output this run already wrote.

    ``inputs`` maps :func:`_file_key` of every input to its path (built once per batch, so the
    check is constant time per file)."""
    earlier = written.get(os.path.realpath(target))
    if earlier is not None:
        raise InputError(f"{target} was already written for {earlier} in this run; "
                         "refusing to overwrite it", path)
    other = inputs.get(_file_key(target))
    if other is not None:
        own = same_file(other, path)
        if not (in_place and own):
            raise InputError(f"the output {target} would overwrite the input {other}; "
                             "refusing (use another -o directory"
                             + (", or --in-place)" if own else ")"), path)