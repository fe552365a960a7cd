"""IR → Tyk OAS API definition, as a fresh ``OAS.Fill`` (spec §2.2 F1–F12, §2.4–§2.6).

The output is what Tyk's Fill writes into an empty document, with three kinds of deliberate
difference, each reported as a ``deviation`` entry pointing into the input:

* Tyk would emit schema-invalid OAS (spec §2.7; quirks 16, 17, 39, 40, and an empty listen path
  or API name): we write the runtime-equivalent valid value instead;
* a root security requirement would name a scheme we do not write (another auth method): the
  name is left out so the document stays valid;
* proprietary scheme names (quirk 19) go to ``authentication.security``.
"""

from __future__ import annotations

from typing import Any

from oascompile import ir
from oascompile.fields import provenance_of
from oascompile.oas import PROPRIETARY_SCHEME_NAMES
from oascompile.oasutil import format_duration
from oascompile.report.migration import ReportEntry

OPENAPI_VERSION = "3.0.3"
"""The ``openapi`` version written.  (Tyk's migration writes 3.0.6; 3.0.3 is accepted by every
OpenAPI 3.0 validator we know, and no 3.0.x patch changes the Auth Token semantics.)"""


def _source_json(src: ir.AuthSource) -> dict[str, Any] | None:
    """AuthSource → ``{enabled, name?}``; None when enabled=false and name="" (spec F5)."""
    if not src.enabled and not src.name:
        return None
    out: dict[str, Any] = {"enabled": src.enabled}
    if src.name:
        out["name"] = src.name
    return out


def _signature_json(config: ir.AuthConfig) -> dict[str, Any] | None:
    """Spec F6: ``signatureValidation``; None when every field is zero."""
    s = config.signature
    if not config.validate_signature and s.is_zero():
        return None
    out: dict[str, Any] = {"enabled": config.validate_signature}
    if s.algorithm:
        out["algorithm"] = s.algorithm
    if s.header:
        out["header"] = s.header
    query: dict[str, Any] = {"enabled": s.use_param}
    if s.param_name:
        query["name"] = s.param_name
    out["query"] = query  # always written by Go (quirk 41)
    if s.secret:
        out["secret"] = s.secret
    if s.allowed_clock_skew:
        out["allowedClockSkew"] = s.allowed_clock_skew
    if s.error_code:
        out["errorCode"] = s.error_code
    if s.error_message:
        out["errorMessage"] = s.error_message
    return out


class _Filler:
    def __init__(self, api: ir.APIDefinition, provenance: dict[str, str]) -> None:
        self.api = api
        self.prov = provenance
        self.entries: list[ReportEntry] = []

    def where(self, field: str, fallback: str = "") -> str:
        """Input pointer of an IR field (its nearest recorded ancestor, else ``fallback``)."""
        return provenance_of(self.prov, field) or fallback

    def deviation(self, field: str, message: str) -> None:
        self.entries.append(ReportEntry("deviation", self.where(field), message))

    # ----------------------------------------------------------------- token (F2, F4–F8)
    def token_scheme(self, token: ir.AuthConfig, cert_new_contract: bool,
                     ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Return (components entry, extension token object) for the token config."""
        f = "authentication.auth_configs.authToken"
        header, query, cookie = token.header, token.query, token.cookie
        if header.enabled:
            where, name, header = "header", header.name, ir.AuthSource(False, "")
        elif query.enabled:
            where, name, query = "query", query.name, ir.AuthSource(False, "")
        elif cookie.enabled:
            where, name, cookie = "cookie", cookie.name, ir.AuthSource(False, "")
        else:
            # quirk 17: Tyk writes an apiKey scheme without `in`/`name` (invalid OpenAPI)
            where, name = "header", token.header.name
            header = ir.AuthSource(False, "")
            self.deviation(f + ".header.enabled",
                           "no auth source is enabled: Tyk would write an apiKey scheme without "
                           "`in` and `name` (invalid OpenAPI); oascompile writes `in: header`, "
                           "which Tyk's Extract reads back as an enabled header source")
            self.entries.append(ReportEntry(
                "warning", self.where(f + ".header.enabled"),
                "the converted API accepts a token in the header "
                f"{token.read_name('header')!r}; the Classic API read none"))
        if not name:
            # quirk 16: an apiKey scheme with an empty name is invalid OpenAPI; write the name
            # the gateway reads there (R3-R5: the primary location's fallback)
            fallback = token.read_name(where)
            self.deviation(f + f".{where}.name",
                           f"the {where} name is empty, which the gateway reads as "
                           f"{fallback!r} (spec §3.1); Tyk would write an apiKey scheme without "
                           f"`name` (invalid OpenAPI), oascompile writes {fallback!r}")
            name = fallback
        component = {"type": "apiKey", "in": where, "name": name}
        obj: dict[str, Any] = {"enabled": self.api.authentication.auth_token_enabled}
        for key, src in (("header", header), ("cookie", cookie), ("query", query)):
            js = _source_json(src)
            if js is not None:
                obj[key] = js
        if token.use_certificate and not cert_new_contract:
            obj["enableClientCertificate"] = True
        sig = _signature_json(token)
        if sig is not None:
            obj["signatureValidation"] = sig
        return component, obj

    # ----------------------------------------------------------------- authentication (F9)
    def authentication(self, schemes: dict[str, Any], token: ir.AuthConfig | None,
                       cert_new_contract: bool) -> dict[str, Any] | None:
        a = self.api.authentication
        out: dict[str, Any] = {"enabled": not a.keyless}
        if a.strip_authorization_data:
            out["stripAuthorizationData"] = True
        if a.base_identity_provider:
            out["baseIdentityProvider"] = a.base_identity_provider
        if schemes:
            out["securitySchemes"] = schemes
        if token is not None and token.use_certificate and cert_new_contract:
            out["certificateAuth"] = {"enabled": True}
        lifetime = self.lifetime()
        if lifetime is not None:
            out["customKeyLifetime"] = lifetime
        if len(out) == 1 and not out["enabled"]:
            return None  # every member zero (spec §2.6)
        return out

    def lifetime(self) -> dict[str, Any] | None:
        a = self.api.authentication
        if a.session_lifetime == 0 and not a.session_lifetime_respects_key_expiration:
            return None
        if a.session_lifetime == 0:
            # quirk 40: Tyk writes {value: "0s", respectValidity: true} without `enabled`
            self.deviation("authentication.session_lifetime_respects_key_expiration",
                           "`session_lifetime` is 0: Tyk would write `customKeyLifetime` with "
                           "`value: 0s` and no `enabled` (rejected by the extension schema); "
                           "oascompile writes `enabled: false` and no value (same meaning)")
            return {"enabled": False, "respectValidity": True}
        out: dict[str, Any] = {"enabled": True, "value": format_duration(a.session_lifetime)}
        if a.session_lifetime_respects_key_expiration:
            out["respectValidity"] = True
        return out

    # ----------------------------------------------------------------- security (F3, F12)
    def root_security(self, ext_schemes: dict[str, Any]) -> tuple[list, list]:
        """Return (root ``security``, vendor ``authentication.security``) (spec §2.5)."""
        a = self.api.authentication
        root: list[dict[str, list[str]]] = []
        vendor: list[list[str]] = []
        for i, req in enumerate(a.security_requirements):
            standard: dict[str, list[str]] = {}
            for name, _scopes in req.schemes:
                if name in PROPRIETARY_SCHEME_NAMES:
                    vendor.append([name])
                elif name in ext_schemes:
                    standard[name] = []
                else:
                    self.entries.append(ReportEntry(
                        "dropped", self.where("authentication.security_requirements") + f"/{i}",
                        f"security requirement {i} names {name!r}, which is not an Auth Token "
                        "scheme; oascompile converts Auth Token only, so it is left out of the "
                        "root `security` (keeping it would reference an undefined scheme)"))
            if standard and standard not in root:
                root.append(standard)
        if not root and ext_schemes:
            root = [{name: [] for name in ext_schemes}]
        return root, vendor

    def ext_info(self) -> dict[str, Any]:
        i = self.api.identity
        info: dict[str, Any] = {}
        if i.api_id:
            info["id"] = i.api_id
        if i.org_id:
            info["orgId"] = i.org_id
        name = i.name
        if not name.strip():
            name = i.api_id or "unnamed-api"
            self.deviation("identity.name", f"the API name is empty, which the extension schema "
                           f"rejects (`info.name` must be non-blank); oascompile writes {name!r}")
        info["name"] = name
        state: dict[str, Any] = {"active": i.active}
        if i.internal:
            state["internal"] = True
        info["state"] = state
        return info

    def listen_path(self) -> dict[str, Any]:
        i = self.api.identity
        value = i.listen_path
        if not value.strip():
            value = "/"
            self.deviation("identity.listen_path", "the listen path is empty, which the "
                           "extension schema rejects; oascompile writes `/`")
        out: dict[str, Any] = {"value": value}
        if i.strip_listen_path:
            out["strip"] = True
        return out


def fill_oas(api: ir.APIDefinition, provenance: dict[str, str] | None = None, *,
             title: str | None = None, version: str = "1.0.0",
             ) -> tuple[dict[str, Any], list[ReportEntry]]:
    """Write the IR as a Tyk OAS API definition, as a fresh ``OAS.Fill`` would.

    Args:
        api: the IR (for a migration, already passed through :func:`oascompile.convert.migrate`).
        provenance: IR field path → input pointer, for report entries (from the reader).
        title / version: OpenAPI ``info.title`` / ``info.version`` (Tyk: the API name and the
            version name).

    Returns:
        ``(document, entries)``: a JSON-ready dict and the ``deviation``/``dropped`` entries
        this writer produced.
    """
    filler = _Filler(api, provenance or {})
    a = api.authentication
    token = a.token
    new_contract = a.certificate_contract != "old"
    components: dict[str, Any] = {}
    ext_schemes: dict[str, Any] = {}
    if token is not None and token.name:  # F1
        components[token.name], ext_schemes[token.name] = filler.token_scheme(token, new_contract)
    info = filler.ext_info()
    server: dict[str, Any] = {"listenPath": filler.listen_path()}
    authentication = filler.authentication(ext_schemes, token, new_contract)
    root, vendor = filler.root_security(ext_schemes)
    if authentication is not None and vendor:
        authentication["security"] = vendor
    if authentication is not None:
        server["authentication"] = authentication
    mtls = a.client_certificates
    if mtls.enabled or mtls.allowlist:
        allowlist = list(mtls.allowlist or [])
        if mtls.allowlist is None:
            filler.deviation("authentication.client_certificates.allowlist",
                             "`client_certificates` is null: Tyk would write `allowlist: null`, "
                             "which the extension schema rejects (quirk 39); oascompile writes []")
        server["clientCertificates"] = {"enabled": mtls.enabled, "allowlist": allowlist}
    ext = {"info": info, "upstream": {"url": api.identity.target_url}, "server": server}
    doc: dict[str, Any] = {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title or info["name"], "version": version or "1.0.0"},
        "paths": {},
    }
    if components:
        doc["components"] = {"securitySchemes": components}
    if root:
        doc["security"] = root
    doc["x-tyk-api-gateway"] = ext
    return doc, filler.entries
