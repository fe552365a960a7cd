"""Rules about strip authorization data (spec §4, gateway/mw_strip_auth.go).

Rules: strip-name-mismatch, strip-on-keyless, strip-leftover-auth-config, strip-cookie-prefix.
"""

from __future__ import annotations

from oascompile import pointer as jp
from oascompile.lint.context import LintContext
from oascompile.lint.facts import classic_token, flag, obj
from oascompile.lint.registry import Example, rule
from oascompile.lint.rules._common import CLASSIC_HEAD, oas_doc, relevant_tokens

# auth_configs key -> Classic flags that enable that method (spec §1.1, §2.1)
METHOD_FLAGS = {
    "jwt": ("enable_jwt",), "hmac": ("enable_signature_checking",), "basic": ("use_basic_auth",),
    "coprocess": ("enable_coprocess_auth", "custom_plugin_auth_enabled", "use_go_plugin_auth"),
    "oauth": ("use_oauth2",), "oidc": ("use_openid",),
}


@rule(
    id="strip-name-mismatch",
    severity="warning",
    summary="Strip authorization data removes a different query/cookie name than the one read.",
    what="""
        With strip authorization data on, flags an enabled query or cookie source with an
        empty name while the header is disabled but has a name: the gateway reads
        `Authorization`, but strips the header's name.
    """,
    why="""
        Reading falls back to the header name only while the header is enabled
        (gateway/middleware.go::getAuthToken), stripping falls back to `auth_header_name`
        even when the header is disabled (gateway/mw_strip_auth.go::stripFromParams,
        ::stripFromHeaders). The token then reaches the upstream while an unrelated parameter
        is deleted (spec §4.1, quirk 5, example S12).
    """,
    fix="Name the query parameter / cookie explicitly.",
    failing=[Example(CLASSIC_HEAD + "strip_auth_data: true\nauth_configs:\n  authToken:\n"
                     "    name: authToken\n    disable_header: true\n    auth_header_name: X-Key\n"
                     "    use_param: true\n", 9, 5)],
    passing=[Example(CLASSIC_HEAD + "strip_auth_data: true\nauth_configs:\n  authToken:\n"
                     "    name: authToken\n    disable_header: true\n    auth_header_name: X-Key\n"
                     "    use_param: true\n    param_name: key\n")],
    references=("spec §4.1, §8 quirk 5, example S12", "gateway/mw_strip_auth.go::stripFromParams"),
)
def strip_name_mismatch(ctx: LintContext) -> None:
    if not ctx.facts.strip:
        return
    for token in relevant_tokens(ctx):
        for loc in ("query", "cookie"):
            src = token.source(loc)
            read, stripped = token.runtime_name(loc), token.strip_name(loc)
            if src.enabled and read != stripped:
                ctx.report(src.name_ptr if src.name else src.enabled_ptr,
                           f"{token.label}: the {loc} token is read from `{read}` but strip "
                           f"authorization data removes `{stripped}`; the token reaches the "
                           "upstream", f"set the {loc} name explicitly")


@rule(
    id="strip-on-keyless",
    severity="warning",
    summary="Strip authorization data is on for a keyless API, where it does nothing.",
    what="Flags strip authorization data on an API that uses no authentication.",
    why="""
        The strip middleware is installed only for APIs with authentication
        (gateway/api_loader.go::processSpec, spec §4, quirk 12), so credentials that clients
        send to a keyless API reach the upstream although the setting suggests otherwise.
    """,
    fix="Remove the setting, or remove the credential with a request header/query transform.",
    failing=[Example("use_keyless: true\nstrip_auth_data: true\n", 2, 1)],
    passing=[Example("use_keyless: false\nuse_standard_auth: true\nstrip_auth_data: true\n"
                     "auth_configs:\n  authToken: {name: authToken, auth_header_name: X-Key}\n")],
    references=("spec §4, §8 quirk 12, example M17", "gateway/api_loader.go::processSpec"),
)
def strip_on_keyless(ctx: LintContext) -> None:
    facts = ctx.facts
    if facts.is_tyk and facts.keyless and facts.strip:
        ctx.report(facts.strip_ptr, "strip authorization data has no effect on a keyless API; "
                   "credentials are forwarded to the upstream",
                   "remove it, or strip the credential with a header transform")


@rule(
    id="strip-leftover-auth-config",
    severity="warning",
    formats=("classic",),
    summary="An unused `auth_configs` entry makes strip authorization data delete its header.",
    what="""
        With strip authorization data on, flags each `auth_configs` entry other than
        `authToken` whose auth method is not enabled and whose header name differs from the
        ones Auth Token reads.
    """,
    why="""
        Stripping iterates every `auth_configs` entry, enabled or not, and deletes each one's
        header (default `Authorization`) and a matching cookie, so a leftover `jwt` entry
        removes an `Authorization` header the upstream may need
        (gateway/mw_strip_auth.go::ProcessRequest, spec §4.1, quirk 11, example S13).
    """,
    fix="Delete the unused `auth_configs` entries.",
    failing=[Example(CLASSIC_HEAD + "strip_auth_data: true\nauth_configs:\n  authToken:\n"
                     "    name: authToken\n    auth_header_name: X-Key\n  jwt:\n"
                     "    name: jwt\n", 8, 3)],
    passing=[Example(CLASSIC_HEAD + "strip_auth_data: true\nauth_configs:\n  authToken:\n"
                     "    name: authToken\n    auth_header_name: X-Key\n")],
    references=("spec §4.1, §8 quirk 11, example S13", "gateway/mw_strip_auth.go::ProcessRequest"),
)
def strip_leftover_auth_config(ctx: LintContext) -> None:
    facts = ctx.facts
    if not facts.strip or facts.keyless:
        return
    data = obj(ctx.data)
    read = {t.strip_name("header").lower() for t in facts.tokens}
    for key in obj(data.get("auth_configs")):
        if key == "authToken":
            continue
        flags = METHOD_FLAGS.get(key, ())
        enabled = any(flag(data.get(f)) for f in flags) or (
            key == "externalOAuth" and flag(obj(data.get("external_oauth")).get("enabled")))
        if enabled:
            continue
        entry = classic_token(data, jp.join("auth_configs", key), key)
        header = entry.strip_name("header")
        if header.lower() not in read:
            ctx.report(jp.join("auth_configs", key),
                       f"auth_configs.{key} is not used, but strip authorization data still "
                       f"deletes its header `{header}` (and a cookie starting with it)",
                       "delete unused auth_configs entries")


@rule(
    id="strip-cookie-prefix",
    severity="info",
    summary="Cookie stripping removes the first cookie whose name merely starts with the name.",
    what="""
        With strip authorization data on and a cookie source enabled, reports how the token
        cookie is stripped.
    """,
    why="""
        Stripping looks only at the first `Cookie` header line and removes the first cookie
        whose text *starts with* the configured name (case-sensitive, no `=` needed): with
        cookie `sid`, a cookie `sidx` is removed and the token cookie `sid` is forwarded;
        a successful strip also merges all Cookie lines into one and can leave an empty
        `Cookie` header (gateway/mw_strip_auth.go::stripFromHeaders, spec §4.1 step 3, quirks
        6–8, examples S4, S14).
    """,
    fix="Choose a cookie name that no other cookie of your domain starts with.",
    failing=[Example(CLASSIC_HEAD + "strip_auth_data: true\nauth_configs:\n  authToken:\n"
                     "    name: authToken\n    use_cookie: true\n    cookie_name: sid\n", 8, 5),
             Example(oas_doc("    key: {type: apiKey, in: cookie, name: sid}\n",
                             "        key: {enabled: true}\n",
                             auth_extra="      stripAuthorizationData: true\n"), 6, 37)],
    passing=[Example(CLASSIC_HEAD + "strip_auth_data: true\nauth_configs:\n  authToken:\n"
                     "    name: authToken\n    auth_header_name: X-Key\n")],
    references=("spec §4.1, §8 quirks 6–8, examples S4, S14", "gateway/mw_strip_auth.go::stripFromHeaders"),
)
def strip_cookie_prefix(ctx: LintContext) -> None:
    if not ctx.facts.strip:
        return
    for token in relevant_tokens(ctx):
        src = token.source("cookie")
        if src.enabled:
            name = token.strip_name("cookie")
            ctx.report(src.name_ptr if src.name else src.enabled_ptr,
                       f"{token.label}: stripping removes the first cookie whose name starts "
                       f"with `{name}`, not necessarily the token cookie",
                       "pick a cookie name no other cookie starts with")
