"""Lint findings as SARIF 2.1.0, the format GitHub code scanning uploads.

Follows the OASIS SARIF 2.1.0 schema and GitHub's documented subset: ``tool.driver`` with
``rules`` (id, name, short/full description, help text and markdown, default level), results
with ``ruleId``/``ruleIndex``, ``level``, ``message.text``, one physical location (artifact URI
relative to ``%SRCROOT%``, 1-based ``startLine``/``startColumn``), the JSON Pointer as a
logical location, and ``partialFingerprints`` (file + rule + pointer, as the baseline) so code
scanning tracks a finding across line moves.
"""

from __future__ import annotations

import json
from typing import Iterable

from oascompile import __version__
from oascompile.lint.baseline import fingerprint, normalise_path
from oascompile.lint.registry import Rule
from oascompile.lint.runner import LintResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _rule(rule: Rule, severity: str) -> dict:
    from oascompile.lint.docs import rule_markdown, rule_text

    return {"id": rule.id, "name": "".join(p.title() for p in rule.id.split("-")),
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.what.replace("\n", " ")},
            "help": {"text": rule_text(rule), "markdown": rule_markdown(rule, level=2)},
            "defaultConfiguration": {"level": LEVEL[severity]},
            "properties": {"tags": ["tyk", "auth-token"]}}


def _sentence(text: str) -> str:
    text = text.rstrip()
    return text if not text or text[-1] in ".!?" else text + "."


def message_text(message: str, hint: str) -> str:
    """A result's ``message.text``: the message and the hint as sentences
    (``… sent in Referer. Hint: read the token from a header.``)."""
    return _sentence(message) + (f" Hint: {_sentence(hint)}" if hint else "")


def render(result: LintResult, rules: Iterable[Rule], severities: dict[str, str] | None = None) -> str:
    """The SARIF log (one run) as a JSON string."""
    severities = severities or {}
    rule_list = list(rules)
    index = {r.id: i for i, r in enumerate(rule_list)}
    results = []
    for f in result.findings:
        res = {"ruleId": f.rule, "level": LEVEL[f.severity],
               "message": {"text": message_text(f.message, f.hint)},
               "locations": [{
                   "physicalLocation": {
                       "artifactLocation": {"uri": normalise_path(f.file),
                                            "uriBaseId": "%SRCROOT%"},
                       "region": {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)}},
                   "logicalLocations": [{"fullyQualifiedName": f.pointer or "/",
                                         "kind": "object"}]}],
               "partialFingerprints": {"oascompile/v1": fingerprint(f)}}
        if f.rule in index:
            res["ruleIndex"] = index[f.rule]
        results.append(res)
    notifications = [{"level": "error", "message": {"text": e.message},
                      "locations": [{"physicalLocation": {
                          "artifactLocation": {"uri": normalise_path(e.file or "-"),
                                               "uriBaseId": "%SRCROOT%"},
                          "region": {"startLine": e.line or 1, "startColumn": e.column or 1}}}]}
                     for e in result.problems]
    run = {"tool": {"driver": {"name": "oascompile", "version": __version__,
                               "semanticVersion": __version__,
                               "rules": [_rule(r, severities.get(r.id, r.severity))
                                         for r in rule_list]}},
           "originalUriBaseIds": {"%SRCROOT%": {"description": {
               "text": "The directory oascompile was run from."}}},
           "results": results,
           "invocations": [{"executionSuccessful": not result.problems,
                            "toolExecutionNotifications": notifications}]}
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=1, ensure_ascii=False) + "\n"
