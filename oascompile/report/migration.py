"""The migration report of ``oascompile compile`` (cli-contract.md, JSON report shape).

Entry kinds:

* ``dropped``: present in the input, not carried to the output;
* ``changed``: carried with a different value (``from`` / ``to`` hold both values);
* ``deviation``: our output differs from what Tyk's own conversion would produce, and why;
* ``warning``: anything else the user should know (a runtime effect, an ambiguous choice).

``pointer`` is always an RFC 6901 JSON Pointer into the **input** document.

Secrets (issue 5): unless ``show_secrets`` is asked for, ``from``/``to`` values at a pointer
ending in ``/secret`` and every quoted signature secret of the input are redacted
(:mod:`oascompile.redact`) in both the text and the JSON report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Collection

from oascompile.redact import redact, redact_in

KINDS = ("dropped", "changed", "deviation", "warning")
_UNSET: Any = object()


@dataclass(frozen=True)
class ReportEntry:
    """One line of a migration report.

    Attributes:
        kind: one of :data:`KINDS`.
        pointer: JSON Pointer into the input.
        message: one sentence for a person.
        from_value / to_value: for ``changed``, the input and output values (JSON values).
    """

    kind: str
    pointer: str
    message: str
    from_value: Any = _UNSET
    to_value: Any = _UNSET

    def _shown(self, value: Any, secrets: Collection[str] | None) -> Any:
        if secrets is None or not isinstance(value, str):
            return value
        if self.pointer.endswith("/secret"):
            return redact(value)
        return redact_in(value, secrets)

    def to_json(self, secrets: Collection[str] | None = None) -> dict[str, Any]:
        """The entry as the contract's JSON object (``from``/``to`` only for ``changed``).

        ``secrets``: None shows every value; otherwise values at a ``…/secret`` pointer and the
        given secret strings (in values and the message) are redacted.
        """
        out: dict[str, Any] = {"kind": self.kind, "pointer": self.pointer}
        if self.from_value is not _UNSET:
            out["from"] = self._shown(self.from_value, secrets)
        if self.to_value is not _UNSET:
            out["to"] = self._shown(self.to_value, secrets)
        out["message"] = self.message if secrets is None else redact_in(self.message, secrets)
        return out

    def to_text(self, secrets: Collection[str] | None = None) -> str:
        """``kind pointer: message`` with ``(from → to)`` for changed values (``secrets`` as
        for :meth:`to_json`)."""
        where = self.pointer or "/"
        message = self.message if secrets is None else redact_in(self.message, secrets)
        text = f"{self.kind:9} {where}: {message}"
        if self.from_value is not _UNSET and self.to_value is not _UNSET:
            text += (f" ({json.dumps(self._shown(self.from_value, secrets), ensure_ascii=False)}"
                     f" → {json.dumps(self._shown(self.to_value, secrets), ensure_ascii=False)})")
        return text


def changed(pointer: str, old: Any, new: Any, message: str) -> ReportEntry:
    """Shorthand for a ``changed`` entry."""
    return ReportEntry("changed", pointer, message, old, new)


@dataclass
class MigrationReport:
    """The report for one input file.

    Attributes:
        input: the input path as given.
        from_format / to_format: ``"classic"`` or ``"oas"``.
        output: the output path, or None for stdout.
        entries: the report entries, in input order.
        error: for batch runs, the one-line reason a file could not be converted (else None).
        skipped: for batch runs, why a file was skipped (already in the target format, not an
            API definition), else None.
        secrets: the input's signature secrets, redacted in the report unless ``show_secrets``.
        show_secrets: print secrets as they are (``--show-secrets``).
    """

    input: str
    from_format: str | None
    to_format: str
    output: str | None = None
    entries: list[ReportEntry] = field(default_factory=list)
    error: str | None = None
    skipped: str | None = None
    secrets: frozenset[str] = frozenset()
    show_secrets: bool = False

    def _secrets(self) -> Collection[str] | None:
        return None if self.show_secrets else self.secrets

    def _error(self) -> str | None:
        if self.error is None or self.show_secrets:
            return self.error
        return redact_in(self.error, self.secrets)

    def to_json(self) -> dict[str, Any]:
        """The report as the contract's JSON object (secrets redacted unless shown)."""
        out: dict[str, Any] = {"input": self.input, "from": self.from_format,
                               "to": self.to_format, "output": self.output,
                               "entries": [e.to_json(self._secrets()) for e in self.entries]}
        if self.error is not None:
            out["error"] = self._error()
        if self.skipped is not None:
            out["skipped"] = self.skipped
        return out

    def counts(self) -> dict[str, int]:
        """Number of entries per kind (every kind present, zeros included)."""
        result = {k: 0 for k in KINDS}
        for entry in self.entries:
            result[entry.kind] = result.get(entry.kind, 0) + 1
        return result

    def summary(self) -> str:
        """One line: ``input → output: N dropped, N changed, …`` (or the error)."""
        if self.error is not None:
            err = self._error() or ""
            # the error names the input already unless it is about another file (the output)
            return f"error: {err}" if err.startswith(f"{self.input}:") else \
                f"{self.input}: error: {err}"
        if self.skipped is not None:
            return f"{self.input}: skipped: {self.skipped}"
        parts = ", ".join(f"{n} {k}" for k, n in self.counts().items())
        return f"{self.input} → {self.output or '<stdout>'}: {parts}"

    def to_text(self) -> str:
        """Human-readable report: a header line, then one line per entry."""
        lines = [f"migration report: {self.input} ({self.from_format} → {self.to_format})"]
        if self.error is not None:
            lines.append(f"  error: {self._error()}")
        if not self.entries:
            lines.append("  nothing dropped or changed")
        lines.extend("  " + e.to_text(self._secrets()) for e in self.entries)
        return "\n".join(lines)


def dedupe(entries: list[ReportEntry]) -> list[ReportEntry]:
    """Drop repeated entries with the same kind and pointer (the first one wins)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for entry in entries:
        key = (entry.kind, entry.pointer)
        if key in seen:
            continue
        seen.add(key)
        out.append(entry)
    return out
