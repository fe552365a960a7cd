"""Rules about the file itself rather than the API it defines.

Rules: json-syntax (a ``.json`` file that only YAML can read), suppression-unknown-rule (a
suppression comment or ``x-oascompile-ignore`` naming a rule that does not exist).
"""

from __future__ import annotations

import difflib

from oascompile.lint.context import LintContext
from oascompile.lint.registry import Example, all_rules, rule
from oascompile.lint.rules._common import CLASSIC_HEAD
from oascompile.lint.suppress import IGNORE_KEY, WILDCARDS, Suppressions, ignore_members

CLASSIC_JSON = ('{\n  "api_id": "pets",\n  "use_keyless": false,\n  "use_standard_auth": true,\n'
                '  "auth_configs": {"authToken": {"auth_header_name": "X-Key"}}%s\n}\n')


@rule(
    id="json-syntax",
    severity="error",
    summary="A `.json` file is not valid JSON (it was read as YAML).",
    what="""
        Flags a file named `*.json` that the JSON parser refuses but YAML accepts (a trailing
        comma, single-quoted strings, comments, unquoted keys) and reports the JSON parser's
        error at its line and column. oascompile still lints the YAML reading of it.
    """,
    why="""
        Tyk reads `.json` definitions with a JSON decoder (Go's encoding/json in the Gateway
        API, the Dashboard import and tyk-sync): the file is refused as a whole, although
        YAML-tolerant tools show it as fine.
    """,
    fix="Make it strict JSON: remove trailing commas and comments, use double quotes.",
    failing=[Example(CLASSIC_JSON % ",", 6, 1, name="example.json")],
    passing=[Example(CLASSIC_JSON % "", name="example.json")],
    references=("RFC 8259", "gateway/api_definition.go (encoding/json)"),
)
def json_syntax(ctx: LintContext) -> None:
    err = ctx.doc.json_error
    if err is None or not ctx.doc.name.lower().endswith(".json"):
        return
    ctx.report_at(err.line or 1, err.column or 1, "", f"{err.message}; Tyk refuses this file "
                  "(oascompile read it as YAML)", "make it strict JSON: no trailing commas, "
                  "comments or single quotes")


def _unknown(rule_id: str, known: dict) -> tuple[str, str]:
    close = difflib.get_close_matches(rule_id, list(known), n=1)
    return (f"suppression names unknown rule `{rule_id}`, so it suppresses nothing",
            f"did you mean `{close[0]}`?" if close else "see `oascompile rules` for the rule ids")


@rule(
    id="suppression-unknown-rule",
    severity="warning",
    summary="A suppression names a rule id that does not exist.",
    what=f"""
        Flags every rule id in a `# oascompile: disable=…` or `disable-file=…` comment and in
        an `{IGNORE_KEY}` member that is not a rule id (or `all`/`*`), and an
        `{IGNORE_KEY}` that is not a rule id or a list of them.
    """,
    why="""
        A mistyped id suppresses nothing, silently: the finding it was meant to hide is still
        reported (or, worse, the author believes a deliberate exception is recorded when it is
        not).
    """,
    fix="Correct the id (`oascompile rules` lists them) or remove the suppression.",
    failing=[Example(CLASSIC_HEAD + "api_id: pets  # oascompile: disable=token-in-qery\n", 3, 37),
             Example(CLASSIC_HEAD + "auth_configs:\n  authToken:\n"
                     "    x-oascompile-ignore: [token-in-query, strip-nmae-mismatch]\n", 5, 43)],
    passing=[Example(CLASSIC_HEAD + "api_id: pets  # oascompile: disable=token-in-query\n")],
)
def suppression_unknown_rule(ctx: LintContext) -> None:
    known = all_rules()
    doc = ctx.doc
    if doc.syntax == "yaml" and "oascompile:" in doc.text:
        for line, column, rule_id in Suppressions(doc.text, None, doc.syntax).directives:
            if rule_id not in known and rule_id not in WILDCARDS:
                ctx.report_at(line, column, "", *_unknown(rule_id, known))
    for ptr, value in ignore_members(ctx.data):
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list):
            ctx.report(ptr, f"`{IGNORE_KEY}` must be a rule id or a list of rule ids",
                       "write e.g. [token-in-query]")
            continue
        for i, rule_id in enumerate(items):
            where = ptr if isinstance(value, str) else f"{ptr}/{i}"
            if not isinstance(rule_id, str):
                ctx.report(where, f"`{IGNORE_KEY}` items must be rule ids (strings)",
                           "write e.g. [token-in-query]")
            elif rule_id not in known and rule_id not in WILDCARDS:
                line, column = doc.value_position(where)
                ctx.report_at(line, column, where, *_unknown(rule_id, known))
