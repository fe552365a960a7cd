"""What a rule sees while it runs: the document, its facts, the IR, options, and ``report``."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from oascompile.lint.facts import ApiFacts, api_facts
from oascompile.lint.registry import Finding, Rule

if TYPE_CHECKING:
    from oascompile.ir import APIDefinition
    from oascompile.load import Document


class LintContext:
    """Per-document state shared by every rule run on that document.

    Attributes:
        doc: the loaded :class:`~oascompile.load.Document` (positions, raw data).
        settings: run-wide settings (``allow_remote_refs``).
        findings: what the rules reported so far (before suppression and severity mapping).
        memo: results one rule leaves for another on this document (``oas-schema`` records
            the remote URIs it did not fetch for ``remote-ref-not-fetched``).
    """

    def __init__(self, doc: "Document", settings: dict[str, Any] | None = None) -> None:
        self.doc = doc
        self.settings = settings or {}
        self.findings: list[Finding] = []
        self.rule: Rule | None = None
        self.options: dict[str, Any] = {}
        self.severity: str = "error"
        self.ir_error: Any = None
        self.memo: dict[str, Any] = {}

    @property
    def data(self) -> Any:
        """The document's plain data."""
        return self.doc.data

    @property
    def kind(self) -> str | None:
        """``oas`` or ``classic``."""
        return self.doc.kind

    @cached_property
    def facts(self) -> ApiFacts:
        """The Auth Token facts of the document (:mod:`oascompile.lint.facts`)."""
        return api_facts(self.doc.data, self.doc.kind, self.doc)

    @cached_property
    def ir(self) -> "APIDefinition | None":
        """The auth IR from :func:`oascompile.convert.read_definition`, or None when the
        converter is not available or refused the document (``ir_error`` then holds the
        :class:`~oascompile.errors.InputError`, reported by the schema rules)."""
        try:
            from oascompile.convert import read_definition  # type: ignore[attr-defined]
        except ImportError:
            return None
        from oascompile.errors import InputError

        try:
            return read_definition(self.doc)
        except InputError as err:
            self.ir_error = err
            return None
        except Exception as exc:  # a converter bug must not stop linting
            self.ir_error = exc
            return None

    def report(self, pointer: str, message: str, hint: str = "") -> None:
        """Record a finding of the running rule at ``pointer`` (position of its key, or of the
        nearest existing ancestor when the key is missing)."""
        assert self.rule is not None
        line, column = self.doc.position(pointer)
        self.findings.append(Finding(self.rule.id, self.severity, message, hint, self.doc.name,
                                     line, column, pointer))

    def report_at(self, line: int, column: int, pointer: str, message: str,
                  hint: str = "") -> None:
        """Record a finding at an explicit position (used by the schema rules)."""
        assert self.rule is not None
        self.findings.append(Finding(self.rule.id, self.severity, message, hint, self.doc.name,
                                     line, column, pointer))
