"""Tyk Classic API definitions: reader (Classic JSON → IR) and writer (IR → Classic JSON).

Field names, types and defaults follow spec ``tyk-auth-token.md`` §1.1–§1.3 (Go
``apidef.APIDefinition``, ``AuthConfig``, ``SignatureConfig``).  The writer serialises every
``AuthConfig`` field, as Go does (no ``omitempty``), in Go's struct order, and the security
requirement fields the way ``OAS.ExtractTo`` leaves them (spec X8).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from oascompile import ir
from oascompile import pointer as jp
from oascompile.fields import FieldReader
from oascompile.load import Document

OTHER_METHOD_FLAGS: tuple[tuple[str, str], ...] = (
    ("enable_jwt", "jwt"),
    ("enable_signature_checking", "hmac"),
    ("use_basic_auth", "basic"),
    ("custom_plugin_auth_enabled", "custom"),
    ("use_go_plugin_auth", "custom"),
    ("enable_coprocess_auth", "custom"),
    ("use_oauth2", "oauth"),
    ("use_openid", "oidc"),
)
"""Classic flags of the other auth methods (spec §2.1 ``isAuthTokenEnabled``); the deprecated
``use_go_plugin_auth`` / ``enable_coprocess_auth`` count as custom plugin auth, as Tyk's
migration turns them into ``custom_plugin_auth_enabled``."""


@dataclass
class ReadResult:
    """What a reader returns.

    Attributes:
        api: the IR.
        consumed: input pointers mapped into the IR (see :mod:`oascompile.fields`).
        provenance: IR field path → input pointer.
        entries: report entries the reader itself produced (ambiguities, ignored values).
    """

    api: ir.APIDefinition
    consumed: set[str]
    provenance: dict[str, str]
    entries: list


def read_auth_config(r: FieldReader, obj: dict | None, ptr: str, field: str) -> ir.AuthConfig:
    """Read one ``AuthConfig`` object (spec §1.2) at ``ptr``; ``field`` prefixes provenance."""
    v = r.value
    sig = r.obj(obj, ptr, "signature")
    sp = jp.child(ptr, "signature")
    sf = field + ".signature"
    signature = ir.SignatureConfig(
        algorithm=v(sig, sp, "algorithm", str, "", sf + ".algorithm"),
        header=v(sig, sp, "header", str, "", sf + ".header"),
        use_param=v(sig, sp, "use_param", bool, False, sf + ".use_param"),
        param_name=v(sig, sp, "param_name", str, "", sf + ".param_name"),
        secret=v(sig, sp, "secret", str, "", sf + ".secret"),
        allowed_clock_skew=v(sig, sp, "allowed_clock_skew", int, 0, sf + ".allowed_clock_skew"),
        error_code=v(sig, sp, "error_code", int, 0, sf + ".error_code"),
        error_message=v(sig, sp, "error_message", str, "", sf + ".error_message"),
    )
    return ir.AuthConfig(
        name=v(obj, ptr, "name", str, "", field + ".name"),
        header=ir.AuthSource(not v(obj, ptr, "disable_header", bool, False, field + ".header.enabled"),
                             v(obj, ptr, "auth_header_name", str, "", field + ".header.name")),
        query=ir.AuthSource(v(obj, ptr, "use_param", bool, False, field + ".query.enabled"),
                            v(obj, ptr, "param_name", str, "", field + ".query.name")),
        cookie=ir.AuthSource(v(obj, ptr, "use_cookie", bool, False, field + ".cookie.enabled"),
                             v(obj, ptr, "cookie_name", str, "", field + ".cookie.name")),
        use_certificate=v(obj, ptr, "use_certificate", bool, False, field + ".use_certificate"),
        validate_signature=v(obj, ptr, "validate_signature", bool, False,
                             field + ".validate_signature"),
        signature=signature,
    )


def _read_requirements(r: FieldReader, data: dict) -> tuple[ir.SecurityRequirement, ...]:
    """``security_requirements`` + ``security_requirement_scopes`` → IR, normalised (§2.5)."""
    reqs_raw = r.value(data, "", "security_requirements", list, [],
                       "authentication.security_requirements")
    scopes_raw = r.value(data, "", "security_requirement_scopes", list, [])
    if not reqs_raw and scopes_raw:
        r.provenance["authentication.security_requirements"] = "/security_requirement_scopes"
    reqs: list[tuple[str, ...]] = []
    for i, req in enumerate(reqs_raw):
        if not isinstance(req, list) or not all(isinstance(n, str) for n in req):
            raise r.doc.error("`security_requirements` items must be arrays of strings",
                              jp.join("security_requirements", i))
        reqs.append(tuple(req))
    scopes: list[dict[str, tuple[str, ...]]] = []
    for i, entry in enumerate(scopes_raw):
        if not isinstance(entry, dict):
            raise r.doc.error("`security_requirement_scopes` items must be objects",
                              jp.join("security_requirement_scopes", i))
        m: dict[str, tuple[str, ...]] = {}
        for name, sc in entry.items():
            if sc is None:
                sc = []
            if not isinstance(sc, list) or not all(isinstance(s, str) for s in sc):
                raise r.doc.error("scope lists must be arrays of strings",
                                  jp.join("security_requirement_scopes", i, name))
            m[name] = tuple(sc)
        scopes.append(m)
    if reqs and scopes and len(reqs) != len(scopes):
        reqs = [tuple(m) for m in scopes]  # §2.5 normalisation: rebuilt from the scope maps
    if not reqs:
        reqs = [tuple(m) for m in scopes]
    out = []
    for i, names in enumerate(reqs):
        m = scopes[i] if i < len(scopes) else {}
        out.append(ir.SecurityRequirement(tuple((n, m.get(n, ())) for n in names)))
    return tuple(out)


def read_classic(doc: Document) -> ReadResult:
    """Read a Tyk Classic API definition into the IR.

    Args:
        doc: a loaded document whose top level is an object.

    Returns:
        a :class:`ReadResult`.

    Raises:
        InputError: a field we read has the wrong JSON type (Go's decoder would refuse it too).
    """
    data = doc.data
    r = FieldReader(doc)
    v = r.value
    proxy = r.obj(data, "", "proxy")
    identity = ir.Identity(
        api_id=v(data, "", "api_id", str, "", "identity.api_id"),
        name=v(data, "", "name", str, "", "identity.name"),
        org_id=v(data, "", "org_id", str, "", "identity.org_id"),
        active=v(data, "", "active", bool, False, "identity.active"),
        internal=v(data, "", "internal", bool, False, "identity.internal"),
        listen_path=v(proxy, "/proxy", "listen_path", str, "", "identity.listen_path"),
        strip_listen_path=v(proxy, "/proxy", "strip_listen_path", bool, False,
                            "identity.strip_listen_path"),
        target_url=v(proxy, "/proxy", "target_url", str, "", "identity.target_url"),
    )
    configs_obj = r.obj(data, "", "auth_configs")
    auth_configs: tuple[tuple[str, ir.AuthConfig], ...] | None
    if isinstance(data.get("auth_configs"), dict):
        auth_configs = tuple(
            (key, read_auth_config(r, r.obj(configs_obj, "/auth_configs", key) if configs_obj
                                   else None, jp.join("auth_configs", key),
                                   f"authentication.auth_configs.{key}"))
            for key in (configs_obj or {}))
    else:
        auth_configs = None
    deprecated = None
    if isinstance(data.get("auth"), dict):
        deprecated = read_auth_config(r, r.obj(data, "", "auth"), "/auth",
                                      "authentication.deprecated_auth")
    else:
        r.obj(data, "", "auth")  # type check / consume a null
    others = []
    for flag, method in OTHER_METHOD_FLAGS:  # decide, but are not carried (reported dropped)
        if v(data, "", flag, bool, False, consume=False) and method not in others:
            others.append(method)
    external = data.get("external_oauth")
    if v(external if isinstance(external, dict) else None, "/external_oauth", "enabled", bool,
         False, consume=False):
        others.append("external_oauth")
    mtls = ir.ClientCertificates(
        enabled=v(data, "", "use_mutual_tls_auth", bool, False,
                  "authentication.client_certificates.enabled"),
        allowlist=r.string_list(data, "", "client_certificates",
                                "authentication.client_certificates.allowlist"),
    )
    provider = v(data, "", "base_identity_provided_by", str, "",
                 "authentication.base_identity_provider")
    auth = ir.Authentication(
        keyless=v(data, "", "use_keyless", bool, False, "authentication.keyless"),
        auth_token_enabled=v(data, "", "use_standard_auth", bool, False,
                             "authentication.auth_token_enabled"),
        auth_configs=auth_configs,
        deprecated_auth=deprecated,
        strip_authorization_data=v(data, "", "strip_auth_data", bool, False,
                                   "authentication.strip_authorization_data"),
        base_identity_provider=provider,
        session_lifetime=v(data, "", "session_lifetime", int, 0,
                           "authentication.session_lifetime"),
        session_lifetime_respects_key_expiration=v(
            data, "", "session_lifetime_respects_key_expiration", bool, False,
            "authentication.session_lifetime_respects_key_expiration"),
        client_certificates=mtls,
        other_methods=tuple(others),
        security_requirements=_read_requirements(r, data),
    )
    return ReadResult(ir.APIDefinition(identity, auth, "classic"), r.consumed, r.provenance, [])


# ------------------------------------------------------------------------------- writer
def auth_config_to_json(config: ir.AuthConfig) -> dict[str, Any]:
    """Serialise an AuthConfig with every field, in Go's struct order (spec §1.2)."""
    s = config.signature
    return {
        "name": config.name,
        "use_param": config.query.enabled,
        "param_name": config.query.name,
        "use_cookie": config.cookie.enabled,
        "cookie_name": config.cookie.name,
        "disable_header": not config.header.enabled,
        "auth_header_name": config.header.name,
        "use_certificate": config.use_certificate,
        "validate_signature": config.validate_signature,
        "signature": {
            "algorithm": s.algorithm,
            "header": s.header,
            "use_param": s.use_param,
            "param_name": s.param_name,
            "secret": s.secret,
            "allowed_clock_skew": s.allowed_clock_skew,
            "error_code": s.error_code,
            "error_message": s.error_message,
        },
    }


def requirements_to_classic(reqs: tuple[ir.SecurityRequirement, ...]) -> dict[str, Any]:
    """IR security requirements → ``security_requirements`` / ``…_scopes`` (spec X8).

    One requirement with one scheme ⇒ requirements omitted (null), scopes kept; otherwise both
    listed in order.  Both are omitted when there are no requirements (Go ``omitempty``).
    """
    if not reqs:
        return {}
    scopes = [{name: list(sc) for name, sc in req.schemes} for req in reqs]
    if len(reqs) == 1 and len(reqs[0].schemes) == 1:
        return {"security_requirement_scopes": scopes}
    return {"security_requirements": [list(req.names()) for req in reqs],
            "security_requirement_scopes": scopes}


def write_classic(api: ir.APIDefinition, version_name: str = "Default") -> dict[str, Any]:
    """Write the IR as a Tyk Classic API definition (JSON-ready dict).

    Args:
        api: the IR.
        version_name: the name of the single (non-versioned) version written to
            ``version_data``, which the Classic schema requires.

    Returns:
        A dict with the identity fields, ``version_data``, and every Auth Token field; the
        deprecated ``auth`` is not written (``OAS.ExtractTo`` never writes it, spec §1.4).
    """
    i, a = api.identity, api.authentication
    out: dict[str, Any] = {
        "api_id": i.api_id,
        "name": i.name,
        "org_id": i.org_id,
        "active": i.active,
        "internal": i.internal,
        "proxy": {"listen_path": i.listen_path, "target_url": i.target_url,
                  "strip_listen_path": i.strip_listen_path},
        "version_data": {"not_versioned": True, "default_version": version_name,
                         "versions": {version_name: {"name": version_name}}},
        "use_keyless": a.keyless,
        "use_standard_auth": a.auth_token_enabled,
        "auth_configs": {key: auth_config_to_json(c) for key, c in (a.auth_configs or ())},
        "strip_auth_data": a.strip_authorization_data,
        "use_mutual_tls_auth": a.client_certificates.enabled,
        "client_certificates": (list(a.client_certificates.allowlist)
                                if a.client_certificates.allowlist is not None else None),
        "base_identity_provided_by": a.base_identity_provider,
        "session_lifetime": a.session_lifetime,
    }
    if a.session_lifetime_respects_key_expiration:
        out["session_lifetime_respects_key_expiration"] = True
    out.update(requirements_to_classic(a.security_requirements))
    return out
