"""The rule registry: what a lint rule is, and the catalogue of all rules.

A rule (after yamllint's rule modules and ruff's rule docs, see STYLE.md) is one unit with a
kebab-case id, a default severity, option defaults, its documentation (what it checks, why it
matters with the Tyk behaviour or RFC behind it, a failing and a passing example, the fix) and a
``check`` function.  The examples are YAML snippets kept beside the check: ``oascompile rules
ID`` and ``docs/rules.md`` are rendered from them, and ``tests/test_lint_rules.py`` runs them,
so documentation and behaviour cannot drift.

Rules are registered with the :func:`rule` decorator when their module under
:mod:`oascompile.lint.rules` is imported; :func:`all_rules` imports every family module once.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from oascompile.lint.context import LintContext

SEVERITIES = ("error", "warning", "info")
"""Severities, most severe first (cli-contract.md)."""

SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}

RULE_FAMILIES = ("schema", "locations", "oas_security", "oas_extension", "strip",
                 "certificates", "signature", "classic", "document")
"""Modules under :mod:`oascompile.lint.rules`, one per rule family."""

_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Example:
    """One documented example: a YAML snippet and where the finding lands.

    Attributes:
        text: a complete API definition (Tyk OAS or Tyk Classic) as YAML.
        line: for a failing example, the 1-based line of the (first) finding; None for passing.
        column: the 1-based column of that finding.
        options: rule options to apply when running the example (``{}`` = defaults).
        name: the file name the example is linted under (its extension matters to
            ``json-syntax``; the text is shown as JSON in the docs when it ends in ``.json``).
    """

    text: str
    line: int | None = None
    column: int | None = None
    options: dict[str, Any] = field(default_factory=dict)
    name: str = "example.yaml"


@dataclass(frozen=True)
class Finding:
    """One lint finding, as it flows to the reporters (cli-contract.md ``lint`` JSON).

    ``line``/``column`` are 1-based; ``pointer`` is an RFC 6901 JSON Pointer into the file.
    """

    rule: str
    severity: str
    message: str
    hint: str
    file: str
    line: int
    column: int
    pointer: str

    def sort_key(self) -> tuple:
        """Order findings by file, line, column, then rule id."""
        return (self.file, self.line, self.column, self.rule, self.message)

    def as_dict(self) -> dict[str, Any]:
        """The contract's JSON object for this finding."""
        return {"rule": self.rule, "severity": self.severity, "message": self.message,
                "hint": self.hint, "file": self.file, "line": self.line,
                "column": self.column, "pointer": self.pointer}


CheckFn = Callable[["LintContext"], None]


@dataclass(frozen=True)
class Rule:
    """A lint rule.

    Attributes:
        id: kebab-case identifier, stable (tests and configs outside the project use it).
        severity: default severity, one of :data:`SEVERITIES`.
        summary: one line, shown by ``oascompile rules``.
        formats: the document kinds the rule applies to (``"oas"``, ``"classic"``).
        what: what it checks ("What it does").
        why: why it matters, naming the Tyk behaviour (file::function, spec quirk) or RFC.
        fix: how to fix it ("Use instead").
        failing: examples that must produce this rule's finding at the given line/column.
        passing: examples that must not produce it.
        options: option name → default value.
        option_types: option name → its type (see :data:`OPTION_TYPES`), checked when the
            configuration is loaded.
        option_docs: option name → description.
        references: spec quirks, Tyk source locations, RFC sections.
        check: function taking a :class:`~oascompile.lint.context.LintContext`; it reports
            through ``ctx.report(...)`` and returns None.
    """

    id: str
    severity: str
    summary: str
    formats: tuple[str, ...]
    what: str
    why: str
    fix: str
    failing: tuple[Example, ...]
    passing: tuple[Example, ...]
    check: CheckFn
    options: dict[str, Any] = field(default_factory=dict)
    option_types: dict[str, str] = field(default_factory=dict)
    option_docs: dict[str, str] = field(default_factory=dict)
    references: tuple[str, ...] = ()


OPTION_TYPES = {"str": "a string", "int": "an integer", "number": "a number",
                "bool": "true or false", "list[str]": "a list of strings"}
"""The types a rule option can declare, with how messages name them."""


def option_problem(kind: str, value: Any) -> tuple[str, str] | None:
    """Check an option ``value`` against its declared ``kind`` (a key of :data:`OPTION_TYPES`).

    Returns None when it fits, else ``(pointer suffix, message)``: the suffix is ``""`` for the
    value itself or ``"/i"`` for the offending item of a list.
    """
    from oascompile.load import json_type_name

    def fits(k: str, v: Any) -> bool:
        if k == "str":
            return isinstance(v, str)
        if k == "bool":
            return isinstance(v, bool)
        if k == "int":
            return isinstance(v, int) and not isinstance(v, bool)
        if k == "number":
            return isinstance(v, (int, float)) and not isinstance(v, bool)
        return False

    if kind.startswith("list[") and kind.endswith("]"):
        if not isinstance(value, list):
            return "", f"expected {OPTION_TYPES[kind]}, got {json_type_name(value)}"
        item = kind[5:-1]
        for i, v in enumerate(value):
            if not fits(item, v):
                return f"/{i}", (f"item {i + 1} must be {OPTION_TYPES[item]}, got "
                                 f"{json_type_name(v)}")
        return None
    if not fits(kind, value):
        return "", f"expected {OPTION_TYPES[kind]}, got {json_type_name(value)}"
    return None


_RULES: dict[str, Rule] = {}
_loaded = False


def rule(*, id: str, severity: str, summary: str, what: str, why: str, fix: str,
         failing: tuple[Example, ...] | list[Example], passing: tuple[Example, ...] | list[Example],
         formats: tuple[str, ...] = ("oas", "classic"), options: dict[str, Any] | None = None,
         option_types: dict[str, str] | None = None, option_docs: dict[str, str] | None = None,
         references: tuple[str, ...] = ()) -> Callable[[CheckFn], CheckFn]:
    """Decorator registering a check function as a :class:`Rule`.

    Raises:
        ValueError: on a malformed id, an unknown severity, a duplicate id, or an option
            without a known type or whose default does not fit it (a programming error, caught
            by the test suite).
    """
    if not _ID.match(id):
        raise ValueError(f"rule id {id!r} is not kebab-case")
    if severity not in SEVERITIES:
        raise ValueError(f"rule {id}: unknown severity {severity!r}")
    for name, default in (options or {}).items():
        kind = (option_types or {}).get(name)
        if kind not in OPTION_TYPES or option_problem(kind, default) is not None:
            raise ValueError(f"rule {id}: option {name!r} needs a type from OPTION_TYPES that "
                             "its default fits")

    def register(fn: CheckFn) -> CheckFn:
        if id in _RULES:
            raise ValueError(f"duplicate rule id {id!r}")
        _RULES[id] = Rule(id=id, severity=severity, summary=summary, formats=tuple(formats),
                          what=_dedent(what), why=_dedent(why), fix=_dedent(fix),
                          failing=tuple(failing), passing=tuple(passing), check=fn,
                          options=dict(options or {}), option_types=dict(option_types or {}),
                          option_docs=dict(option_docs or {}),
                          references=tuple(references))
        return fn

    return register


def _dedent(text: str) -> str:
    import textwrap

    return textwrap.dedent(text).strip()


def all_rules() -> dict[str, Rule]:
    """Every registered rule, by id, in catalogue order (families in :data:`RULE_FAMILIES`)."""
    global _loaded
    if not _loaded:
        for family in RULE_FAMILIES:
            importlib.import_module(f"oascompile.lint.rules.{family}")
        _loaded = True
    return _RULES


def get_rule(rule_id: str) -> Rule | None:
    """The rule with ``rule_id``, or None."""
    return all_rules().get(rule_id)
