"""Tests for oascompile.schemas and the bundled x-tyk-api-gateway / classic schemas."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, Draft202012Validator

from oascompile import schemas
from oascompile.schemas import SchemaError, UnknownSchemaError, iter_errors, load_schema, validator

EXT = "x-tyk-api-gateway"
SHARED = Path(__file__).resolve().parents[2] / "shared"

MINIMAL_EXT: dict[str, Any] = {
    "info": {"name": "petstore", "state": {"active": True}},
    "upstream": {"url": "http://upstream.local"},
    "server": {"listenPath": {"value": "/petstore/"}},
}

FULL_EXT: dict[str, Any] = {
    "info": {"id": "a1", "orgId": "o1", "name": "petstore", "state": {"active": True, "internal": False}},
    "upstream": {"url": "http://upstream.local"},
    "server": {
        "listenPath": {"value": "/petstore/", "strip": True},
        "authentication": {
            "enabled": True,
            "stripAuthorizationData": True,
            "baseIdentityProvider": "auth_token",
            "securityProcessingMode": "compliant",
            "security": [["k"], ["k", "jwt"]],
            "certificateAuth": {"enabled": False},
            "customKeyLifetime": {"enabled": True, "value": "1h30m", "respectValidity": True},
            "securitySchemes": {
                "k": {
                    "enabled": True,
                    "header": {"enabled": True, "name": "Authorization"},
                    "cookie": {"enabled": False},
                    "query": {"enabled": True, "name": "key"},
                    "enableClientCertificate": True,
                    "signatureValidation": {
                        "enabled": True,
                        "algorithm": "MasherySHA256",
                        "header": "X-Signature",
                        "query": {"enabled": False},
                        "secret": "s3cr3t",
                        "allowedClockSkew": 30,
                        "errorCode": 403,
                        "errorMessage": "bad signature",
                    },
                },
                "jwt": {"enabled": True, "source": "c2VjcmV0", "signingMethod": "hmac"},
            },
        },
        "clientCertificates": {"enabled": True, "allowlist": ["cert-1", "cert-2"]},
    },
    "middleware": {"global": {"anything": ["goes", 1]}},
}

MINIMAL_CLASSIC: dict[str, Any] = {
    "name": "petstore",
    "proxy": {"target_url": "http://upstream.local"},
    "version_data": {"not_versioned": True},
}


def mutated(base: dict, path: str, value: Any) -> dict:
    """Deep copy of ``base`` with ``value`` set at dotted ``path`` (``...`` as value deletes)."""
    doc = copy.deepcopy(base)
    *parents, last = path.split(".")
    cur = doc
    for key in parents:
        cur = cur.setdefault(key, {})
    if value is ...:
        del cur[last]
    else:
        cur[last] = value
    return doc


def summary(errors: list[SchemaError]) -> list[tuple[str, str]]:
    return [(e.pointer, e.validator) for e in errors]


# -- loader -------------------------------------------------------------------------------------


def test_available_lists_bundled_schemas_by_stem():
    assert {"classic", EXT} <= set(schemas.available())


def test_load_schema_returns_fresh_copy_with_our_id():
    first = load_schema(EXT)
    assert first["$id"] == "https://oascompile.dev/schemas/x-tyk-api-gateway.schema.json"
    assert first["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert first["required"] == ["info", "upstream", "server"]
    first["required"].append("mutated")
    assert load_schema(EXT)["required"] == ["info", "upstream", "server"]
    assert load_schema("classic")["$id"] == "https://oascompile.dev/schemas/classic.schema.json"
    assert load_schema("classic")["required"] == ["name", "proxy", "version_data"]


def test_validator_is_cached_draft_2020_12_without_format_checking():
    v = validator(EXT)
    assert isinstance(v, Draft202012Validator)
    assert v is validator(EXT)
    assert v.format_checker is None
    assert validator("classic") is validator("classic")


@pytest.mark.parametrize("name", ["nope", "", "../classic", "classic.schema.json"])
def test_unknown_name_raises_keyerror_and_valueerror(name):
    with pytest.raises(KeyError) as as_key:
        validator(name)
    with pytest.raises(ValueError) as as_value:
        load_schema(name)
    for exc in (as_key.value, as_value.value):
        assert isinstance(exc, UnknownSchemaError)
        assert str(exc).startswith(f"unknown schema {name!r}; available: ")
        assert "classic" in str(exc) and EXT in str(exc)


@pytest.mark.parametrize("name", ["classic", EXT])
def test_schema_files_are_valid_2020_12_and_use_only_local_refs(name):
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    refs: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                refs.append(node["$ref"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(schema)
    assert refs and all(r.startswith("#/$defs/") for r in refs)
    assert "additionalProperties" not in schema


def test_schema_error_is_frozen():
    err = SchemaError("/a", "msg", "type")
    with pytest.raises(AttributeError):
        err.pointer = "/b"  # type: ignore[misc]


# -- x-tyk-api-gateway: valid inputs -------------------------------------------------------------


def test_minimal_ext_is_valid():
    assert iter_errors(EXT, MINIMAL_EXT) == []


def test_full_ext_with_every_checked_member_is_valid():
    assert iter_errors(EXT, FULL_EXT) == []


def test_load_balancing_instead_of_url_is_valid():
    doc = mutated(MINIMAL_EXT, "upstream", {"loadBalancing": {"enabled": True, "targets": []}})
    assert iter_errors(EXT, doc) == []


@pytest.mark.parametrize(
    "scheme",
    [
        {"enabled": True, "source": "c2VjcmV0", "signingMethod": "hmac"},  # JWT
        {"enabled": True, "header": {"enabled": True, "name": "Authorization"}, "cacheTTL": 60},  # Basic
        {"enabled": False, "allowedAuthorizeTypes": ["token"], "refreshToken": True},  # OAuth
        {"enabled": True, "providers": [{"jwt": {"enabled": True}}]},  # ExternalOAuth
    ],
    ids=["jwt", "basic", "oauth", "external-oauth"],
)
def test_other_scheme_kinds_pass(scheme):
    doc = mutated(MINIMAL_EXT, "server.authentication", {"enabled": True, "securitySchemes": {"s": scheme}})
    assert iter_errors(EXT, doc) == []


def test_scheme_names_outside_component_key_alphabet_are_unchecked_like_tyk():
    doc = mutated(MINIMAL_EXT, "server.authentication", {"enabled": True, "securitySchemes": {"a b": 1}})
    assert iter_errors(EXT, doc) == []


def test_empty_base_identity_provider_and_all_nonzero_durations_are_valid():
    for value in ["1h", "30m", "90s", "1h30m", "0h1s", "00s", "1h0m0s"]:
        doc = mutated(
            MINIMAL_EXT,
            "server.authentication",
            {"enabled": True, "baseIdentityProvider": "", "customKeyLifetime": {"enabled": True, "value": value}},
        )
        assert iter_errors(EXT, doc) == [], value


# -- x-tyk-api-gateway: each constraint ----------------------------------------------------------

AUTH = "server.authentication"
SCHEME = "server.authentication.securitySchemes.k"


def with_auth(**members: Any) -> dict:
    return mutated(MINIMAL_EXT, AUTH, {"enabled": True, **members})


def with_scheme(**members: Any) -> dict:
    return with_auth(securitySchemes={"k": {"enabled": True, **members}})


EXT_CASES = [
    ("root-not-object", [], [("", "type")]),
    ("missing-info", mutated(MINIMAL_EXT, "info", ...), [("", "required")]),
    ("missing-upstream", mutated(MINIMAL_EXT, "upstream", ...), [("", "required")]),
    ("missing-server", mutated(MINIMAL_EXT, "server", ...), [("", "required")]),
    ("missing-info-name", mutated(MINIMAL_EXT, "info.name", ...), [("/info", "required")]),
    ("missing-info-state", mutated(MINIMAL_EXT, "info.state", ...), [("/info", "required")]),
    ("blank-info-name", mutated(MINIMAL_EXT, "info.name", " \t"), [("/info/name", "pattern")]),
    ("info-id-int", mutated(MINIMAL_EXT, "info.id", 7), [("/info/id", "type")]),
    ("info-orgId-null", mutated(MINIMAL_EXT, "info.orgId", None), [("/info/orgId", "type")]),
    ("missing-active", mutated(MINIMAL_EXT, "info.state", {}), [("/info/state", "required")]),
    ("active-string", mutated(MINIMAL_EXT, "info.state.active", "true"), [("/info/state/active", "type")]),
    ("internal-int", mutated(MINIMAL_EXT, "info.state.internal", 1), [("/info/state/internal", "type")]),
    ("upstream-empty", mutated(MINIMAL_EXT, "upstream", {}), [("/upstream", "anyOf")]),
    ("upstream-url-int", mutated(MINIMAL_EXT, "upstream.url", 5), [("/upstream/url", "type")]),
    ("missing-listenPath", mutated(MINIMAL_EXT, "server.listenPath", ...), [("/server", "required")]),
    ("missing-listenPath-value", mutated(MINIMAL_EXT, "server.listenPath", {}), [("/server/listenPath", "required")]),
    ("empty-listenPath", mutated(MINIMAL_EXT, "server.listenPath.value", ""), [("/server/listenPath/value", "pattern")]),
    ("strip-string", mutated(MINIMAL_EXT, "server.listenPath.strip", "yes"), [("/server/listenPath/strip", "type")]),
    ("auth-missing-enabled", mutated(MINIMAL_EXT, AUTH, {}), [("/server/authentication", "required")]),
    ("strip-auth-int", with_auth(stripAuthorizationData=0), [("/server/authentication/stripAuthorizationData", "type")]),
    ("unknown-provider", with_auth(baseIdentityProvider="api_key"), [("/server/authentication/baseIdentityProvider", "enum")]),
    ("mode-unknown", with_auth(securityProcessingMode="strict"), [("/server/authentication/securityProcessingMode", "enum")]),
    ("security-flat", with_auth(security=["k"]), [("/server/authentication/security/0", "type")]),
    ("security-int-name", with_auth(security=[["k", 1]]), [("/server/authentication/security/0/1", "type")]),
    ("certauth-string", with_auth(certificateAuth={"enabled": "no"}), [("/server/authentication/certificateAuth/enabled", "type")]),
    ("lifetime-missing-enabled", with_auth(customKeyLifetime={"value": "1h"}), [("/server/authentication/customKeyLifetime", "required")]),
    ("lifetime-zero", with_auth(customKeyLifetime={"enabled": True, "value": "0s"}), [("/server/authentication/customKeyLifetime/value", "not")]),
    ("lifetime-zero-hms", with_auth(customKeyLifetime={"enabled": True, "value": "0h0m0s"}), [("/server/authentication/customKeyLifetime/value", "not")]),
    ("lifetime-empty", with_auth(customKeyLifetime={"enabled": True, "value": ""}), [("/server/authentication/customKeyLifetime/value", "not")]),
    ("lifetime-bad-format", with_auth(customKeyLifetime={"enabled": True, "value": "90"}), [("/server/authentication/customKeyLifetime/value", "pattern")]),
    ("lifetime-wrong-order", with_auth(customKeyLifetime={"enabled": True, "value": "5s1m"}), [("/server/authentication/customKeyLifetime/value", "pattern")]),
    ("lifetime-int", with_auth(customKeyLifetime={"enabled": True, "value": 5400}), [("/server/authentication/customKeyLifetime/value", "type")]),
    ("respect-string", with_auth(customKeyLifetime={"enabled": True, "respectValidity": "y"}), [("/server/authentication/customKeyLifetime/respectValidity", "type")]),
    ("schemes-array", with_auth(securitySchemes=[]), [("/server/authentication/securitySchemes", "type")]),
    ("scheme-not-object", with_auth(securitySchemes={"k": True}), [("/server/authentication/securitySchemes/k", "type")]),
    ("scheme-missing-enabled", with_auth(securitySchemes={"k": {}}), [("/server/authentication/securitySchemes/k", "required")]),
    ("scheme-enabled-string", with_auth(securitySchemes={"k": {"enabled": "true"}}), [("/server/authentication/securitySchemes/k/enabled", "type")]),
    ("header-enabled-string", with_scheme(header={"enabled": "yes"}), [("/server/authentication/securitySchemes/k/header/enabled", "type")]),
    ("header-missing-enabled", with_scheme(header={"name": "X-Key"}), [("/server/authentication/securitySchemes/k/header", "required")]),
    ("query-name-int", with_scheme(query={"enabled": True, "name": 1}), [("/server/authentication/securitySchemes/k/query/name", "type")]),
    ("cookie-string", with_scheme(cookie="sid"), [("/server/authentication/securitySchemes/k/cookie", "type")]),
    ("client-cert-string", with_scheme(enableClientCertificate="true"), [("/server/authentication/securitySchemes/k/enableClientCertificate", "type")]),
    ("sig-not-object", with_scheme(signatureValidation=True), [("/server/authentication/securitySchemes/k/signatureValidation", "type")]),
    ("sig-skew-float", with_scheme(signatureValidation={"allowedClockSkew": 1.5}), [("/server/authentication/securitySchemes/k/signatureValidation/allowedClockSkew", "type")]),
    ("sig-code-string", with_scheme(signatureValidation={"errorCode": "401"}), [("/server/authentication/securitySchemes/k/signatureValidation/errorCode", "type")]),
    ("sig-query-missing-enabled", with_scheme(signatureValidation={"query": {"name": "sig"}}), [("/server/authentication/securitySchemes/k/signatureValidation/query", "required")]),
    ("sig-algorithm-int", with_scheme(signatureValidation={"algorithm": 256}), [("/server/authentication/securitySchemes/k/signatureValidation/algorithm", "type")]),
    ("allowlist-null", mutated(MINIMAL_EXT, "server.clientCertificates", {"enabled": True, "allowlist": None}), [("/server/clientCertificates/allowlist", "type")]),
    ("allowlist-int-item", mutated(MINIMAL_EXT, "server.clientCertificates", {"allowlist": ["a", 2]}), [("/server/clientCertificates/allowlist/1", "type")]),
    ("clientcerts-enabled-null", mutated(MINIMAL_EXT, "server.clientCertificates", {"enabled": None}), [("/server/clientCertificates/enabled", "type")]),
]


@pytest.mark.parametrize("doc, expected", [c[1:] for c in EXT_CASES], ids=[c[0] for c in EXT_CASES])
def test_ext_constraint_fails_at_exact_pointer(doc, expected):
    assert summary(iter_errors(EXT, doc)) == expected


def test_signature_algorithm_is_free_text():
    assert iter_errors(EXT, with_scheme(signatureValidation={"algorithm": "sha1"})) == []


def test_ext_messages_name_the_field():
    assert iter_errors(EXT, with_scheme(header={"enabled": "yes"})) == [
        SchemaError(
            "/server/authentication/securitySchemes/k/header/enabled",
            "'enabled' must be boolean, got string \"yes\"",
            "type",
        )
    ]
    assert [e.message for e in iter_errors(EXT, mutated(MINIMAL_EXT, "info.name", ...))] == [
        "'info' is missing required field 'name'"
    ]
    assert [e.message for e in iter_errors(EXT, with_auth(customKeyLifetime={"enabled": True, "value": "0s"}))] == [
        "'value' = \"0s\" must not match pattern '^(0h)?(0m)?(0s)?$'"
    ]
    assert [e.message for e in iter_errors(EXT, mutated(MINIMAL_EXT, "server.clientCertificates", {"allowlist": None}))] == [
        "'allowlist' must be array, got null"
    ]
    assert [e.message for e in iter_errors(EXT, with_auth(baseIdentityProvider="api_key"))] == [
        "'baseIdentityProvider' = \"api_key\" is not one of \"\", \"auth_token\", \"hmac_key\", "
        "\"basic_auth_user\", \"jwt_claim\", \"oidc_user\", \"oauth_key\", \"custom_auth\""
    ]
    assert [e.message for e in iter_errors(EXT, mutated(MINIMAL_EXT, "upstream", {}))] == [
        "'upstream' needs at least one of 'url' or 'loadBalancing'"
    ]
    assert [e.message for e in iter_errors(EXT, mutated(MINIMAL_EXT, "server.listenPath.value", ""))] == [
        "'value' = \"\" does not match pattern '\\S+'"
    ]
    assert [e.message for e in iter_errors(EXT, [])] == ["document must be object, got array []"]


def test_errors_sorted_by_pointer_with_base_pointer_prefix():
    doc = mutated(MINIMAL_EXT, "upstream", {})
    doc["info"] = {"state": {"active": "no"}}
    doc["server"]["listenPath"]["value"] = ""
    assert summary(iter_errors(EXT, doc, base_pointer="/x-tyk-api-gateway")) == [
        ("/x-tyk-api-gateway/info", "required"),
        ("/x-tyk-api-gateway/info/state/active", "type"),
        ("/x-tyk-api-gateway/server/listenPath/value", "pattern"),
        ("/x-tyk-api-gateway/upstream", "anyOf"),
    ]


# -- classic ------------------------------------------------------------------------------------


def test_minimal_classic_is_valid():
    assert iter_errors("classic", MINIMAL_CLASSIC) == []


def test_full_classic_is_valid():
    doc = {
        **MINIMAL_CLASSIC,
        "api_id": "a1",
        "org_id": "o1",
        "active": True,
        "internal": False,
        "proxy": {"listen_path": "/p/", "strip_listen_path": True, "target_url": "http://u"},
        "use_keyless": False,
        "use_standard_auth": True,
        "auth": {"auth_header_name": "Authorization"},
        "auth_configs": {
            "authToken": {
                "name": "k",
                "use_param": True,
                "param_name": "key",
                "use_cookie": False,
                "cookie_name": "",
                "disable_header": False,
                "auth_header_name": "X-Key",
                "use_certificate": False,
                "validate_signature": True,
                "signature": {
                    "algorithm": "MasheryMD5",
                    "header": "X-Sig",
                    "use_param": False,
                    "param_name": "",
                    "secret": "$tyk_meta.secret",
                    "allowed_clock_skew": 10,
                    "error_code": 403,
                    "error_message": "no",
                },
            },
            "jwt": {"name": "jwt"},
        },
        "strip_auth_data": True,
        "use_mutual_tls_auth": True,
        "client_certificates": ["c1"],
        "base_identity_provided_by": "auth_token",
        "security_requirements": [["k"], ["k", "jwt"]],
        "security_requirement_scopes": [{"k": []}, {"k": [], "jwt": ["read"]}],
        "session_lifetime": 5400,
        "session_lifetime_respects_key_expiration": True,
        "enable_jwt": True,
        "use_basic_auth": False,
        "use_oauth2": False,
        "enable_signature_checking": False,
        "custom_plugin_auth_enabled": False,
        "use_go_plugin_auth": False,
        "enable_coprocess_auth": False,
        "use_openid": False,
        "external_oauth": {"enabled": False, "providers": []},
        "unknown_field": {"kept": True},
    }
    assert iter_errors("classic", doc) == []


def test_classic_client_certificates_null_passes():
    assert iter_errors("classic", {**MINIMAL_CLASSIC, "client_certificates": None}) == []


def test_classic_null_scalars_and_containers_pass_like_go():
    doc = {
        **MINIMAL_CLASSIC,
        "name": None,
        "proxy": None,
        "version_data": None,
        "api_id": None,
        "active": None,
        "session_lifetime": None,
        "base_identity_provided_by": None,
        "auth": None,
        "auth_configs": {"authToken": {"use_param": None, "signature": None}},
        "security_requirements": None,
        "external_oauth": None,
    }
    assert iter_errors("classic", doc) == []


CLASSIC_CASES = [
    ("root-not-object", "x", [("", "type")]),
    ("missing-name", {k: v for k, v in MINIMAL_CLASSIC.items() if k != "name"}, [("", "required")]),
    ("missing-proxy", {k: v for k, v in MINIMAL_CLASSIC.items() if k != "proxy"}, [("", "required")]),
    ("missing-version-data", {k: v for k, v in MINIMAL_CLASSIC.items() if k != "version_data"}, [("", "required")]),
    ("missing-target-url", mutated(MINIMAL_CLASSIC, "proxy", {"listen_path": "/"}), [("/proxy", "required")]),
    ("target-url-int", mutated(MINIMAL_CLASSIC, "proxy.target_url", 1), [("/proxy/target_url", "type")]),
    ("listen-path-bool", mutated(MINIMAL_CLASSIC, "proxy.listen_path", True), [("/proxy/listen_path", "type")]),
    ("strip-listen-string", mutated(MINIMAL_CLASSIC, "proxy.strip_listen_path", "true"), [("/proxy/strip_listen_path", "type")]),
    ("name-int", mutated(MINIMAL_CLASSIC, "name", 3), [("/name", "type")]),
    ("active-string", mutated(MINIMAL_CLASSIC, "active", "true"), [("/active", "type")]),
    ("use-param-string", mutated(MINIMAL_CLASSIC, "auth_configs", {"authToken": {"use_param": "true"}}), [("/auth_configs/authToken/use_param", "type")]),
    ("auth-configs-array", mutated(MINIMAL_CLASSIC, "auth_configs", []), [("/auth_configs", "type")]),
    ("auth-config-string", mutated(MINIMAL_CLASSIC, "auth_configs", {"jwt": "x"}), [("/auth_configs/jwt", "type")]),
    ("auth-header-int", mutated(MINIMAL_CLASSIC, "auth", {"auth_header_name": 1}), [("/auth/auth_header_name", "type")]),
    ("sig-skew-string", mutated(MINIMAL_CLASSIC, "auth_configs", {"authToken": {"signature": {"allowed_clock_skew": "5"}}}), [("/auth_configs/authToken/signature/allowed_clock_skew", "type")]),
    ("sig-code-float", mutated(MINIMAL_CLASSIC, "auth_configs", {"authToken": {"signature": {"error_code": 401.5}}}), [("/auth_configs/authToken/signature/error_code", "type")]),
    ("client-certs-string", mutated(MINIMAL_CLASSIC, "client_certificates", "c1"), [("/client_certificates", "type")]),
    ("client-certs-int-item", mutated(MINIMAL_CLASSIC, "client_certificates", ["c1", 2]), [("/client_certificates/1", "type")]),
    ("unknown-provider", mutated(MINIMAL_CLASSIC, "base_identity_provided_by", "api_key"), [("/base_identity_provided_by", "enum")]),
    ("security-flat", mutated(MINIMAL_CLASSIC, "security_requirements", ["k"]), [("/security_requirements/0", "type")]),
    ("scopes-bad", mutated(MINIMAL_CLASSIC, "security_requirement_scopes", [{"k": "read"}]), [("/security_requirement_scopes/0/k", "type")]),
    ("session-lifetime-float", mutated(MINIMAL_CLASSIC, "session_lifetime", 1.5), [("/session_lifetime", "type")]),
    ("session-lifetime-string", mutated(MINIMAL_CLASSIC, "session_lifetime", "90"), [("/session_lifetime", "type")]),
    ("enable-jwt-int", mutated(MINIMAL_CLASSIC, "enable_jwt", 1), [("/enable_jwt", "type")]),
    ("external-oauth-enabled-string", mutated(MINIMAL_CLASSIC, "external_oauth", {"enabled": "on"}), [("/external_oauth/enabled", "type")]),
]


@pytest.mark.parametrize("doc, expected", [c[1:] for c in CLASSIC_CASES], ids=[c[0] for c in CLASSIC_CASES])
def test_classic_constraint_fails_at_exact_pointer(doc, expected):
    assert summary(iter_errors("classic", doc)) == expected


def test_classic_use_param_message_and_escaped_pointer():
    doc = mutated(MINIMAL_CLASSIC, "auth_configs", {"a/b~c": {"use_param": "true"}})
    assert iter_errors("classic", doc, base_pointer="/apis/0") == [
        SchemaError("/apis/0/auth_configs/a~1b~0c/use_param", "'use_param' must be boolean or null, got string \"true\"", "type")
    ]


# -- corpus: never stricter than Tyk's reference schemas -----------------------------------------


def _load_any(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        try:
            return json.loads(text)
        except ValueError:
            pass  # e.g. a trailing comma; YAML's flow syntax accepts it
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(text)


def _reference(name: str) -> Draft4Validator:
    return Draft4Validator(json.loads((SHARED / "reference" / name).read_text(encoding="utf-8")))


def _corpus_docs() -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    exts: list[tuple[str, Any]] = []
    classics: list[tuple[str, Any]] = []
    files = sorted((SHARED / "corpus" / "tyk").glob("*.json")) + sorted((SHARED / "corpus" / "examples" / "oas").glob("*"))
    for path in files:
        doc = _load_any(path)
        if isinstance(doc, dict) and "x-tyk-api-gateway" in doc:
            exts.append((path.name, doc["x-tyk-api-gateway"]))
        elif path.parent.name == "tyk" and isinstance(doc, dict):
            classics.append((path.name, doc))
    return exts, classics


@pytest.mark.corpus
@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason=f"shared corpus not found at {SHARED}")
def test_corpus_our_schemas_accept_everything_tyk_accepts():
    exts, classics = _corpus_docs()
    assert len(exts) == 18 and len(classics) == 73
    ext_ref = _reference("x-tyk-api-gateway.json")
    classic_ref = _reference("tyk-classic-apidef.schema.json")
    stricter: list[str] = []
    tyk_rejects: list[str] = []
    for kind, docs, ref, ours in (("ext", exts, ext_ref, EXT), ("classic", classics, classic_ref, "classic")):
        for name, doc in docs:
            if not ref.is_valid(doc):
                tyk_rejects.append(f"{kind}:{name}")
                continue
            errors = iter_errors(ours, doc)
            if errors:
                stricter.append(f"{kind}:{name}: {errors[0].pointer} {errors[0].message}")
    assert stricter == []
    # Documents Tyk's own schema rejects (so nothing to compare): an upstream with only `proxy`,
    # and three Classic files with fields newer than / absent from the Classic schema (it has
    # additionalProperties: false at the root).
    assert sorted(tyk_rejects) == [
        "classic:apps__coprocess_grpc_app_sample_protected.json",
        "classic:metrics__test-mcpapi.json",
        "classic:tracing__test-response-mw.json",
        "ext:tyk-docs__streams-end-to-end-example.yaml",
    ]


@pytest.mark.corpus
@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason=f"shared corpus not found at {SHARED}")
def test_corpus_ext_rejected_by_tyk_is_rejected_by_ours_for_the_same_reason():
    exts, _ = _corpus_docs()
    streams = dict(exts)["tyk-docs__streams-end-to-end-example.yaml"]
    assert summary(iter_errors(EXT, streams)) == [("/upstream", "anyOf")]
