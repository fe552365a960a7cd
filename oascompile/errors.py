"""Errors that stop a command, carried as values with a source position.

Every problem that makes oascompile unable to run (unreadable file, unparsable input, wrong
document kind, a wrong type in an auth field) is an :class:`InputError`.  The CLI turns it into
``file:line:col: error: message`` on stderr and exit code 2; nothing below the CLI prints or exits.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_CANNOT_RUN = 2


@dataclass
class InputError(Exception):
    """A problem with an input that stops processing of that input.

    Attributes:
        message: one-line, human-readable reason (no trailing period needed).
        file: the path as the user gave it (``-`` or ``<stdin>`` for standard input), or None.
        line: 1-based line in the source text, or None when unknown.
        column: 1-based column in the source text, or None when unknown.
        pointer: RFC 6901 JSON Pointer of the offending node, or None.
    """

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    pointer: str | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def located(self) -> str:
        """Return ``file:line:col: message`` (parts that are unknown are left out; a problem
        with no file, such as a bad option value, reads ``oascompile: message``)."""
        if self.file is None and self.line is None:
            return f"oascompile: {self.message}"
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.message}"
        if self.pointer:
            text += f" (at {self.pointer})"
        return text

    def __str__(self) -> str:
        return self.located()


class NotADefinitionError(InputError):
    """The input parsed, but is neither a Tyk OAS nor a Tyk Classic API definition.

    Commands that search directories skip such files (a sessions file, a CI config) instead of
    failing on them; a file named explicitly is still an error.
    """
