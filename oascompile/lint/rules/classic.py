"""Rules about Tyk Classic-only fields (spec §1.2, §1.4).

Rules: classic-auth-deprecated, classic-auth-name-empty.
"""

from __future__ import annotations

from oascompile.lint.context import LintContext
from oascompile.lint.facts import obj
from oascompile.lint.registry import Example, rule
from oascompile.lint.rules._common import CLASSIC_HEAD

CLASSIC = ("classic",)


@rule(
    id="classic-auth-deprecated",
    severity="warning",
    formats=CLASSIC,
    summary="The deprecated top-level `auth` object configures the token.",
    what="""
        Flags the top-level `auth` object of an API that uses Auth Token: when `auth_configs`
        has no `authToken` key the gateway reads `auth` instead; when it has one, `auth` is
        ignored.
    """,
    why="""
        `auth` is honoured only while `auth_configs` lacks the `authToken` key
        (gateway/middleware.go::getAuthToken, spec §1.4 R0), is never converted to Tyk OAS
        (apidef/oas/security.go::fillToken, Tyk's migration ignores it), and strip
        authorization data uses it only when `auth_configs` is empty (quirk 42, bug B10).
        Adding any `authToken` entry later silently replaces it.
    """,
    fix="Move the settings to `auth_configs.authToken` (with `name: authToken`) and delete `auth`.",
    failing=[Example(CLASSIC_HEAD + "auth_configs: {}\nauth:\n  auth_header_name: X-Legacy\n", 4, 1)],
    passing=[Example(CLASSIC_HEAD + "auth_configs:\n  authToken:\n    name: authToken\n"
                     "    auth_header_name: X-Legacy\n")],
    references=("spec §1.4, §8 quirk 42", "gateway/middleware.go::getAuthToken",
                "apidef/oas/security.go::fillToken"),
)
def classic_auth_deprecated(ctx: LintContext) -> None:
    facts = ctx.facts
    data = obj(ctx.data)
    auth = data.get("auth")
    if not isinstance(auth, dict) or not facts.auth_token_runs():
        return
    token = obj(data.get("auth_configs")).get("authToken")
    if "authToken" not in obj(data.get("auth_configs")):
        ctx.report("/auth", "the deprecated `auth` object configures Auth Token (auth_configs "
                   "has no authToken); Tyk's own migration to Tyk OAS ignores it "
                   "(`oascompile compile` converts it and reports that)",
                   "move it to auth_configs.authToken and delete auth")
    elif auth != token and any(v not in ("", False, 0, None, {})
                               for k, v in auth.items() if k != "signature"):
        ctx.report("/auth", "the deprecated `auth` object is ignored because "
                   "auth_configs.authToken exists", "delete auth")


@rule(
    id="classic-auth-name-empty",
    severity="warning",
    formats=CLASSIC,
    summary="`auth_configs.authToken.name` is empty, so Tyk's Fill drops the whole config.",
    what="Flags an `auth_configs.authToken` entry in use whose `name` is missing or empty.",
    why="""
        The name becomes the OpenAPI security scheme name; Tyk's Fill skips the whole Auth
        Token config when it is empty, so a conversion to Tyk OAS that does not run the
        migration step first has no apiKey scheme and `use_standard_auth` comes back false
        (apidef/oas/security.go::fillToken, spec §2.2 F1, quirk 18). The Dashboard's migration
        (and `oascompile compile`) names the config after its key first.
    """,
    fix="Set `name: authToken`.",
    failing=[Example(CLASSIC_HEAD + "auth_configs:\n  authToken:\n    name: ''\n"
                     "    auth_header_name: X-Key\n", 5, 5)],
    passing=[Example(CLASSIC_HEAD + "auth_configs:\n  authToken:\n    name: authToken\n"
                     "    auth_header_name: X-Key\n")],
    references=("spec §2.2 F1, §8 quirk 18", "apidef/oas/security.go::fillToken"),
)
def classic_auth_name_empty(ctx: LintContext) -> None:
    facts = ctx.facts
    token = obj(obj(ctx.data).get("auth_configs")).get("authToken")
    if not isinstance(token, dict) or not facts.auth_token_runs():
        return
    name = token.get("name")
    if not (isinstance(name, str) and name):
        ctx.report("/auth_configs/authToken/name" if "name" in token else "/auth_configs/authToken",
                   "auth_configs.authToken has no name; Tyk's OAS Fill drops the whole Auth "
                   "Token config unless a migration step names it first", "set name: authToken")
