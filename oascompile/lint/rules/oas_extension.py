"""Rules about how the Tyk extension enables the OpenAPI security schemes (spec §2.3, §2.5).

Rules: tyk-scheme-missing, token-scheme-disabled, http-bearer-not-auth-token,
authentication-without-scheme, security-not-enforced.  Tyk OAS only.
"""

from __future__ import annotations

from oascompile import pointer as jp
from oascompile.lint.context import LintContext
from oascompile.lint.facts import AUTH_PTR, ext_auth, is_apikey, obj, oas_schemes, root_security
from oascompile.lint.registry import Example, rule
from oascompile.lint.rules._common import oas_doc
from oascompile.lint.rules.oas_security import (JWT_KEYS, KEY_ENABLED, KEY_HEADER, OAS,
                                                legacy_mode, requirements)


@rule(
    id="tyk-scheme-missing",
    severity="warning",
    formats=OAS,
    summary="An apiKey scheme in `security` has no object in the Tyk extension.",
    what="""
        Flags an apiKey scheme used in root `security` of a Tyk OAS API (authentication
        enabled) that has no `x-tyk-api-gateway.server.authentication.securitySchemes` entry.
    """,
    why="""
        Without the extension object, Extract sets `use_standard_auth` to false and disables
        the header unless it is the scheme's `in` (apidef/oas/security.go::extractTokenTo,
        spec X5). The token is then only enforced as the implicit fallback, and in compliant
        mode that alternative has no middleware (quirk 25).
    """,
    fix="Add `securitySchemes: {<name>: {enabled: true}}` under the extension's `authentication`.",
    failing=[Example(oas_doc(KEY_HEADER, "        other: {enabled: true}\n"), 8, 5)],
    passing=[Example(oas_doc(KEY_HEADER, KEY_ENABLED))],
    references=("spec §2.3 X5, §8 quirk 25", "apidef/oas/security.go::extractTokenTo"),
)
def tyk_scheme_missing(ctx: LintContext) -> None:
    facts = ctx.facts
    if not facts.is_tyk or facts.keyless:
        return
    schemes = oas_schemes(ctx.data)
    ext_schemes = obj(ext_auth(ctx.data).get("securitySchemes"))
    seen = set()
    for i, name in requirements(ctx.data):
        if is_apikey(schemes.get(name)) and name not in ext_schemes and name not in seen:
            seen.add(name)
            ctx.report(jp.join("security", i, name),
                       f"apiKey scheme `{name}` has no entry in x-tyk-api-gateway "
                       "authentication.securitySchemes; Tyk treats it as disabled",
                       f"add `{name}: {{enabled: true}}` to the extension's securitySchemes")


@rule(
    id="token-scheme-disabled",
    severity="warning",
    formats=OAS,
    summary="A token scheme in `security` is `enabled: false`, which does not do what it says.",
    what="""
        Flags `enabled: false` on the extension object of an apiKey scheme that the root
        `security` uses.
    """,
    why="""
        When Auth Token is the only method the gateway still installs it, so the API is not
        keyless (gateway/api_loader.go, spec quirk 24). When other methods are enabled the
        apiKey alternative gets no middleware, and in compliant mode it always fails, with 500
        "security scheme … is not configured" when it is the last one tried
        (gateway/mw_auth_or_wrapper.go, quirk 25).
    """,
    fix="Set `enabled: true`, or remove the scheme from `security` (for keyless, set "
        "`authentication.enabled: false`).",
    failing=[Example(oas_doc(KEY_HEADER, "        key: {enabled: false}\n"), 17, 15)],
    passing=[Example(oas_doc(KEY_HEADER, KEY_ENABLED))],
    references=("spec §8 quirks 24, 25", "gateway/api_loader.go",
                "gateway/mw_auth_or_wrapper.go::getMiddlewareForScheme"),
)
def token_scheme_disabled(ctx: LintContext) -> None:
    facts = ctx.facts
    if not facts.is_tyk or facts.keyless:
        return
    used = {name for _, name in requirements(ctx.data)}
    ext_schemes = obj(ext_auth(ctx.data).get("securitySchemes"))
    for token in facts.tokens:
        tok = ext_schemes.get(token.scheme)
        if token.scheme in used and isinstance(tok, dict) and tok.get("enabled") is False:
            if facts.other_methods:
                msg = (f"{token.label} is disabled while other auth methods are on: requests "
                       "using this alternative are not authenticated by a token middleware")
            else:
                msg = (f"{token.label} is disabled but it is the only method: the gateway "
                       "still enforces Auth Token; the API is not keyless")
            ctx.report(token.enabled_ptr, msg,
                       "set enabled: true, or authentication.enabled: false for a keyless API")


@rule(
    id="http-bearer-not-auth-token",
    severity="warning",
    formats=OAS,
    summary="An `http`/`bearer` scheme is configured like a token; Tyk treats it as JWT.",
    what="""
        Flags a `type: http, scheme: bearer` security scheme used in root `security` of a Tyk
        OAS API whose extension object is missing or has no JWT settings.
    """,
    why="""
        Tyk maps `http`/`bearer` to JWT validation, not to Auth Token; an opaque bearer token
        is then rejected as a malformed JWT. Auth Token reads `Authorization: Bearer <token>`
        through an apiKey scheme in the header, with the `Bearer ` prefix stripped
        (gateway/mw_auth_key.go::stripBearer, spec §3.1 step 7, quirk 14).
    """,
    fix="Use `type: apiKey, in: header, name: Authorization` for opaque tokens, or configure "
        "JWT (`signingMethod`, `source`, …) in the extension.",
    failing=[Example(oas_doc("    key: {type: http, scheme: bearer}\n", KEY_ENABLED), 6, 5)],
    passing=[Example(oas_doc("    key: {type: apiKey, in: header, name: Authorization}\n",
                             KEY_ENABLED))],
    references=("spec §3.1 step 7, §8 quirk 14", "gateway/mw_auth_key.go::stripBearer"),
)
def http_bearer_not_auth_token(ctx: LintContext) -> None:
    if not ctx.facts.is_tyk:
        return
    schemes = oas_schemes(ctx.data)
    ext_schemes = obj(ext_auth(ctx.data).get("securitySchemes"))
    used = {name for _, name in requirements(ctx.data)}
    for name, scheme in schemes.items():
        if (scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer"
                and name in used):
            tok = ext_schemes.get(name)
            if not isinstance(tok, dict) or not any(k in tok for k in JWT_KEYS):
                ctx.report(jp.join("components", "securitySchemes", name),
                           f"security scheme `{name}` is http/bearer, which Tyk validates as "
                           "a JWT, not as an Auth Token", "use an apiKey scheme in header "
                           "Authorization for opaque tokens, or configure JWT in the extension")


@rule(
    id="authentication-without-scheme",
    severity="warning",
    formats=OAS,
    summary="Authentication is enabled but no token scheme is extracted; `Authorization` is used.",
    what="""
        Flags `authentication.enabled: true` when no auth method would be extracted: no root
        `security`, or its first requirement (legacy mode) names no declared scheme with an
        extension object.
    """,
    why="""
        The gateway still installs Auth Token with the defaults of the deprecated `auth`
        object: a token in the `Authorization` header (gateway/api_loader.go,
        gateway/middleware.go::getAuthToken; spec §2.3 X2, quirk 23, example M13). The
        document does not say so, and a migration to Classic loses the intent.
    """,
    fix="Declare an apiKey scheme, list it in root `security` and enable it in the extension.",
    failing=[Example(oas_doc(KEY_HEADER, KEY_ENABLED, security=""), 13, 7)],
    passing=[Example(oas_doc(KEY_HEADER, KEY_ENABLED))],
    references=("spec §2.3 X2, §8 quirk 23, example M13", "gateway/api_loader.go"),
)
def authentication_without_scheme(ctx: LintContext) -> None:
    facts = ctx.facts
    if not facts.is_tyk or facts.keyless:
        return
    schemes = set(oas_schemes(ctx.data))
    ext_schemes = obj(ext_auth(ctx.data).get("securitySchemes"))
    sec = root_security(ctx.data)
    vendor = ext_auth(ctx.data).get("security")
    considered = sec if not legacy_mode(ctx.data) else sec[:1]
    names = {n for r in considered for n in obj(r)}
    if any(n in schemes and n in ext_schemes for n in names) or (vendor and not legacy_mode(ctx.data)):
        return
    ctx.report(AUTH_PTR + "/enabled", "authentication is enabled but no security scheme takes "
               "effect; the gateway enforces Auth Token on the Authorization header by default",
               "declare an apiKey scheme in root security and the extension")


@rule(
    id="security-not-enforced",
    severity="error",
    formats=OAS,
    summary="The OpenAPI document requires an apiKey, but Tyk authentication is off.",
    what="""
        Flags a Tyk OAS API whose root `security` uses an apiKey scheme while the extension has
        no `authentication` object or `authentication.enabled: false`.
    """,
    why="""
        Tyk derives `use_keyless` from `authentication.enabled` (missing ⇒ keyless), so the API
        is served without any authentication although the OpenAPI document says a key is
        required (apidef/oas/authentication.go::ExtractTo, spec §2.3 X1).
    """,
    fix="Set `x-tyk-api-gateway.server.authentication.enabled: true` with the scheme enabled.",
    failing=[Example(oas_doc(KEY_HEADER, KEY_ENABLED).replace("enabled: true\n      securitySchemes",
                                                              "enabled: false\n      securitySchemes"),
                     15, 7)],
    passing=[Example(oas_doc(KEY_HEADER, KEY_ENABLED))],
    references=("spec §2.3 X1", "apidef/oas/authentication.go"),
)
def security_not_enforced(ctx: LintContext) -> None:
    facts = ctx.facts
    if not facts.is_tyk or not facts.keyless:
        return
    schemes = oas_schemes(ctx.data)
    for i, name in requirements(ctx.data):
        if is_apikey(schemes.get(name)):
            ctx.report(AUTH_PTR + "/enabled", f"root security requires apiKey scheme `{name}`, "
                       "but Tyk authentication is not enabled: the API is served keyless",
                       "set x-tyk-api-gateway.server.authentication.enabled: true")
            return
