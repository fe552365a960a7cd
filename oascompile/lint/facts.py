"""Auth Token facts read from a raw document, each with the JSON Pointer it came from.

The IR (:mod:`oascompile.ir`) says *what* the gateway runs; lint findings must also say *where*
in the file a setting lives.  This module reads the raw ``Document.data`` of either format into
small records that carry the effective value (after Tyk's defaults: spec §3.1 R, §2.3 X5/X6)
together with the pointer of the key that decides it, so a rule written once applies to both
Tyk Classic and Tyk OAS.

Tolerant by design: a field of the wrong type reads as its zero value (the schema rules report
the type error), so no rule crashes on odd input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from oascompile import pointer as jp
from oascompile.classic import read_auth_config
from oascompile.fields import FieldReader
from oascompile.ir import AuthConfig, AuthSource
from oascompile.load import Document
from oascompile.oas import SchemeConfig, read_apikey_schemes

EXT = "x-tyk-api-gateway"
AUTH_PTR = "/x-tyk-api-gateway/server/authentication"
EXT_SCHEMES_PTR = AUTH_PTR + "/securitySchemes"
LOCATIONS = ("header", "query", "cookie")

# Classic flags of the auth methods other than Auth Token (spec §2.1 isAuthTokenEnabled)
CLASSIC_OTHER_METHODS = {
    "enable_jwt": "jwt", "use_basic_auth": "basic", "enable_signature_checking": "hmac",
    "use_oauth2": "oauth", "use_openid": "oidc", "custom_plugin_auth_enabled": "custom",
    "enable_coprocess_auth": "custom", "use_go_plugin_auth": "custom",
}


def obj(value: Any) -> dict:
    """``value`` if it is a mapping, else ``{}``."""
    return value if isinstance(value, dict) else {}


def flag(value: Any) -> bool:
    """True only for the JSON value ``true`` (a Go bool; anything else is a schema error)."""
    return value is True


def text(value: Any) -> str:
    """``value`` if it is a string, else ``""``."""
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class Source:
    """One auth source (header, query or cookie) as the gateway reads it.

    Attributes:
        location: ``header``, ``query`` or ``cookie``.
        enabled: whether the middleware reads it.
        name: the configured name ("" = runtime fallback, spec §3.1 steps 3–5).
        enabled_ptr: pointer of the key deciding ``enabled``.
        name_ptr: pointer of the key holding ``name`` (may not exist).
        primary: True for the OAS scheme's own ``in``/``name`` (spec X6).
    """

    location: str
    enabled: bool
    name: str
    enabled_ptr: str
    name_ptr: str
    primary: bool = False


@dataclass(frozen=True)
class Signature:
    """Mashery signature settings (spec §1.3, §5) with the pointer of each field.

    ``ptr`` maps the Classic field names (``algorithm``, ``header``, ``use_param``,
    ``param_name``, ``secret``, ``allowed_clock_skew``, ``enabled``) to pointers.
    """

    enabled: bool
    algorithm: str
    header: str
    use_param: bool
    param_name: str
    secret: str
    allowed_clock_skew: Any
    ptr: dict[str, str]
    present: bool


@dataclass(frozen=True)
class TokenConfig:
    """The Auth Token configuration of one Classic definition or one OAS apiKey scheme.

    Attributes:
        label: how messages name it (``auth_configs.authToken``, ``security scheme `k```).
        pointer: the object holding the config (Classic config, or the OAS components entry).
        scheme: the OAS security scheme name (None for Classic).
        sources: header, query, cookie in the gateway's reading order.
        enabled: ``use_standard_auth`` / the extension token's ``enabled``.
        enabled_ptr: where ``enabled`` is set.
        use_certificate / certificate_ptr: dynamic mTLS (spec §6.2).
        signature: signature settings.
        ext_ptr: OAS only: pointer of the extension's token object (may not exist).
    """

    label: str
    pointer: str
    scheme: str | None
    sources: tuple[Source, Source, Source]
    enabled: bool
    enabled_ptr: str
    signature: Signature
    ext_ptr: str | None = None

    def source(self, location: str) -> Source:
        """The source for ``location``."""
        return self.sources[LOCATIONS.index(location)]

    @property
    def header(self) -> Source:
        return self.sources[0]

    def auth_config(self) -> AuthConfig:
        """These sources as an IR :class:`~oascompile.ir.AuthConfig` (names and flags only)."""
        h, q, c = self.sources
        return AuthConfig(header=AuthSource(h.enabled, h.name),
                          query=AuthSource(q.enabled, q.name),
                          cookie=AuthSource(c.enabled, c.name))

    def runtime_name(self, location: str) -> str:
        """The name the gateway reads for ``location`` (spec §3.1 R3–R5, quirk 4)."""
        return self.auth_config().read_name(location)

    def strip_name(self, location: str) -> str:
        """The name strip-authorization-data removes for ``location`` (spec §4.1 S, quirk 5)."""
        return self.auth_config().strip_name(location)


@dataclass
class ApiFacts:
    """API-level facts of one document.

    Attributes:
        kind: ``oas`` or ``classic``.
        is_tyk: Classic, or OAS with an ``x-tyk-api-gateway`` object.
        keyless / keyless_ptr: no client authentication (Classic ``use_keyless``, OAS NOT
            ``authentication.enabled``).
        strip / strip_ptr: strip authorization data.
        tokens: the Auth Token configs (Classic: the one the runtime reads, R0; OAS: one per
            apiKey security scheme).
        other_methods: names of other enabled auth methods.
    """

    kind: str
    is_tyk: bool
    keyless: bool
    keyless_ptr: str
    strip: bool
    strip_ptr: str
    tokens: list[TokenConfig] = field(default_factory=list)
    other_methods: tuple[str, ...] = ()
    use_certificate: bool = False
    certificate_ptr: str = ""
    mtls_enabled: bool = False
    mtls_ptr: str = ""
    allowlist: Any = None
    allowlist_ptr: str = ""

    def auth_token_runs(self, token: TokenConfig | None = None) -> bool:
        """True when the Auth Token middleware is installed (gateway/api_loader.go, spec §3):
        not keyless and (token enabled or no other auth method)."""
        enabled = token.enabled if token is not None else any(t.enabled for t in self.tokens)
        return self.is_tyk and not self.keyless and (enabled or not self.other_methods)


# ------------------------------------------------------------------------------- Classic
def classic_token_pointer(data: dict) -> str | None:
    """Pointer of the config the Auth Token middleware reads (R0, spec §1.4): ``/auth_configs/
    authToken`` when that key exists, ``/auth`` when it does not and ``auth`` is an object."""
    if "authToken" in obj(data.get("auth_configs")):
        return "/auth_configs/authToken"
    if isinstance(data.get("auth"), dict):
        return "/auth"
    return None


def _as_document(data: Any, kind: str) -> Document:
    """Wrap plain data for a lenient reader (no source text, so no positions are needed)."""
    return Document("<lint>", "", data, "json", kind)


def _sources(config: AuthConfig, prov: dict[str, str], field: str,
             fallback: dict[str, str], primary: str | None = None) -> tuple[Source, ...]:
    """Header, query, cookie of an IR config with the pointers its reader recorded."""
    out = []
    for loc in LOCATIONS:
        src = getattr(config, loc)
        out.append(Source(loc, src.enabled, src.name,
                          prov.get(f"{field}.{loc}.enabled", fallback[loc]),
                          prov.get(f"{field}.{loc}.name", fallback[loc]), primary=loc == primary))
    return tuple(out)


def _signature(config: AuthConfig, prov: dict[str, str], field: str, obj_ptr: str,
               defaults: dict[str, str], present: bool) -> Signature:
    """The signature settings of an IR config with the pointers its reader recorded."""
    s, sf = config.signature, field + ".signature"
    keys = {"enabled": field + ".validate_signature", "algorithm": sf + ".algorithm",
            "header": sf + ".header", "use_param": sf + ".use_param",
            "param_name": sf + ".param_name", "secret": sf + ".secret",
            "allowed_clock_skew": sf + ".allowed_clock_skew"}
    alt = {"use_param": sf + ".query.enabled", "param_name": sf + ".query.name"}
    ptr = {k: prov.get(key) or prov.get(alt.get(k, ""), defaults[k]) for k, key in keys.items()}
    ptr["object"] = obj_ptr
    return Signature(enabled=config.validate_signature, algorithm=s.algorithm, header=s.header,
                     use_param=s.use_param, param_name=s.param_name, secret=s.secret,
                     allowed_clock_skew=s.allowed_clock_skew, ptr=ptr, present=present)


def classic_token(data: dict, ptr: str, label: str) -> TokenConfig:
    """Read a Classic AuthConfig object at ``ptr`` (spec §1.2) with the Classic reader, leniently
    (a value of the wrong type reads as its zero value)."""
    r = FieldReader(_as_document(data, "classic"), lenient=True)
    cfg_obj = jp.resolve(data, ptr, None)
    field = "token"
    config = read_auth_config(r, cfg_obj if isinstance(cfg_obj, dict) else None, ptr, field)
    cfg, sig = obj(cfg_obj), obj(obj(cfg_obj).get("signature"))
    sp = ptr + "/signature"
    defaults = {"enabled": ptr + "/validate_signature", "algorithm": sp + "/algorithm",
                "header": sp + "/header", "use_param": sp + "/use_param",
                "param_name": sp + "/param_name", "secret": sp + "/secret",
                "allowed_clock_skew": sp + "/allowed_clock_skew"}
    fallback = {"header": ptr + "/disable_header", "query": ptr + "/use_param",
                "cookie": ptr + "/use_cookie"}
    return TokenConfig(label=label, pointer=ptr, scheme=None,
                       sources=_sources(config, r.provenance, field, fallback),  # type: ignore[arg-type]
                       enabled=flag(data.get("use_standard_auth")),
                       enabled_ptr="/use_standard_auth",
                       signature=_signature(config, r.provenance, field, sp, defaults,
                                            bool(sig) or "validate_signature" in cfg))


def _classic_facts(data: dict) -> ApiFacts:
    others = sorted({m for k, m in CLASSIC_OTHER_METHODS.items() if flag(data.get(k))}
                    | ({"external_oauth"} if flag(obj(data.get("external_oauth")).get("enabled"))
                       else set()))
    facts = ApiFacts(kind="classic", is_tyk=True, keyless=flag(data.get("use_keyless")),
                     keyless_ptr="/use_keyless", strip=flag(data.get("strip_auth_data")),
                     strip_ptr="/strip_auth_data", other_methods=tuple(others),
                     mtls_enabled=flag(data.get("use_mutual_tls_auth")),
                     mtls_ptr="/use_mutual_tls_auth",
                     allowlist=data.get("client_certificates"),
                     allowlist_ptr="/client_certificates")
    ptr = classic_token_pointer(data)
    if ptr is not None:
        label = "auth_configs.authToken" if ptr.startswith("/auth_configs") else "auth"
        token = classic_token(data, ptr, label)
        facts.tokens.append(token)
        facts.use_certificate = flag(obj(jp.resolve(data, ptr, None)).get("use_certificate"))
        facts.certificate_ptr = ptr + "/use_certificate"
    return facts


# ------------------------------------------------------------------------------- OAS
def oas_schemes(data: dict) -> dict[str, dict]:
    """``components.securitySchemes`` as a dict (``{}`` when absent or malformed)."""
    return {k: v for k, v in obj(obj(data.get("components")).get("securitySchemes")).items()
            if isinstance(v, dict)}


def is_apikey(scheme: Any) -> bool:
    """True for an OpenAPI ``type: apiKey`` security scheme object."""
    return isinstance(scheme, dict) and scheme.get("type") == "apiKey"


def ext_auth(data: dict) -> dict:
    """``x-tyk-api-gateway.server.authentication`` (``{}`` when absent)."""
    return obj(obj(obj(data.get(EXT)).get("server")).get("authentication"))


def _oas_token(data: dict, scheme: SchemeConfig) -> TokenConfig:
    """The config Extract builds for one apiKey scheme alone (spec §2.3 X5, X6), with the
    pointer of every setting, from :func:`oascompile.oas.read_apikey_schemes`."""
    field = "authentication.auth_configs.authToken"
    ext_ptr = scheme.ext_pointer
    tok = obj(jp.resolve(data, ext_ptr, None))
    svp = ext_ptr + "/signatureValidation"
    defaults = {"enabled": svp + "/enabled", "algorithm": svp + "/algorithm",
                "header": svp + "/header", "use_param": svp + "/query/enabled",
                "param_name": svp + "/query/name", "secret": svp + "/secret",
                "allowed_clock_skew": svp + "/allowedClockSkew"}
    where = obj(jp.resolve(data, scheme.pointer, None)).get("in")
    fallback = {loc: f"{ext_ptr}/{loc}" for loc in LOCATIONS}
    return TokenConfig(label=f"security scheme `{scheme.name}`", pointer=scheme.pointer,
                       scheme=scheme.name,
                       sources=_sources(scheme.config, scheme.provenance, field, fallback,
                                        where if where in LOCATIONS else None),  # type: ignore[arg-type]
                       enabled=scheme.enabled, enabled_ptr=ext_ptr + "/enabled",
                       signature=_signature(scheme.config, scheme.provenance, field, svp,
                                            defaults, bool(obj(tok.get("signatureValidation")))),
                       ext_ptr=ext_ptr)


def _oas_facts(data: dict, doc: Document | None = None) -> ApiFacts:
    auth = ext_auth(data)
    schemes = oas_schemes(data)
    ext_schemes = obj(auth.get("securitySchemes"))
    others = []
    for name, tok in ext_schemes.items():
        if is_apikey(schemes.get(name)) or not flag(obj(tok).get("enabled")):
            continue
        others.append(name)
    server = obj(obj(data.get(EXT)).get("server"))
    cc = obj(server.get("clientCertificates"))
    cert_auth = obj(auth.get("certificateAuth"))
    facts = ApiFacts(kind="oas", is_tyk=isinstance(data.get(EXT), dict),
                     keyless=not flag(auth.get("enabled")), keyless_ptr=AUTH_PTR + "/enabled",
                     strip=flag(auth.get("stripAuthorizationData")),
                     strip_ptr=AUTH_PTR + "/stripAuthorizationData",
                     other_methods=tuple(others), mtls_enabled=flag(cc.get("enabled")),
                     mtls_ptr="/x-tyk-api-gateway/server/clientCertificates/enabled",
                     allowlist=cc.get("allowlist"),
                     allowlist_ptr="/x-tyk-api-gateway/server/clientCertificates/allowlist",
                     use_certificate=flag(cert_auth.get("enabled")),
                     certificate_ptr=AUTH_PTR + "/certificateAuth/enabled")
    for scheme in read_apikey_schemes(doc if doc is not None else _as_document(data, "oas")):
        facts.tokens.append(_oas_token(data, scheme))
    return facts


def api_facts(data: Any, kind: str | None, doc: Document | None = None) -> ApiFacts:
    """Read the :class:`ApiFacts` of a document of ``kind`` (``oas``/``classic``); ``doc`` (the
    loaded document holding ``data``) lets a skipped broken scheme be located cheaply."""
    data = obj(data)
    return _oas_facts(data, doc) if kind == "oas" else _classic_facts(data)


def root_security(data: Any) -> list:
    """OAS root ``security`` as a list (``[]`` when absent or malformed)."""
    value = obj(data).get("security")
    return value if isinstance(value, list) else []

