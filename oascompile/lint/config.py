"""Lint configuration: which rules run, at which severity, with which options, on which files.

Read from (first found, searching from the working directory upwards, like ruff and
yamllint): ``.oascompile.yaml`` / ``.oascompile.yml``, or a ``pyproject.toml`` with a
``[tool.oascompile]`` table; or from the file named by ``--config``.  Layout (YAML)::

    include: ["apis/**/*.yaml"]      # fnmatch globs, relative to the config file; `*` crosses /
    exclude: ["apis/vendor/*"]
    rules:
      token-in-query: warning         # change the severity
      strip-cookie-prefix: off        # disable
      signature-secret-plaintext:
        severity: error
        options: {reference-prefixes: ["$tyk_meta.", "$secret_"]}

The same keys go under ``[tool.oascompile]`` / ``[tool.oascompile.rules]`` in pyproject.toml.
Every problem in a configuration file is an :class:`~oascompile.errors.InputError`.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oascompile.errors import InputError
from oascompile.pointer import escape
from oascompile.lint.registry import SEVERITIES, all_rules, option_problem

CONFIG_NAMES = (".oascompile.yaml", ".oascompile.yml")
OFF = ("off", "disable", "disabled", False)


@dataclass
class RuleSetting:
    """A rule's configured state: ``enabled``, ``severity`` (None = default), ``options``."""

    enabled: bool = True
    severity: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class LintConfig:
    """The effective configuration.

    Attributes:
        source: the file it came from (None = built-in defaults).
        root: the directory include/exclude globs are relative to.
        include / exclude: fnmatch globs for files found by searching directories.
        rules: rule id → :class:`RuleSetting` (rules not listed use their defaults).
    """

    source: str | None = None
    root: Path = field(default_factory=Path.cwd)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    rules: dict[str, RuleSetting] = field(default_factory=dict)

    def setting(self, rule_id: str) -> RuleSetting:
        """The setting of ``rule_id`` (defaults when not configured)."""
        return self.rules.get(rule_id, RuleSetting())

    def selects(self, path: str) -> bool:
        """True when a file found by directory search passes include/exclude."""
        try:
            rel = Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            rel = Path(path).as_posix()
        if self.include and not any(fnmatch.fnmatch(rel, g) for g in self.include):
            return False
        return not any(fnmatch.fnmatch(rel, g) for g in self.exclude)


def find_config(start: Path | None = None) -> Path | None:
    """The nearest configuration file from ``start`` (default: cwd) upwards, or None."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        for name in CONFIG_NAMES:
            if (directory / name).is_file():
                return directory / name
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and "tool.oascompile" in pyproject.read_text(errors="replace"):
            return pyproject
    return None


def load_config(path: str | None = None) -> LintConfig:
    """Load the configuration named by ``path`` (``--config``), else the one found upwards.

    Raises:
        InputError: unreadable, undecodable (not UTF-8) or unparsable file, a directory, an
            unknown rule id, severity or option, an option value of the wrong type; with the
            file's line and column where there is one.  An empty YAML file (or one holding only
            comments) means the defaults.
    """
    found = Path(path) if path else find_config()
    if found is None:
        return LintConfig()
    if found.is_dir():
        raise InputError("is a directory, expected a configuration file (.oascompile.yaml or "
                         "pyproject.toml)", str(found))
    if not found.is_file():
        raise InputError("configuration file not found", str(found))
    raw, positions = _read(found)
    return _build(raw, str(found), found.resolve().parent, positions)


_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
TOML_BASES = (("tool", "oascompile"), ("tool", "oascompile", "lint"))


def _read(path: Path) -> tuple[dict, Any]:
    from oascompile.load import decode, parse_document, read_source

    name, raw = read_source(str(path))
    text = decode(name, raw)
    if path.suffix == ".toml":
        import tomllib

        from oascompile.lint.tomlpos import TomlPositions

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            message = str(exc)
            m = _TOML_AT.search(message)
            if m:
                raise InputError(f"invalid TOML: {message[:m.start()]}", name, int(m.group(1)),
                                 int(m.group(2))) from None
            if message.endswith("(at end of document)"):
                lines = text.splitlines() or [""]
                raise InputError(f"invalid TOML: {message[:-len(' (at end of document)')]} "
                                 "at the end of the file", name, len(lines),
                                 len(lines[-1]) + 1) from None
            raise InputError(f"invalid TOML: {message}", name) from None
        tool = data.get("tool")
        table = tool.get("oascompile") if isinstance(tool, dict) else None
        if table is None:
            raise InputError("no [tool.oascompile] table", name, 1, 1)
        positions = TomlPositions(text, TOML_BASES)
        if not isinstance(table, dict):
            raise _err("[tool.oascompile] must be a table", name, positions, "")
        if isinstance(table.get("lint"), dict):  # also accept [tool.oascompile.lint]
            table = {**table, **table["lint"]}
        return table, positions
    if all(not line.strip() or line.lstrip().startswith("#") or line.strip() in ("---", "...")
           for line in text.splitlines()):
        return {}, None  # empty, or comments only: the defaults
    doc = parse_document(name, text, detect=False)
    if doc.data is None:
        return {}, doc
    if not isinstance(doc.data, dict):
        raise InputError("the configuration must be a mapping", name, 1, 1)
    return doc.data, doc


def _err(msg: str, file: str, positions: Any, ptr: str) -> InputError:
    if positions is not None:
        line, col = positions.position(ptr)
        return InputError(msg, file, line, col, ptr or None)
    return InputError(msg, file, pointer=ptr or None)


def _globs(value: Any, key: str, file: str, positions: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _err(f"`{key}` must be a list of glob strings", file, positions, "/" + key)
    return value


def _build(raw: dict, file: str, root: Path, positions: Any) -> LintConfig:
    known = {"include", "exclude", "rules", "lint", "compile", "eval"}
    for key in raw:
        if key not in known:
            raise _err(f"unknown configuration key `{key}` (expected include, exclude, rules)",
                       file, positions, "/" + key)
    config = LintConfig(source=file, root=root,
                        include=_globs(raw.get("include"), "include", file, positions),
                        exclude=_globs(raw.get("exclude"), "exclude", file, positions))
    rules = raw.get("rules") or {}
    if not isinstance(rules, dict):
        raise _err("`rules` must be a mapping of rule id to setting", file, positions, "/rules")
    catalogue = all_rules()
    for rule_id, value in rules.items():
        ptr = "/rules/" + escape(str(rule_id))
        if rule_id not in catalogue:
            close = difflib.get_close_matches(rule_id, list(catalogue), n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            raise _err(f"unknown rule `{rule_id}`{hint}", file, positions, ptr)
        config.rules[rule_id] = _setting(value, catalogue[rule_id], file, positions, ptr)
    return config


def _setting(value: Any, rule: Any, file: str, positions: Any, ptr: str) -> RuleSetting:
    if value in OFF or value is None:
        return RuleSetting(enabled=False)
    if value is True or value == "on":
        return RuleSetting()
    if isinstance(value, str):
        if value not in SEVERITIES:
            raise _err(f"rule `{rule.id}`: expected off or a severity ({', '.join(SEVERITIES)}), "
                       f"got {value!r}", file, positions, ptr)
        return RuleSetting(severity=value)
    if isinstance(value, dict):
        if not isinstance(value.get("enabled", True), bool):
            raise _err(f"rule `{rule.id}`: `enabled` must be true or false", file, positions,
                       ptr + "/enabled")
        setting = RuleSetting(enabled=value.get("enabled", True) is not False)
        severity = value.get("severity")
        if severity is not None:
            if severity in OFF:
                setting.enabled = False
            elif severity not in SEVERITIES:
                raise _err(f"rule `{rule.id}`: unknown severity {severity!r}", file, positions,
                           ptr + "/severity")
            else:
                setting.severity = severity
        options = value.get("options") or {}
        if not isinstance(options, dict):
            raise _err(f"rule `{rule.id}`: options must be a mapping", file, positions,
                       ptr + "/options")
        for name in options:
            if name not in rule.options:
                allowed = ", ".join(rule.options) or "none"
                raise _err(f"rule `{rule.id}` has no option `{name}` (options: {allowed})",
                           file, positions, f"{ptr}/options/{name}")
            problem = option_problem(rule.option_types[name], options[name])
            if problem is not None:
                raise _err(f"rule `{rule.id}`: option `{name}`: {problem[1]}", file, positions,
                           f"{ptr}/options/{name}{problem[0]}")
        setting.options = dict(options)
        return setting
    raise _err(f"rule `{rule.id}`: expected off, a severity, or a mapping", file, positions, ptr)


def relpath(path: str) -> str:
    """``path`` relative to the working directory when possible (for messages)."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return path
