"""The lint driver: load each file once, run every enabled rule on it, collect findings.

Data flow (check-jsonschema's checker): paths → :func:`oascompile.load.load_document` →
rules (:mod:`oascompile.lint.rules`) → suppressions and baseline → sorted findings.  A file that
cannot be loaded is recorded as a problem (an InputError value), and the other files are still
linted; nothing here prints or exits.  Schemas and validators are compiled once per process
(module-level caches), so linting many files shares the start-up cost; from POOL_MIN_FILES
files on (Linux), forked worker processes share the work and inherit those caches.  Findings
are sorted at the end, so the result does not depend on how the work was split.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from oascompile.errors import InputError, NotADefinitionError
from oascompile.lint.config import LintConfig
from oascompile.lint.context import LintContext
from oascompile.lint.registry import Finding, Rule, all_rules
from oascompile.lint.suppress import Suppressions


@dataclass
class LintResult:
    """What a lint run produced.

    Attributes:
        files: number of files linted or attempted.
        findings: findings after suppression and baseline, sorted by file, line, column.
        problems: files that could not be linted (InputError with file:line:col).
        suppressed: findings dropped by comments / ``x-oascompile-ignore``.
        baselined: findings dropped because the baseline holds them.
        all_findings: findings before the baseline (what ``--write-baseline`` stores).
        paths: every file linted or attempted, in order.
        skipped: files found by searching a directory that parsed but are not API definitions
            (a sessions file, a CI config): not linted, not counted in ``files``.
    """

    files: int = 0
    findings: list[Finding] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)
    suppressed: int = 0
    baselined: int = 0
    all_findings: list[Finding] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    skipped: list[InputError] = field(default_factory=list)


@dataclass
class Discovery:
    """The files a lint run will read, found from its PATH arguments.

    Attributes:
        targets: files to lint, in order, each once (de-duplicated by real path; ``-`` is
            standard input).
        searched: the targets that were found by searching a directory (not named
            explicitly); those that are not API definitions are skipped, not errors.
        problems: PATH arguments that do not exist (InputError each).
        ignore_unknown: ``--ignore-unknown``: a named file that cannot be read as data and
            shows no sign of being an API definition (a CloudFormation template with ``!Ref``,
            a multi-document Kubernetes manifest, a JSONC ``tsconfig.json``) is skipped too.
    """

    targets: list[str] = field(default_factory=list)
    searched: set[str] = field(default_factory=set)
    problems: list[InputError] = field(default_factory=list)
    ignore_unknown: bool = False


_DEFINITION_MARKER = re.compile(
    r"""["']?\b(openapi|x-tyk-api-gateway|api_id|auth_configs|use_keyless|use_standard_auth)\b["']?\s*:""")


def looks_like_definition(path: str) -> bool:
    """True when the file's text has a key that marks a Tyk OAS or Classic definition (used to
    tell a broken definition, which must fail, from some other unreadable JSON/YAML file)."""
    try:
        with open(path, "rb") as fh:
            text = fh.read(DEFAULT_SCAN_BYTES).decode("utf-8", "replace")
    except OSError:
        return True
    return _DEFINITION_MARKER.search(text) is not None


DEFAULT_SCAN_BYTES = 1 << 20


def discover(paths: Iterable[str], config: LintConfig, ignore_unknown: bool = False,
             ) -> Discovery:
    """Expand PATH arguments into the files to lint.

    Directories are searched for ``*.json``/``*.yaml``/``*.yml``; what they yield is filtered by
    the configuration's include/exclude globs and dotfiles are skipped.  A file named twice
    (``apis/../apis/x.yaml apis/x.yaml``, or named and also found in a directory) is linted
    once, under the first name it was given.  Nothing is read here except directory listings.
    With ``ignore_unknown`` (pre-commit passes every changed file by name), files named
    explicitly are treated like searched ones: skipped when they are not API definitions.
    """
    from pathlib import Path

    from oascompile.commands.common import iter_definition_files

    found = Discovery(ignore_unknown=ignore_unknown)
    explicit = set(paths)
    seen: set[str] = set()
    for path, error in iter_definition_files(list(paths)):
        if error is not None:
            found.problems.append(error)
            continue
        if path not in explicit and (Path(path).name.startswith(".") or not config.selects(path)):
            continue  # found by a directory search: skip dotfiles and what the config excludes
        key = path if path == "-" else os.path.realpath(path)
        if key in seen:
            continue
        seen.add(key)
        found.targets.append(path)
        if path not in explicit or (ignore_unknown and path != "-"):
            found.searched.add(path)
    return found


def enabled_rules(config: LintConfig) -> list[Rule]:
    """The rules the configuration leaves on, in catalogue order."""
    return [r for r in all_rules().values() if config.setting(r.id).enabled]


def lint_document(doc: Any, config: LintConfig, settings: dict[str, Any] | None = None,
                  rules: Iterable[Rule] | None = None) -> tuple[list[Finding], int]:
    """Run the enabled rules on one loaded document.

    Returns ``(findings, suppressed count)``; findings are sorted.  Raises InputError when a
    rule fails unexpectedly (a bug), so the caller reports the file instead of a traceback.
    """
    ctx = LintContext(doc, settings)
    for rule in rules if rules is not None else enabled_rules(config):
        if doc.kind not in rule.formats:
            continue
        setting = config.setting(rule.id)
        ctx.rule = rule
        ctx.severity = setting.severity or rule.severity
        ctx.options = {**rule.options, **setting.options}
        try:
            rule.check(ctx)
        except Exception as exc:
            if os.environ.get("OASCOMPILE_DEBUG"):
                raise
            raise InputError(f"rule {rule.id} failed on this file: {type(exc).__name__}: {exc} "
                             "(please report it)", doc.name, 1, 1) from None
    unique = {(f.rule, f.pointer, f.line, f.column, f.message): f for f in ctx.findings}
    sup = Suppressions(doc.text, doc.data, doc.syntax)
    kept = [f for f in unique.values() if not sup.suppressed(f)]
    return sorted(kept, key=Finding.sort_key), len(unique) - len(kept)


def lint_paths(paths: Iterable[str], config: LintConfig, *, settings: dict[str, Any] | None = None,
               baseline: set[str] | None = None, found: Discovery | None = None) -> LintResult:
    """Lint files and directories (see :func:`discover`; pass ``found`` to reuse a discovery
    already made).  A file found by searching a directory that is not an API definition
    (:class:`~oascompile.errors.NotADefinitionError`) goes to ``skipped``; every other file
    that cannot be loaded is a problem."""
    found = found if found is not None else discover(paths, config)
    result = LintResult(problems=list(found.problems))
    result.paths = [e.file or "" for e in found.problems]
    for path, (findings, suppressed, problem) in zip(
            found.targets, _lint_many(found.targets, config, settings, enabled_rules(config))):
        if isinstance(problem, NotADefinitionError) and path in found.searched:
            result.skipped.append(problem)
            continue
        if problem is not None and found.ignore_unknown and path in found.searched \
                and not looks_like_definition(path):
            result.skipped.append(NotADefinitionError(
                f"not an API definition (and not readable as one: {problem.message})",
                problem.file, problem.line, problem.column))
            continue
        result.paths.append("<stdin>" if path == "-" else path)
        if problem is not None:
            result.problems.append(problem)
            continue
        result.suppressed += suppressed
        result.all_findings.extend(findings)
    result.files = len(result.paths)
    result.all_findings.sort(key=Finding.sort_key)
    if baseline:
        from oascompile.lint.baseline import fingerprint  # hashlib only when a baseline is used

        result.findings = [f for f in result.all_findings if fingerprint(f) not in baseline]
        result.baselined = len(result.all_findings) - len(result.findings)
    else:
        result.findings = list(result.all_findings)
    result.problems.sort(key=lambda e: (e.file or "", e.line or 0, e.column or 0))
    return result


# ------------------------------------------------------------------------ many files at once
POOL_MIN_FILES = 200  # below this a process pool costs more than it saves (~3 ms per file)
_Outcome = tuple[list[Finding], int, "InputError | None"]
_JOB: tuple[LintConfig, dict[str, Any] | None, list[Rule]] | None = None


def _lint_one(path: str, config: LintConfig, settings: dict[str, Any] | None,
              rules: list[Rule]) -> _Outcome:
    """Load and lint one file: (findings, suppressed count, the problem or None)."""
    from oascompile.load import DEFAULT_MAX_BYTES, LoadLimits, load_document

    try:
        max_bytes = (settings or {}).get("max_bytes", DEFAULT_MAX_BYTES)
        doc = load_document(path, limits=LoadLimits(max_bytes=max_bytes))
        findings, suppressed = lint_document(doc, config, settings, rules)
    except InputError as err:
        return [], 0, err
    except RecursionError:
        return [], 0, InputError("the document is nested too deeply to lint", path, 1, 1)
    return findings, suppressed, None


def _lint_job(path: str) -> _Outcome:
    assert _JOB is not None
    return _lint_one(path, *_JOB)


def pool_size(paths: list[str]) -> int:
    """Worker processes for linting ``paths``: 1 (no pool) for fewer than POOL_MIN_FILES files,
    standard input, or a platform without ``fork``; else one per usable CPU (at most 8).
    ``OASCOMPILE_JOBS=N`` overrides the CPU count (``1`` turns the pool off)."""
    import sys

    jobs = os.environ.get("OASCOMPILE_JOBS", "")
    cpus = int(jobs) if jobs.isdigit() and int(jobs) > 0 else \
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if len(paths) < POOL_MIN_FILES or "-" in paths or not sys.platform.startswith("linux"):
        return 1
    return max(1, min(cpus, 8, len(paths) // 50))


def _lint_many(paths: list[str], config: LintConfig, settings: dict[str, Any] | None,
               rules: list[Rule]) -> list[_Outcome]:
    """Lint every path, in order; forked workers when :func:`pool_size` says it pays.  Workers
    inherit the loaded modules and compiled validators, so only paths and results cross."""
    global _JOB
    workers = pool_size(paths)
    if workers <= 1:
        return [_lint_one(p, config, settings, rules) for p in paths]
    import multiprocessing

    outcomes = [_lint_one(paths[0], config, settings, rules)]  # warm the caches before fork
    _JOB = (config, settings, rules)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            outcomes += pool.map(_lint_job, paths[1:], chunksize=max(1, len(paths) // (workers * 8)))
    finally:
        _JOB = None
    return outcomes
