"""Rules about client certificates: static mTLS allowlist and certificate auth (spec §2.4, §6).

Rules: enable-client-certificate-deprecated, certificate-contract-conflict,
client-certificates-allowlist-empty, dynamic-mtls-plain-http.
"""

from __future__ import annotations

from oascompile.lint.context import LintContext
from oascompile.lint.facts import AUTH_PTR, ext_auth, obj
from oascompile.lint.registry import Example, rule
from oascompile.lint.rules._common import CLASSIC_HEAD, oas_doc, relevant_tokens

KEY_HEADER = "    key: {type: apiKey, in: header, name: X-API-Key}\n"


def _old_contract(ctx: LintContext):
    """(token, pointer) for every extension token with ``enableClientCertificate: true``."""
    ext_schemes = obj(ext_auth(obj(ctx.data)).get("securitySchemes"))
    for token in ctx.facts.tokens:
        tok = obj(ext_schemes.get(token.scheme))
        if tok.get("enableClientCertificate") is True:
            yield token, token.ext_ptr + "/enableClientCertificate"


@rule(
    id="enable-client-certificate-deprecated",
    severity="info",
    formats=("oas",),
    summary="`enableClientCertificate` is the old certificate-auth contract.",
    what="Flags `securitySchemes.<token>.enableClientCertificate: true` in the Tyk extension.",
    why="""
        Since Tyk 5.12 certificate authentication is configured by
        `authentication.certificateAuth: {enabled: true}`; the per-scheme flag is kept only
        for old definitions and is ignored as soon as `certificateAuth` exists
        (apidef/oas/security.go::tokenHasCertificateEnabled, spec §2.4, examples M9, M10).
    """,
    fix="Replace it with `authentication.certificateAuth: {enabled: true}`.",
    failing=[Example(oas_doc(KEY_HEADER, "        key: {enabled: true, enableClientCertificate: true}\n"),
                     17, 30)],
    passing=[Example(oas_doc(KEY_HEADER, "        key: {enabled: true}\n",
                             auth_extra="      certificateAuth: {enabled: true}\n"))],
    references=("spec §2.4, examples M9, M10", "apidef/oas/security.go"),
)
def enable_client_certificate_deprecated(ctx: LintContext) -> None:
    for token, ptr in _old_contract(ctx):
        ctx.report(ptr, f"{token.label} uses the old certificate contract "
                   "(enableClientCertificate)", "use authentication.certificateAuth: {enabled: true}")


@rule(
    id="certificate-contract-conflict",
    severity="warning",
    formats=("oas",),
    summary="`enableClientCertificate` and `certificateAuth` disagree; `certificateAuth` wins.",
    what="""
        Flags `enableClientCertificate: true` on a token scheme when
        `authentication.certificateAuth` exists with `enabled: false` (or not true).
    """,
    why="""
        On Extract, an existing `certificateAuth` object alone decides `use_certificate`, even
        when it says `enabled: false`; the scheme flag is silently ignored, so certificate
        authentication is off although the scheme asks for it (spec §2.4, example M10b).
    """,
    fix="Keep only `certificateAuth` and set its `enabled` to what you want.",
    failing=[Example(oas_doc(KEY_HEADER, "        key: {enabled: true, enableClientCertificate: true}\n",
                             auth_extra="      certificateAuth: {enabled: false}\n"), 18, 30)],
    passing=[Example(oas_doc(KEY_HEADER, "        key: {enabled: true, enableClientCertificate: true}\n"))],
    references=("spec §2.4, example M10", "apidef/oas/security.go::extractTokenTo"),
)
def certificate_contract_conflict(ctx: LintContext) -> None:
    cert_auth = ext_auth(obj(ctx.data)).get("certificateAuth")
    if not isinstance(cert_auth, dict) or cert_auth.get("enabled") is True:
        return
    for token, ptr in _old_contract(ctx):
        ctx.report(ptr, f"{token.label} enables client certificates, but "
                   "authentication.certificateAuth (enabled: false) overrides it",
                   "remove enableClientCertificate and set certificateAuth.enabled")


@rule(
    id="client-certificates-allowlist-empty",
    severity="warning",
    summary="Static mTLS is on with an empty or null certificate allowlist.",
    what="""
        Flags `use_mutual_tls_auth: true` with `client_certificates` empty or null (Tyk OAS:
        `server.clientCertificates.enabled: true` with an empty or missing `allowlist`).
    """,
    why="""
        Only certificates in the allowlist (plus the gateway-wide list) pass; with none, every
        request is refused with 403 before authentication (gateway/mw_certificate_check.go,
        spec §6.1). A null list also serialises as `allowlist: null`, which the extension
        schema rejects (apidef/oas/server.go::ClientCertificates.Fill, quirk 39).
    """,
    fix="Add the allowed certificate ids, or turn static mTLS off.",
    failing=[Example("use_keyless: true\nuse_mutual_tls_auth: true\nclient_certificates: []\n", 3, 1)],
    passing=[Example("use_keyless: true\nuse_mutual_tls_auth: true\nclient_certificates:\n"
                     "  - org1a1b2c3\n")],
    references=("spec §6.1, §8 quirk 39", "gateway/mw_certificate_check.go"),
)
def client_certificates_allowlist_empty(ctx: LintContext) -> None:
    facts = ctx.facts
    if facts.mtls_enabled and not (isinstance(facts.allowlist, list) and facts.allowlist):
        ctx.report(facts.allowlist_ptr, "static mTLS is enabled but the certificate allowlist is "
                   "empty: every request is refused with 403", "add certificate ids to the allowlist")


@rule(
    id="dynamic-mtls-plain-http",
    severity="info",
    summary="Certificate auth accepts plain tokens on a listener without TLS.",
    what="Flags Auth Token with certificate authentication (`use_certificate`) on.",
    why="""
        On a plain-HTTP listener the gateway cannot see a client certificate and falls back
        to a token lookup, accepting a valid token without any certificate, whatever
        `allow_unsafe_dynamic_mtls_token` says (gateway/mw_auth_key.go::ProcessRequest, spec
        §6.2 P2, quirk 35).
    """,
    fix="Serve this API only on TLS listeners (`http_server_options.use_ssl`).",
    failing=[Example(CLASSIC_HEAD + "auth_configs:\n  authToken:\n    name: authToken\n"
                     "    use_certificate: true\n", 6, 5)],
    passing=[Example(CLASSIC_HEAD + "auth_configs:\n  authToken:\n    name: authToken\n")],
    references=("spec §6.2 P2, §8 quirk 35", "gateway/mw_auth_key.go::ProcessRequest"),
)
def dynamic_mtls_plain_http(ctx: LintContext) -> None:
    facts = ctx.facts
    tokens = list(relevant_tokens(ctx))
    if not tokens:
        return
    if facts.kind == "classic" and facts.use_certificate:
        ctx.report(facts.certificate_ptr, "certificate auth is on: on a non-TLS listener the "
                   "gateway accepts a plain token without a certificate", "serve the API on TLS only")
    elif facts.kind == "oas":
        cert_auth = ext_auth(obj(ctx.data)).get("certificateAuth")
        if isinstance(cert_auth, dict):
            if cert_auth.get("enabled") is True:
                ctx.report(AUTH_PTR + "/certificateAuth/enabled", "certificate auth is on: on a "
                           "non-TLS listener the gateway accepts a plain token without a "
                           "certificate", "serve the API on TLS only")
            return
        for token, ptr in _old_contract(ctx):
            ctx.report(ptr, "certificate auth is on: on a non-TLS listener the gateway "
                       "accepts a plain token without a certificate", "serve the API on TLS only")


