"""Request test cases for ``oascompile test``: loading (validated against
``schemas/test-cases.schema.json``), running through :func:`~oascompile.engine.decide.evaluate`,
and reporting as text or JUnit XML.  The file format is documented in docs/test-cases.md.
"""

from __future__ import annotations

import os
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from oascompile.engine.clock import DEFAULT_MAX_SKEW_WINDOW, parse_now
from oascompile.engine.certs import ClientCert, parse_client_certs
from oascompile.engine.decide import EvalContext, evaluate
from oascompile.engine.render import to_json
from oascompile.engine.request import Request, parse_request
from oascompile.engine.sessions import FileStore, GatewayOptions, load_sessions, session_problem
from oascompile.errors import InputError
from oascompile.ir import APIDefinition

_INHERITED = ("sessions", "now", "client_cert", "client_cert_pem", "tls")


@dataclass(frozen=True)
class Case:
    """One loaded case: ``name``, parsed ``request``, ``sessions`` (mapping or None), ``certs``,
    ``tls``, ``now`` (Unix seconds) and ``expect`` (the raw expectation mapping)."""

    name: str
    request: Request
    sessions: dict | None
    certs: tuple[ClientCert, ...]
    tls: bool
    now: float
    expect: dict


@dataclass(frozen=True)
class CaseResult:
    """Outcome of one case: ``passed``, ``problems`` (one line per mismatch), ``actual`` (the
    eval JSON object), ``seconds`` taken and ``keys_tried`` (see
    :attr:`~oascompile.engine.decide.Evaluation.keys_tried`, for redaction)."""

    case: Case
    passed: bool
    problems: tuple[str, ...]
    actual: dict
    seconds: float
    keys_tried: tuple[str, ...] = ()


def load_cases(path: str, limits: Any = None) -> list[Case]:
    """Load and validate a case file.

    ``limits`` (a :class:`~oascompile.load.LoadLimits`, default limits when None) applies to
    the case file and to the sessions and certificate files it names.  Top-level ``sessions``,
    ``now``, ``client_cert``, ``client_cert_pem`` and ``tls`` are defaults for every case; a
    sessions file named several times is read once.

    Raises InputError with ``file:line:col`` for YAML/JSON syntax errors, schema violations,
    malformed requests (at the offending line inside a YAML ``|`` block, else at the
    ``request`` value), unusable sessions (at the offending member), ``now`` values (at the
    value), and sessions or certificate files that cannot be read (at the value naming them,
    with the path tried).  Problems inside a sessions or certificate file are reported in
    that file.
    """
    from oascompile.load import LoadLimits, load_document
    from oascompile.schemas import iter_errors

    limits = limits or LoadLimits()
    doc = load_document(path, detect=False, limits=limits)
    errors = iter_errors("test-cases", doc.data)
    if errors:
        first = errors[0]
        raise doc.error(first.message, first.pointer)
    base = os.path.dirname(path) if path != "-" else "."
    data = doc.data
    cases = []
    names: set[str] = set()
    files: dict[str, dict] = {}
    for index, raw in enumerate(data["cases"]):
        ptr = f"/cases/{index}"
        if raw["name"] in names:
            raise doc.error(f"duplicate case name {raw['name']!r}", f"{ptr}/name")
        names.add(raw["name"])
        merged = {k: data[k] for k in _INHERITED if k in data}
        merged.update({k: raw[k] for k in _INHERITED if k in raw})

        def origin(key: str, raw: dict = raw, ptr: str = ptr) -> str:
            return f"{ptr}/{key}" if key in raw else f"/{key}"

        req = _parse_embedded_request(doc, raw["request"], f"{ptr}/request")
        sessions = _sessions(doc, merged.get("sessions"), base, origin("sessions"), limits, files)
        certs = _certs(doc, merged, base, origin, limits)
        now_ptr = origin("now")
        try:
            now = parse_now(merged.get("now"), "now")
        except InputError as err:  # at the value, which may be the file's default
            raise InputError(err.message, doc.name, *doc.value_position(now_ptr), now_ptr) from None
        cases.append(Case(raw["name"], req, sessions, certs, bool(merged.get("tls")) or bool(certs),
                          now, raw["expect"]))
    return cases


def _named_file_error(doc: Any, key: str, ptr: str, err: InputError) -> InputError:
    """A file named by the case file could not be read (no position inside it): report it at
    the value that names it, with the path tried."""
    if err.line is not None:
        return err
    return InputError(f"{key}: {err.file}: {err.message}", doc.name, *doc.value_position(ptr), ptr)


def _certs(doc: Any, merged: dict, base: str, origin: Any, limits: Any) -> tuple[ClientCert, ...]:
    if merged.get("client_cert_pem"):
        ptr = origin("client_cert_pem")
        try:
            return tuple(parse_client_certs(merged["client_cert_pem"].encode(), doc.name))
        except InputError as err:
            raise InputError(f"client_cert_pem: {err.message}", doc.name, *doc.value_position(ptr),
                             ptr) from None
    if merged.get("client_cert"):
        from oascompile.load import read_source

        try:
            name, craw = read_source(os.path.join(base, merged["client_cert"]), limits)
        except InputError as err:
            raise _named_file_error(doc, "client_cert", origin("client_cert"), err) from None
        return tuple(parse_client_certs(craw, name))
    return ()


def _block_scalar_position(doc: Any, ptr: str, line: int, column: int) -> tuple[int, int] | None:
    """File position of ``line``:``column`` of the text of a YAML literal block scalar (``|``)
    at ``ptr``, or None when the value is not one (quoted, plain, folded, JSON)."""
    import re

    if doc.syntax != "yaml":
        return None
    vline, vcol = doc.value_position(ptr)
    text_lines = doc.text.splitlines()
    header = text_lines[vline - 1][vcol - 1:] if vline <= len(text_lines) else ""
    m = re.match(r"\|([1-9])?[+-]?([1-9])?[ \t]*(#.*)?$", header)
    if not m:
        return None
    content = text_lines[vline:]
    explicit = m.group(1) or m.group(2)
    if explicit:
        indent = doc.position(ptr)[1] - 1 + int(explicit)
    else:
        first = next((t for t in content if t.strip()), "")
        indent = len(first) - len(first.lstrip(" "))
    if line > len(content) or not content[line - 1].startswith(" " * indent):
        return None
    return vline + line, indent + column


def _parse_embedded_request(doc: Any, text: str, ptr: str) -> Request:
    try:
        return parse_request(text, doc.name)
    except InputError as err:
        line, column = err.line or 1, err.column or 1
        where = _block_scalar_position(doc, ptr, line, column)
        if where is not None:
            raise InputError(f"request: {err.message}", doc.name, *where, ptr) from None
        inside = f" (line {line} of the request)" if line > 1 else ""
        raise InputError(f"request{inside}: {err.message}", doc.name, *doc.value_position(ptr),
                         ptr) from None


def _sessions(doc: Any, value: Any, base: str, ptr: str, limits: Any,
              files: dict[str, dict]) -> dict | None:
    """The sessions of one case: None, a file named relative to the case file (read once,
    cached in ``files``), or an inline mapping checked like a sessions file."""
    if value is None:
        return None
    if isinstance(value, str):
        spath = os.path.join(base, value)
        if spath not in files:
            try:
                files[spath] = load_sessions(spath, limits)
            except InputError as err:
                raise _named_file_error(doc, "sessions", ptr, err) from None
        return files[spath]
    for key_id, data in value.items():
        problem = session_problem(data)
        if problem is not None:
            where, message = problem
            at = f"{ptr}/{_escape(key_id)}"
            line, column = doc.position(at + where) if where else doc.value_position(at)
            raise InputError(f"session {key_id!r}: {message}", doc.name, line, column,
                             at + where)
    return value


def _escape(key: Any) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def check(expect: dict, actual: dict) -> list[str]:
    """Compare an ``expect`` mapping with an eval JSON object; one problem line per mismatch.

    ``token``/``source``/``status``/``error``/``upstream.method``/``upstream.target`` exactly;
    ``source_name`` case-insensitively when the source is a header; header names
    case-insensitively and values trimmed of spaces/tabs."""
    problems = []
    for key in ("token", "source", "status", "error"):
        if key in expect and expect[key] != actual.get(key):
            problems.append(f"{key}: expected {expect[key]!r}, got {actual.get(key)!r}")
    if "source_name" in expect:
        want, have = expect["source_name"], actual.get("source_name")
        header = "header" in (actual.get("source"), expect.get("source"))
        same = (want.lower() == have.lower()) if header and isinstance(want, str) and isinstance(have, str) \
            else want == have
        if not same:
            problems.append(f"source_name: expected {want!r}, got {have!r}")
    up_want = expect.get("upstream") or {}
    up = actual["upstream"]
    for key in ("method", "target"):
        if key in up_want and up_want[key] != up[key]:
            problems.append(f"upstream.{key}: expected {up_want[key]!r}, got {up[key]!r}")
    pairs = [(n.lower(), v.strip(" \t")) for n, v in up["headers"]]
    if "headers" in up_want:
        want_pairs = [(n.lower(), v.strip(" \t")) for n, v in up_want["headers"]]
        if want_pairs != pairs:
            problems.append(f"upstream.headers: expected {up_want['headers']!r}, got {up['headers']!r}")
    for name, value in up_want.get("headers_include", []):
        if (name.lower(), value.strip(" \t")) not in pairs:
            problems.append(f"upstream header {name}: {value!r} missing "
                            f"(have {[v for n, v in pairs if n == name.lower()]!r})")
    for name in up_want.get("headers_exclude", []):
        if any(n == name.lower() for n, _ in pairs):
            problems.append(f"upstream header {name} should have been removed")
    for name, values in up_want.get("header_values", {}).items():
        have = [v for n, v in pairs if n == name.lower()]
        want = [v.strip(" \t") for v in values]
        if have != want:
            problems.append(f"upstream header {name} values: expected {want!r}, got {have!r}")
    return problems


def run_cases(api: APIDefinition, cases: list[Case], options: GatewayOptions,
              max_clock_skew_window: int = DEFAULT_MAX_SKEW_WINDOW) -> list[CaseResult]:
    """Evaluate every case and compare with its expectation (in file order).

    ``max_clock_skew_window`` caps the signature timestamps tried (see :class:`EvalContext`)."""
    results = []
    for case in cases:
        start = time.perf_counter()
        store = FileStore(case.sessions, options) if case.sessions is not None else None
        ctx = EvalContext(store=store, certs=case.certs, tls=case.tls, now=case.now, options=options,
                          max_clock_skew_window=max_clock_skew_window)
        ev = evaluate(api, case.request, ctx)
        actual = to_json(ev)
        problems = check(case.expect, actual)
        results.append(CaseResult(case, not problems, tuple(problems), actual,
                                  time.perf_counter() - start, ev.keys_tried))
    return results


def to_report_text(results: list[CaseResult]) -> str:
    """``PASS name`` / ``FAIL name`` lines (with one indented line per problem) and a summary."""
    lines = []
    for r in results:
        lines.append(f"{'PASS' if r.passed else 'FAIL'} {r.case.name}")
        lines.extend(f"    {p}" for p in r.problems)
    failed = sum(not r.passed for r in results)
    lines.append(f"{len(results)} cases: {len(results) - failed} passed, {failed} failed")
    return "\n".join(lines) + "\n"


def to_junit(results: list[CaseResult], definition: str, cases_path: str) -> str:
    """JUnit XML: one ``<testsuite>`` named after the case file, one ``<testcase>`` per case,
    ``<failure>`` holding the mismatch lines."""
    failed = sum(not r.passed for r in results)
    suites = ET.Element("testsuites", tests=str(len(results)), failures=str(failed))
    suite = ET.SubElement(suites, "testsuite", name=cases_path, tests=str(len(results)),
                          failures=str(failed), errors="0",
                          time=f"{sum(r.seconds for r in results):.6f}")
    ET.SubElement(ET.SubElement(suite, "properties"), "property", name="definition", value=definition)
    for r in results:
        tc = ET.SubElement(suite, "testcase", classname=f"oascompile.test.{os.path.basename(cases_path)}",
                           name=r.case.name, time=f"{r.seconds:.6f}")
        if not r.passed:
            failure = ET.SubElement(tc, "failure", message=r.problems[0], type="AssertionError")
            failure.text = "\n".join(r.problems)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
