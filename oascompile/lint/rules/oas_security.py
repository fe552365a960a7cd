"""Rules about OpenAPI security schemes, security requirements and the Tyk extension's schemes.

Rules: apikey-name-missing, security-scheme-undefined, multiple-apikey-schemes,
legacy-mode-alternatives-ignored, operation-security-ignored, proprietary-scheme-name.
The rules about the extension's view of the schemes are in :mod:`.oas_extension`.  Tyk OAS only (the concepts do not
exist in Tyk Classic).
"""

from __future__ import annotations

from typing import Iterator

from oascompile import pointer as jp
from oascompile.lint.context import LintContext
from oascompile.lint.facts import ext_auth, is_apikey, obj, oas_schemes, root_security
from oascompile.lint.registry import Example, rule
from oascompile.lint.rules._common import oas_doc

OAS = ("oas",)
KEY_HEADER = "    key: {type: apiKey, in: header, name: X-API-Key}\n"
KEY_ENABLED = "        key: {enabled: true}\n"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PROPRIETARY = ("hmac", "custom", "mtls", "coprocess")
JWT_KEYS = ("source", "signingMethod", "identityBaseField", "policyFieldName", "jwksURIs",
            "defaultPolicies", "issuedAtValidationSkew", "notBeforeValidationSkew",
            "expiresAtValidationSkew", "skipKid", "scopes", "clientBaseField",
            "allowedIssuers", "allowedAudiences", "allowedSubjects", "jwtIdValidation")


def requirements(data: object) -> Iterator[tuple[int, str]]:
    """(index, scheme name) for every name in every root security requirement."""
    for i, req in enumerate(root_security(data)):
        for name in obj(req):
            yield i, name


def operations(data: object) -> Iterator[tuple[str, dict]]:
    """(pointer, operation object) for every operation under ``paths``."""
    for path, item in obj(obj(data).get("paths")).items():
        for method, op in obj(item).items():
            if method in HTTP_METHODS and isinstance(op, dict):
                yield jp.join("paths", path, method), op


def legacy_mode(data: object) -> bool:
    """True unless ``securityProcessingMode`` is ``compliant`` (spec §2.5, default legacy)."""
    return ext_auth(obj(data)).get("securityProcessingMode") != "compliant"


@rule(
    id="apikey-name-missing",
    severity="error",
    formats=OAS,
    summary="An apiKey security scheme has no `name`.",
    what="Flags a `type: apiKey` security scheme whose `name` is missing or empty.",
    why="""
        OpenAPI requires `name` for apiKey schemes; Tyk's validator (kin-openapi, "apiKey
        should have name") and the OpenAPI 3.0 schema reject the document, so the API cannot
        be imported or migrated. Tyk's migration produces exactly this from a Classic config
        whose primary name is empty (apidef/oas/security.go::fillAPIKeyScheme, spec quirk 16,
        example M5), although at runtime the header would default to `Authorization`.
    """,
    fix="Set `name` to the header, query parameter or cookie name (`Authorization` for the default).",
    failing=[Example(oas_doc("    key: {type: apiKey, in: header}\n", KEY_ENABLED), 6, 5)],
    passing=[Example(oas_doc(KEY_HEADER, KEY_ENABLED))],
    references=("spec §1.5, §8 quirk 16, example M5", "apidef/oas/security.go::fillAPIKeyScheme"),
)
def apikey_name_missing(ctx: LintContext) -> None:
    for name, scheme in oas_schemes(ctx.data).items():
        if scheme.get("name") is not None and not isinstance(scheme["name"], str):
            continue  # a wrong type: oas-schema reports it as such
        if is_apikey(scheme) and not (isinstance(scheme.get("name"), str) and scheme["name"]):
            ptr = jp.join("components", "securitySchemes", name)
            ctx.report(ptr + "/name" if "name" in scheme else ptr,
                       f"apiKey security scheme `{name}` has no name; the document is invalid "
                       "OpenAPI and Tyk refuses it", "add `name: Authorization` (or your header name)")


@rule(
    id="security-scheme-undefined",
    severity="error",
    formats=OAS,
    summary="A security requirement names a scheme that `components.securitySchemes` lacks.",
    what="""
        Flags every name in the root `security` or an operation's `security` that has no
        entry in `components.securitySchemes`.
    """,
    why="""
        OpenAPI requires each requirement name to be declared. Tyk's `OAS.Validate` rejects
        the definition (apidef/oas/oas.go::validateSecurity, spec §1.6), and a fresh Fill
        that lists an unextracted scheme produces this broken state (example M14).
    """,
    fix="Declare the scheme under `components.securitySchemes`, or fix the name's spelling.",
    failing=[Example(oas_doc(KEY_HEADER, KEY_ENABLED, security="  - apiKeyAuth: []\n"), 8, 5)],
    passing=[Example(oas_doc(KEY_HEADER, KEY_ENABLED))],
    references=("spec §1.6, example M14", "apidef/oas/oas.go::validateSecurity"),
)
def security_scheme_undefined(ctx: LintContext) -> None:
    schemes = oas_schemes(ctx.data)
    declared = set(obj(obj(obj(ctx.data).get("components")).get("securitySchemes")))
    for i, name in requirements(ctx.data):
        if name not in declared:
            ctx.report(jp.join("security", i, name),
                       f"security requirement names `{name}`, which is not declared in "
                       "components.securitySchemes",
                       _suggest(name, schemes) or "declare the scheme or fix the name")
    for ptr, op in operations(ctx.data):
        sec = op.get("security")
        for i, req in enumerate(sec if isinstance(sec, list) else []):
            for name in obj(req):
                if name not in declared:
                    ctx.report(f"{ptr}/security/{i}/{jp.escape(name)}",
                               f"operation security names `{name}`, which is not declared in "
                               "components.securitySchemes",
                               _suggest(name, schemes) or "declare the scheme or fix the name")


def _suggest(name: str, schemes: dict) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(schemes), n=1)
    return f"did you mean `{close[0]}`?" if close else ""


@rule(
    id="multiple-apikey-schemes",
    severity="warning",
    formats=OAS,
    summary="Several apiKey schemes are used; Tyk collapses them into one token config.",
    what="Flags the second and later apiKey schemes named in root `security`.",
    why="""
        Tyk has a single `auth_configs.authToken`: with several apiKey schemes in one
        requirement the extracted one depends on Go map order (non-deterministic), and in
        compliant OR mode later schemes merge into and overwrite earlier ones, so every
        alternative shares one config (apidef/oas/security.go::extractSecurityTo,
        ::extractTokenTo; spec quirks 20, 21, examples M15, M16).
    """,
    fix="Use one apiKey scheme and enable several locations (header, query, cookie) on it.",
    failing=[Example(oas_doc(KEY_HEADER + "    key2: {type: apiKey, in: query, name: k}\n",
                             KEY_ENABLED + "        key2: {enabled: true}\n",
                             security="  - key: []\n    key2: []\n"), 10, 5)],
    passing=[Example(oas_doc(KEY_HEADER, KEY_ENABLED))],
    references=("spec §2.3 X4, X7, §8 quirks 20, 21, examples M15, M16",
                "apidef/oas/security.go::extractSecurityTo"),
)
def multiple_apikey_schemes(ctx: LintContext) -> None:
    schemes = oas_schemes(ctx.data)
    first = None
    for i, name in requirements(ctx.data):
        if not is_apikey(schemes.get(name)):
            continue
        if first is None:
            first = name
        elif name != first:
            ctx.report(jp.join("security", i, name),
                       f"apiKey scheme `{name}` is used besides `{first}`; Tyk keeps a single "
                       "Auth Token config, so only one of them (or a merge) takes effect",
                       "use one apiKey scheme with several locations")


@rule(
    id="legacy-mode-alternatives-ignored",
    severity="warning",
    formats=OAS,
    summary="Root `security` lists alternatives, but legacy mode uses only the first.",
    what="""
        Flags the second and later requirements of root `security` when
        `securityProcessingMode` is `legacy` or unset.
    """,
    why="""
        In legacy mode Tyk extracts only `security[0]` and chains every enabled method (AND);
        the OR alternatives OpenAPI describes are ignored, so clients that use them are
        rejected (apidef/oas/security.go::extractSecurityTo, gateway/api_loader.go, spec
        quirk 22, example M14).
    """,
    fix="Set `securityProcessingMode: compliant`, or keep a single requirement.",
    failing=[Example(oas_doc(KEY_HEADER + "    key2: {type: apiKey, in: cookie, name: sid}\n",
                             KEY_ENABLED, security="  - key: []\n  - key2: []\n"), 10, 5)],
    passing=[Example(oas_doc(KEY_HEADER + "    key2: {type: apiKey, in: cookie, name: sid}\n",
                             KEY_ENABLED, security="  - key: []\n  - key2: []\n",
                             auth_extra="      securityProcessingMode: compliant\n"))],
    references=("spec §2.5, §8 quirk 22, example M14", "apidef/oas/security.go::extractSecurityTo"),
)
def legacy_mode_alternatives_ignored(ctx: LintContext) -> None:
    sec = root_security(ctx.data)
    if len(sec) > 1 and legacy_mode(ctx.data):
        for i in range(1, len(sec)):
            ctx.report(f"/security/{i}", f"security requirement {i + 1} is an alternative that "
                       "Tyk ignores in legacy mode (only the first requirement is used)",
                       "set securityProcessingMode: compliant")


@rule(
    id="operation-security-ignored",
    severity="warning",
    formats=OAS,
    summary="Operation-level `security` with an apiKey scheme is ignored by Tyk.",
    what="""
        Flags an operation whose `security` differs from the root `security` and names an
        apiKey scheme.
    """,
    why="""
        Tyk reads only the root `security` for apiKey schemes; operation-level `security` is
        read only for `oauth2` (apidef/oas/security.go, spec §1.5, quirk 29). An operation that
        looks public or differently protected in the OpenAPI document is protected like every
        other operation.
    """,
    fix="Move the requirement to root `security`; for public operations use the extension's "
        "`ignoreAuthentication` middleware.",
    failing=[Example(oas_doc(KEY_HEADER, KEY_ENABLED).replace(
        "paths: {}\n", "paths:\n  /pets:\n    get:\n      security: [{key: []}, {}]\n"), 6, 7)],
    passing=[Example(oas_doc(KEY_HEADER, KEY_ENABLED).replace(
        "paths: {}\n", "paths:\n  /pets:\n    get:\n      security: [{key: []}]\n"))],
    references=("spec §1.5, §8 quirk 29", "apidef/oas/security.go"),
)
def operation_security_ignored(ctx: LintContext) -> None:
    schemes = oas_schemes(ctx.data)
    root = _normalise(root_security(ctx.data))
    for ptr, op in operations(ctx.data):
        sec = op.get("security")
        if not isinstance(sec, list) or _normalise(sec) == root:
            continue
        if any(is_apikey(schemes.get(n)) for r in sec for n in obj(r)) or \
                any(is_apikey(schemes.get(n)) for r in root_security(ctx.data) for n in obj(r)):
            ctx.report(ptr + "/security", "operation-level security differs from the root "
                       "security; Tyk ignores it for apiKey schemes",
                       "use root security; for public operations use ignoreAuthentication")


def _normalise(sec: list) -> list:
    return sorted(sorted(obj(r)) for r in sec)


@rule(
    id="proprietary-scheme-name",
    severity="warning",
    formats=OAS,
    summary="An apiKey scheme is named `hmac`, `custom`, `mtls` or `coprocess`.",
    what="Flags an apiKey security scheme whose name is one Tyk reserves for its own methods.",
    why="""
        Tyk treats these names as proprietary: on Fill they move to the extension's
        `authentication.security` or vanish from both root and vendor `security`, and the token
        config is then never extracted again (apidef/oas/security.go::isProprietaryAuth,
        ::fillSecurity; spec §2.5, quirk 19, example M16).
    """,
    fix="Rename the scheme, e.g. to `authToken`.",
    failing=[Example(oas_doc("    custom: {type: apiKey, in: header, name: X-Key}\n",
                             "        custom: {enabled: true}\n",
                             security="  - custom: []\n"), 6, 5)],
    passing=[Example(oas_doc(KEY_HEADER, KEY_ENABLED))],
    references=("spec §2.5, §8 quirk 19", "apidef/oas/security.go::isProprietaryAuth"),
)
def proprietary_scheme_name(ctx: LintContext) -> None:
    for name, scheme in oas_schemes(ctx.data).items():
        if is_apikey(scheme) and name in PROPRIETARY:
            ctx.report(jp.join("components", "securitySchemes", name),
                       f"apiKey scheme name `{name}` is reserved by Tyk for a proprietary "
                       "method; Tyk moves or drops it on conversion", "rename it, e.g. authToken")
