"""Baselines: accept the findings a project already has, fail only on new ones.

A finding is fingerprinted by file + rule + JSON Pointer (not by line, so edits elsewhere in
the file do not invalidate the baseline). The baseline file is JSON::

    {"version": 1, "tool": "oascompile",
     "findings": [{"file": "apis/pets.yaml", "rule": "token-in-query",
                   "pointer": "/auth_configs/authToken/use_param", "fingerprint": "…"}]}
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Iterable

from oascompile.errors import InputError
from oascompile.lint.registry import Finding

VERSION = 1


def normalise_path(name: str) -> str:
    """The file name as stored in baselines and SARIF: relative to the working directory when
    inside it, with ``/`` separators."""
    p = Path(name)
    try:
        if p.is_absolute():
            p = p.relative_to(Path.cwd())
    except ValueError:
        pass
    return os.path.normpath(str(p)).replace(os.sep, "/")


def fingerprint(finding: Finding) -> str:
    """A stable id for ``finding``: SHA-256 of file, rule and pointer (first 32 hex digits)."""
    raw = "\0".join((normalise_path(finding.file), finding.rule, finding.pointer))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def write_baseline(path: str, findings: Iterable[Finding]) -> None:
    """Write a baseline holding ``findings`` to ``path`` (atomically).

    Raises InputError when the file cannot be written.
    """
    from oascompile.commands.common import write_atomic

    entries = {}
    for f in findings:
        fp = fingerprint(f)
        entries[fp] = {"file": normalise_path(f.file), "rule": f.rule, "pointer": f.pointer,
                       "fingerprint": fp}
    body = {"version": VERSION, "tool": "oascompile",
            "findings": sorted(entries.values(), key=lambda e: (e["file"], e["rule"], e["pointer"]))}
    write_atomic(path, json.dumps(body, indent=2) + "\n")


def read_baseline(path: str) -> set[str]:
    """The fingerprints stored in the baseline at ``path``.

    Raises InputError (with file, line, column where known) when it cannot be read, is not
    UTF-8, or cannot be parsed.
    """
    from oascompile.load import decode, read_source

    if not os.path.lexists(path):
        raise InputError("baseline file not found", path)
    name, raw = read_source(path)
    text = decode(name, raw)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid baseline JSON: {exc.msg}", path, exc.lineno, exc.colno) from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise InputError("not an oascompile baseline (expected an object with a `findings` list)",
                         path, 1, 1)
    out = set()
    for entry in data["findings"]:
        if isinstance(entry, dict):
            if isinstance(entry.get("fingerprint"), str):
                out.add(entry["fingerprint"])
            elif all(isinstance(entry.get(k), str) for k in ("file", "rule", "pointer")):
                out.add(fingerprint(Finding(entry["rule"], "", "", "", entry["file"], 0, 0,
                                            entry["pointer"])))
    return out
