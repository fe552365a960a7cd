"""Tyk OAS API definitions: reader (``OAS.ExtractTo``, spec §2.3) and writer (``OAS.Fill``, §2.2).

The reader follows the Extract rules X1–X9 rule by rule; where Tyk depends on Go map order
(several apiKey schemes in one requirement, X4) it takes document order and says so in a report
entry.  The writer follows F1–F12 for a *fresh* Fill (no existing OAS document), and where
Tyk would emit schema-invalid OAS (spec §2.7, quirks 16/17/39/40) it emits valid output and a
``deviation`` entry explaining the difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from oascompile import ir
from oascompile import pointer as jp
from oascompile.classic import ReadResult
from oascompile.errors import InputError
from oascompile.fields import FieldReader
from oascompile.load import Document, json_type_name
from oascompile.oasutil import parse_duration, resolve_scheme_ref
from oascompile.report.migration import ReportEntry

EXT = "/x-tyk-api-gateway"
SERVER = EXT + "/server"
AUTHN = SERVER + "/authentication"
SCHEMES = AUTHN + "/securitySchemes"
PROPRIETARY_SCHEME_NAMES = ("hmac", "custom", "mtls", "coprocess")
"""Scheme names Tyk treats as proprietary (``isProprietaryAuth``, spec §2.5 and quirk 19)."""

_METHOD_BY_TYPE = {"basic": "basic", "bearer": "jwt", "oauth2": "oauth", "openIdConnect": "oidc"}


# ------------------------------------------------------------------------------ reader
def _requirements(r: FieldReader, data: dict) -> list[tuple[int, dict[str, list[str]]]]:
    raw = r.value(data, "", "security", list, [], "authentication.security_requirements")
    out = []
    for i, req in enumerate(raw):
        if not isinstance(req, dict):
            raise r.doc.error("a security requirement must be an object mapping scheme names "
                              "to scope lists", jp.join("security", i))
        for name, scopes in req.items():
            if scopes is not None and (not isinstance(scopes, list)
                                       or not all(isinstance(s, str) for s in scopes)):
                raise r.doc.error("scope lists must be arrays of strings",
                                  jp.join("security", i, name))
        out.append((i, {k: list(v or []) for k, v in req.items()}))
    return out


def _source(r: FieldReader, obj: dict | None, ptr: str, key: str, field: str) -> ir.AuthSource | None:
    src = r.obj(obj, ptr, key)
    if src is None and not (isinstance(obj, dict) and isinstance(obj.get(key), dict)):
        return None
    sp = jp.child(ptr, key)
    return ir.AuthSource(r.value(src, sp, "enabled", bool, False, field + ".enabled"),
                         r.value(src, sp, "name", str, "", field + ".name"))


class _Extractor:
    """State of one ``OAS.ExtractTo`` run (the working ``auth_configs.authToken``)."""

    def __init__(self, r: FieldReader, data: dict) -> None:
        self.r = r
        self.data = data
        self.entries: list[ReportEntry] = []
        ext = data.get("x-tyk-api-gateway")
        self.ext = ext if isinstance(ext, dict) else None
        server = r.obj(self.ext, EXT, "server")
        self.authn = r.obj(server, SERVER, "authentication")
        self.ext_schemes = r.obj(self.authn, AUTHN, "securitySchemes") or {}
        comps = r.obj(data, "", "components")
        raw_schemes = r.obj(comps, "/components", "securitySchemes") or {}
        self.components: dict[str, Any] = {}
        self.scheme_ptr: dict[str, str] = {}
        for name, scheme in raw_schemes.items():
            try:
                sp, scheme = resolve_scheme_ref(
                    r.doc, jp.join("components", "securitySchemes", name), scheme)
                if not isinstance(scheme, dict):
                    raise r.doc.error("a security scheme must be an object", sp)
                for key in ("type", "scheme", "in", "name"):
                    if key in scheme and not isinstance(scheme[key], str):
                        raise r.doc.error(f"`{key}` must be a string, not "
                                          f"{json_type_name(scheme[key])}", jp.child(sp, key))
            except InputError:
                if not r.lenient:
                    raise
                continue  # a lenient read skips a scheme it cannot use
            self.components[name], self.scheme_ptr[name] = scheme, sp
        self.token: ir.AuthConfig | None = None
        self.auth_token_enabled = False
        self.cert_auth_present = isinstance(self.authn, dict) and isinstance(
            self.authn.get("certificateAuth"), dict)
        self.old_contract = False

    def is_apikey(self, name: str) -> bool:
        """True when ``components.securitySchemes[name]`` is ``type: apiKey``."""
        scheme = self.components.get(name)
        return isinstance(scheme, dict) and scheme.get("type") == "apiKey"

    def token_enabled(self, name: str) -> bool:
        """True when the extension's token object for ``name`` has ``enabled: true``."""
        tok = self.ext_schemes.get(name)
        return isinstance(tok, dict) and tok.get("enabled") is True

    def extract_token(self, name: str) -> None:
        """Rules X5 (extension fields) and X6 (the OAS scheme's own location) for ``name``."""
        r, v = self.r, self.r.value
        tp = jp.child(SCHEMES, name)
        f = "authentication.auth_configs.authToken"
        tok = r.obj(self.ext_schemes, SCHEMES, name)
        working = self.token or ir.AuthConfig(header=ir.AuthSource(False, ""))
        header = _source(r, tok, tp, "header", f + ".header")
        query = _source(r, tok, tp, "query", f + ".query")
        cookie = _source(r, tok, tp, "cookie", f + ".cookie")
        header = header or ir.AuthSource(False, working.header.name)
        query = query or working.query
        cookie = cookie or working.cookie
        signature, validate = working.signature, working.validate_signature
        sig = r.obj(tok, tp, "signatureValidation")
        if isinstance(tok, dict) and isinstance(tok.get("signatureValidation"), dict):
            sp = jp.child(tp, "signatureValidation")
            sf = f + ".signature"
            sq = _source(r, sig, sp, "query", sf + ".query") or ir.AuthSource()
            validate = v(sig, sp, "enabled", bool, False, f + ".validate_signature")
            signature = ir.SignatureConfig(
                algorithm=v(sig, sp, "algorithm", str, "", sf + ".algorithm"),
                header=v(sig, sp, "header", str, "", sf + ".header"),
                use_param=sq.enabled, param_name=sq.name,
                secret=v(sig, sp, "secret", str, "", sf + ".secret"),
                allowed_clock_skew=v(sig, sp, "allowedClockSkew", int, 0,
                                     sf + ".allowed_clock_skew"),
                error_code=v(sig, sp, "errorCode", int, 0, sf + ".error_code"),
                error_message=v(sig, sp, "errorMessage", str, "", sf + ".error_message"))
        use_certificate = working.use_certificate
        if v(tok, tp, "enableClientCertificate", bool, False, f + ".use_certificate"):
            self.old_contract = True
            if not self.cert_auth_present:
                use_certificate = True
            else:
                self.entries.append(ReportEntry(
                    "warning", jp.child(tp, "enableClientCertificate"),
                    "ignored: `authentication.certificateAuth` is present and alone decides "
                    "certificate auth (spec §2.4)"))
        self.auth_token_enabled = v(tok, tp, "enabled", bool, False,
                                    "authentication.auth_token_enabled")
        # X6: the OAS scheme's `in`/`name` override the extension for that location
        scheme = self.components[name]
        sp = self.scheme_ptr[name]
        where = v(scheme, sp, "in", str, "")
        wire = v(scheme, sp, "name", str, "")
        r.consume(jp.child(sp, "type"))
        overridden = {"header": header, "query": query, "cookie": cookie}
        if where in overridden:
            self.r.provenance[f"{f}.{where}.name"] = jp.child(sp, "name")
            self.r.provenance[f"{f}.{where}.enabled"] = jp.child(sp, "in")
            if isinstance(tok, dict) and isinstance(tok.get(where), dict):
                self.entries.append(ReportEntry(
                    "warning", jp.child(tp, where),
                    f"ignored: the OAS security scheme says `in: {where}`, so its `name` "
                    f"({wire!r}) is used and this location is always enabled (spec X6, quirk 26)"))
            overridden[where] = ir.AuthSource(True, wire)
        self.r.provenance[f + ".name"] = sp
        self.token = ir.AuthConfig(name=name, header=overridden["header"],
                                   query=overridden["query"], cookie=overridden["cookie"],
                                   use_certificate=use_certificate, validate_signature=validate,
                                   signature=signature)


@dataclass(frozen=True)
class SchemeConfig:
    """One apiKey security scheme as Tyk's Extract reads it on its own (rules X5, X6).

    Attributes:
        name: the security scheme name.
        pointer: its ``components.securitySchemes`` entry (after following a local ``$ref``).
        ext_pointer: where its extension token object is (or would be).
        config: the auth config Extract builds from it alone (``name`` is the scheme name).
        enabled: the extension token's ``enabled`` (Classic ``use_standard_auth``).
        provenance: IR field path (``authentication.auth_configs.authToken.…``) → pointer.
    """

    name: str
    pointer: str
    ext_pointer: str
    config: ir.AuthConfig
    enabled: bool
    provenance: dict[str, str]


def read_apikey_schemes(doc: Document) -> list[SchemeConfig]:
    """Every apiKey security scheme of an OAS document, each extracted alone and leniently.

    Used by the linter, which checks each scheme (Tyk extracts only one, X3/X4) and must not
    stop at a wrong type (its schema rules report those): a value of the wrong type reads as
    its zero value, and a scheme that cannot be used (not an object, a bad ``$ref``) is left
    out.  Never raises InputError.
    """
    data = doc.data if isinstance(doc.data, dict) else {}
    out = []
    for name in _Extractor(FieldReader(doc, lenient=True), data).components:
        x = _Extractor(FieldReader(doc, lenient=True), data)
        if not x.is_apikey(name):
            continue
        x.extract_token(name)
        assert x.token is not None
        out.append(SchemeConfig(name, x.scheme_ptr[name], jp.child(SCHEMES, name), x.token,
                                x.auth_token_enabled, x.r.provenance))
    return out


def read_oas(doc: Document) -> ReadResult:
    """Read a Tyk OAS API definition into the IR, as ``OAS.ExtractTo`` would (spec X1–X9).

    Args:
        doc: a loaded OpenAPI 3.0/3.1 document (with or without ``x-tyk-api-gateway``).

    Returns:
        a :class:`~oascompile.classic.ReadResult` whose entries record ambiguous choices (Go map
        order) and extension values Tyk ignores.

    Raises:
        InputError: a field we read has the wrong JSON type.
    """
    data = doc.data
    r = FieldReader(doc)
    v = r.value
    x = _Extractor(r, data)
    ext = x.ext
    if ext is None:
        r.obj(data, "", "x-tyk-api-gateway")
        x.entries.append(ReportEntry("warning", EXT, "the document has no `x-tyk-api-gateway` "
                                     "extension; Tyk's Extract treats it as keyless"))
    info = r.obj(ext, EXT, "info")
    state = r.obj(info, EXT + "/info", "state")
    upstream = r.obj(ext, EXT, "upstream")
    server = r.obj(ext, EXT, "server")
    listen = r.obj(server, SERVER, "listenPath")
    identity = ir.Identity(
        api_id=v(info, EXT + "/info", "id", str, "", "identity.api_id"),
        name=v(info, EXT + "/info", "name", str, "", "identity.name"),
        org_id=v(info, EXT + "/info", "orgId", str, "", "identity.org_id"),
        active=v(state, EXT + "/info/state", "active", bool, False, "identity.active"),
        internal=v(state, EXT + "/info/state", "internal", bool, False, "identity.internal"),
        listen_path=v(listen, SERVER + "/listenPath", "value", str, "", "identity.listen_path"),
        strip_listen_path=v(listen, SERVER + "/listenPath", "strip", bool, False,
                            "identity.strip_listen_path"),
        target_url=v(upstream, EXT + "/upstream", "url", str, "", "identity.target_url"),
    )
    authn = x.authn
    enabled = v(authn, AUTHN, "enabled", bool, False, "authentication.keyless")
    lifetime = r.obj(authn, AUTHN, "customKeyLifetime")
    seconds = 0
    if v(lifetime, AUTHN + "/customKeyLifetime", "enabled", bool, False,
         "authentication.session_lifetime"):
        text = v(lifetime, AUTHN + "/customKeyLifetime", "value", str, "",
                 "authentication.session_lifetime")
        parsed = parse_duration(text)
        if parsed is None:
            raise doc.error(f"`value` must be a duration like 1h30m, not {text!r}",
                            AUTHN + "/customKeyLifetime/value")
        seconds = parsed
    else:
        r.consume(AUTHN + "/customKeyLifetime/value")
    respects = v(lifetime, AUTHN + "/customKeyLifetime", "respectValidity", bool, False,
                 "authentication.session_lifetime_respects_key_expiration")
    mode = v(authn, AUTHN, "securityProcessingMode", str, "", "authentication.processing_mode")
    vendor_raw = v(authn, AUTHN, "security", list, [], "authentication.vendor_security")
    vendor: list[tuple[str, ...]] = []
    for i, req in enumerate(vendor_raw):
        if not isinstance(req, list) or not all(isinstance(n, str) for n in req):
            raise doc.error("vendor security requirements must be arrays of strings",
                            jp.join("x-tyk-api-gateway", "server", "authentication", "security", i))
        vendor.append(tuple(req))
    # X1: certificateAuth creates the authToken entry with every other field zero
    if x.cert_auth_present:
        ca = r.obj(authn, AUTHN, "certificateAuth")
        x.token = ir.AuthConfig(use_certificate=v(ca, AUTHN + "/certificateAuth", "enabled",
                                                  bool, False,
                                                  "authentication.auth_configs.authToken.use_certificate"))
    root = _requirements(r, data)
    requirements: tuple[ir.SecurityRequirement, ...] = ()
    compliant = mode == "compliant"
    stop = (not root or not x.components) and not (compliant and vendor)  # X2
    if not stop:
        if compliant:
            todo = [(jp.join("security", i), req) for i, req in root]
            todo += [(jp.join("x-tyk-api-gateway", "server", "authentication", "security", i),
                      {n: [] for n in req}) for i, req in enumerate(vendor)]
        elif isinstance(authn, dict) and (authn.get("enabled") is True or x.ext_schemes):
            todo = [(jp.join("security", 0), root[0][1])] if root else []
        else:
            todo = []
        for req_ptr, req in todo:  # X3/X4
            apikeys = [n for n in req if x.is_apikey(n)]
            chosen = None
            if len(apikeys) == 1:
                chosen = apikeys[0]
            elif len(apikeys) > 1:
                on = [n for n in apikeys if x.token_enabled(n)]
                if on:
                    chosen = on[0]
                elif x.token is None or not x.token.name:
                    chosen = apikeys[0]
                if chosen is not None:
                    x.entries.append(ReportEntry(
                        "deviation", req_ptr,
                        f"{len(apikeys)} apiKey schemes in one requirement "
                        f"({', '.join(apikeys)}): Tyk extracts one chosen by Go map order "
                        f"(not deterministic); oascompile takes {chosen!r}, the first "
                        f"{'enabled one' if on else 'one'} in document order (spec X4)"))
            if chosen is not None:
                x.extract_token(chosen)
        requirements = _extracted_requirements(root, vendor, compliant)
    for i, req in root:
        for name in req:
            r.consume(jp.join("security", i, name))
    others = _other_methods(x)
    auth = ir.Authentication(
        keyless=not enabled,
        auth_token_enabled=x.auth_token_enabled,
        auth_configs=(((ir.AUTH_TOKEN_KEY, x.token),) if x.token is not None else ()),
        strip_authorization_data=v(authn, AUTHN, "stripAuthorizationData", bool, False,
                                   "authentication.strip_authorization_data"),
        base_identity_provider=v(authn, AUTHN, "baseIdentityProvider", str, "",
                                 "authentication.base_identity_provider"),
        session_lifetime=seconds,
        session_lifetime_respects_key_expiration=respects,
        client_certificates=_client_certificates(r, server),
        certificate_contract="old" if x.old_contract and not x.cert_auth_present else "new",
        other_methods=others,
        security_requirements=requirements,
        vendor_security=tuple(vendor),
        processing_mode=mode,
    )
    return ReadResult(ir.APIDefinition(identity, auth, "oas"), r.consumed, r.provenance,
                      x.entries)


def _client_certificates(r: FieldReader, server: dict | None) -> ir.ClientCertificates:
    cc = r.obj(server, SERVER, "clientCertificates")
    p = SERVER + "/clientCertificates"
    f = "authentication.client_certificates"
    return ir.ClientCertificates(r.value(cc, p, "enabled", bool, False, f + ".enabled"),
                                 r.string_list(cc, p, "allowlist", f + ".allowlist"))


def _extracted_requirements(root: list[tuple[int, dict[str, list[str]]]],
                            vendor: list[tuple[str, ...]],
                            compliant: bool) -> tuple[ir.SecurityRequirement, ...]:
    """Rule X8: the requirements Extract records (as IR; see ``requirements_to_classic``)."""
    def req(m: dict[str, list[str]]) -> ir.SecurityRequirement:
        return ir.SecurityRequirement(tuple((n, tuple(sc)) for n, sc in m.items()))

    if not compliant:
        return tuple(req(m) for _, m in root)
    mixed = [set(v) for v in vendor if len(v) > 1]
    kept = [m for _, m in root
            if not (len(m) == 1 and any(next(iter(m)) in s for s in mixed))]
    return tuple(req(m) for m in kept) + tuple(
        ir.SecurityRequirement(tuple((n, ()) for n in v)) for v in vendor)


def _other_methods(x: _Extractor) -> tuple[str, ...]:
    """Enabled auth methods other than Auth Token (by the OAS scheme type / vendor block)."""
    found: list[str] = []
    for name, tok in x.ext_schemes.items():
        if not isinstance(tok, dict) or tok.get("enabled") is not True or x.is_apikey(name):
            continue
        scheme = x.components.get(name)
        kind = scheme.get("scheme") if isinstance(scheme, dict) and scheme.get("type") == "http" \
            else (scheme.get("type") if isinstance(scheme, dict) else None)
        method = _METHOD_BY_TYPE.get(kind or "")
        if method == "oauth" and "providers" in tok:
            method = "external_oauth"
        if method and method not in found:
            found.append(method)
    for key, method in (("hmac", "hmac"), ("custom", "custom"), ("oidc", "oidc")):
        block = x.authn.get(key) if isinstance(x.authn, dict) else None
        if isinstance(block, dict) and block.get("enabled") is True and method not in found:
            found.append(method)
    return tuple(found)
