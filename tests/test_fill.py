"""Classic → OAS: the migration step (spec §2.1) and fresh Fill rules F1–F12, §2.4–§2.6."""

from __future__ import annotations

from conftest import doc_from
from helpers import auth_config, classic

from oascompile.convert import to_oas

SCHEMES = "/x-tyk-api-gateway/server/authentication/securitySchemes"


def convert(api):
    result = to_oas(doc_from(api))
    return result.output, result.entries


def ext_auth(out):
    return out["x-tyk-api-gateway"]["server"].get("authentication")


def kinds(entries):
    return [(e.kind, e.pointer) for e in entries if e.kind != "dropped"]


def test_M1_header_only():
    out, entries = convert(classic())
    assert out["components"] == {"securitySchemes": {
        "authToken": {"type": "apiKey", "in": "header", "name": "Authorization"}}}
    assert out["security"] == [{"authToken": []}]
    assert ext_auth(out) == {"enabled": True, "securitySchemes": {"authToken": {"enabled": True}}}
    assert kinds(entries) == []


def test_M2_F2_header_beats_query_and_cookie_F5_others_in_extension():
    out, _ = convert(classic(auth_config(auth_header_name="X-API-Key", use_param=True,
                                         param_name="api_key", use_cookie=True,
                                         cookie_name="sid")))
    assert out["components"]["securitySchemes"]["authToken"] == {
        "type": "apiKey", "in": "header", "name": "X-API-Key"}
    assert ext_auth(out)["securitySchemes"]["authToken"] == {
        "enabled": True, "cookie": {"enabled": True, "name": "sid"},
        "query": {"enabled": True, "name": "api_key"}}


def test_M3_query_primary_disabled_named_header_kept():
    out, _ = convert(classic(auth_config(disable_header=True, auth_header_name="Authorization",
                                         use_param=True, param_name="api_key")))
    assert out["components"]["securitySchemes"]["authToken"] == {
        "type": "apiKey", "in": "query", "name": "api_key"}
    assert ext_auth(out)["securitySchemes"]["authToken"] == {
        "enabled": True, "header": {"enabled": False, "name": "Authorization"}}


def test_M4_cookie_only_has_no_sources_in_extension():
    out, _ = convert(classic(auth_config(disable_header=True, auth_header_name="",
                                         use_cookie=True, cookie_name="tyk_sess")))
    assert out["components"]["securitySchemes"]["authToken"] == {
        "type": "apiKey", "in": "cookie", "name": "tyk_sess"}
    assert ext_auth(out)["securitySchemes"]["authToken"] == {"enabled": True}


def test_M5_quirk16_empty_header_name_written_as_runtime_default():
    out, entries = convert(classic(auth_config(auth_header_name="")))
    assert out["components"]["securitySchemes"]["authToken"] == {
        "type": "apiKey", "in": "header", "name": "Authorization"}
    assert ("deviation", "/auth_configs/authToken/auth_header_name") in kinds(entries)
    assert ("changed", "/auth_configs/authToken/auth_header_name") in kinds(entries)


def test_M6_quirk17_no_enabled_source_writes_valid_header_scheme_and_says_so():
    out, entries = convert(classic(auth_config(disable_header=True, auth_header_name="X-K",
                                               use_certificate=True)))
    assert out["components"]["securitySchemes"]["authToken"] == {
        "type": "apiKey", "in": "header", "name": "X-K"}
    assert ext_auth(out)["certificateAuth"] == {"enabled": True}
    got = kinds(entries)
    assert ("deviation", "/auth_configs/authToken/disable_header") in got
    assert ("warning", "/auth_configs/authToken/disable_header") in got


def test_M7_F6_signature_validation():
    out, _ = convert(classic(auth_config(validate_signature=True, signature={
        "algorithm": "MasherySHA256", "header": "X-Signature", "use_param": True,
        "param_name": "sig", "secret": "$tyk_meta.sig_secret", "allowed_clock_skew": 30})))
    assert ext_auth(out)["securitySchemes"]["authToken"]["signatureValidation"] == {
        "enabled": True, "algorithm": "MasherySHA256", "header": "X-Signature",
        "query": {"enabled": True, "name": "sig"}, "secret": "$tyk_meta.sig_secret",
        "allowedClockSkew": 30}


def test_M7_variant_only_algorithm_quirk41_query_always_written():
    out, _ = convert(classic(auth_config(signature={"algorithm": "MasheryMD5"})))
    assert ext_auth(out)["securitySchemes"]["authToken"]["signatureValidation"] == {
        "enabled": False, "algorithm": "MasheryMD5", "query": {"enabled": False}}


def test_F6_all_zero_signature_is_omitted():
    out, _ = convert(classic())
    assert "signatureValidation" not in ext_auth(out)["securitySchemes"]["authToken"]


def test_M8_certificate_new_contract_F7_no_enable_client_certificate():
    out, _ = convert(classic(auth_config(use_certificate=True)))
    assert ext_auth(out) == {"enabled": True,
                             "securitySchemes": {"authToken": {"enabled": True}},
                             "certificateAuth": {"enabled": True}}


def test_F4_enabled_is_use_standard_auth_when_another_method_is_on():
    out, entries = convert(classic(use_standard_auth=False, enable_jwt=True))
    # Auth Token not enabled and another method on: migration deletes the config (spec §2.1)
    assert "components" not in out and "security" not in out
    assert ext_auth(out) == {"enabled": True}
    assert ("dropped", "/auth_configs/authToken") in [(e.kind, e.pointer) for e in entries]


def test_F4_use_standard_auth_true_with_other_method_keeps_token():
    out, _ = convert(classic(enable_jwt=True))
    assert ext_auth(out)["securitySchemes"]["authToken"] == {"enabled": True}


def test_implicit_auth_token_is_written_enabled_with_a_deviation():
    out, entries = convert(classic(use_standard_auth=False))
    assert ext_auth(out)["securitySchemes"]["authToken"] == {"enabled": True}
    assert ("deviation", "/use_standard_auth") in kinds(entries)


def test_migration_names_scheme_authtoken():
    out, entries = convert(classic(auth_config(name="partnerKey",
                                               auth_header_name="X-Partner-Token")))
    assert list(out["components"]["securitySchemes"]) == ["authToken"]
    assert out["components"]["securitySchemes"]["authToken"]["name"] == "X-Partner-Token"
    entry = next(e for e in entries if e.pointer == "/auth_configs/authToken/name")
    assert (entry.kind, entry.from_value, entry.to_value) == ("changed", "partnerKey",
                                                               "authToken")


def test_deprecated_auth_stands_in_when_authtoken_key_missing():
    api = classic(auth_configs={}, auth=auth_config(name="", auth_header_name="X-Legacy"))
    out, entries = convert(api)
    assert out["components"]["securitySchemes"]["authToken"] == {
        "type": "apiKey", "in": "header", "name": "X-Legacy"}
    assert ("deviation", "/auth") in kinds(entries)
    assert ("changed", "/auth/name") in kinds(entries)


def test_implicit_auth_token_without_any_config_gets_default_header():
    api = classic(use_standard_auth=False)
    del api["auth_configs"]
    out, entries = convert(api)
    assert out["components"]["securitySchemes"]["authToken"] == {
        "type": "apiKey", "in": "header", "name": "Authorization"}
    assert ("deviation", "/use_keyless") in kinds(entries)


def test_M17_keyless_with_strip():
    out, _ = convert(classic(use_keyless=True, use_standard_auth=False, auth_configs={},
                             strip_auth_data=True))
    assert ext_auth(out) == {"enabled": False, "stripAuthorizationData": True}
    assert "security" not in out and "components" not in out


def test_keyless_without_anything_omits_authentication():
    out, _ = convert(classic(use_keyless=True, use_standard_auth=False, auth_configs={}))
    assert ext_auth(out) is None


def test_F1_empty_name_is_renamed_by_migration_but_keyless_drops_token():
    out, entries = convert(classic(auth_config(name=""), use_keyless=True,
                                   use_standard_auth=False))
    assert "components" not in out
    assert ("dropped", "/auth_configs/authToken") in [(e.kind, e.pointer) for e in entries]


def test_M18_F9_session_lifetime_and_provider_and_strip():
    out, _ = convert(classic(session_lifetime=5400, base_identity_provided_by="auth_token",
                             strip_auth_data=True,
                             session_lifetime_respects_key_expiration=True))
    authn = ext_auth(out)
    assert authn["customKeyLifetime"] == {"enabled": True, "value": "1h30m",
                                          "respectValidity": True}
    assert authn["baseIdentityProvider"] == "auth_token"
    assert authn["stripAuthorizationData"] is True


def test_quirk40_respect_validity_without_lifetime_stays_schema_valid():
    out, entries = convert(classic(session_lifetime_respects_key_expiration=True))
    assert ext_auth(out)["customKeyLifetime"] == {"enabled": False, "respectValidity": True}
    assert ("deviation", "/session_lifetime_respects_key_expiration") in kinds(entries)


def test_F10_client_certificates_and_quirk39_null_allowlist():
    out, _ = convert(classic(use_mutual_tls_auth=True, client_certificates=["org1aa"]))
    assert out["x-tyk-api-gateway"]["server"]["clientCertificates"] == {
        "enabled": True, "allowlist": ["org1aa"]}
    out, entries = convert(classic(use_mutual_tls_auth=True, client_certificates=None))
    assert out["x-tyk-api-gateway"]["server"]["clientCertificates"] == {
        "enabled": True, "allowlist": []}
    assert ("deviation", "/client_certificates") in kinds(entries)


def test_F10_disabled_empty_client_certificates_omitted():
    out, _ = convert(classic())
    assert "clientCertificates" not in out["x-tyk-api-gateway"]["server"]


def test_M20_F11_identity_fields():
    out, _ = convert(classic(api_id="a1", name="Pets", org_id="org1", active=True,
                             proxy={"listen_path": "/pets/", "strip_listen_path": True,
                                    "target_url": "http://up:8080"}))
    ext = out["x-tyk-api-gateway"]
    assert ext["info"] == {"id": "a1", "orgId": "org1", "name": "Pets",
                           "state": {"active": True}}
    assert ext["upstream"] == {"url": "http://up:8080"}
    assert ext["server"]["listenPath"] == {"value": "/pets/", "strip": True}
    assert out["info"] == {"title": "Pets", "version": "Default"}


def test_empty_listen_path_and_name_replaced_with_valid_values():
    out, entries = convert(classic(name="", proxy={"listen_path": "", "target_url": "http://u"}))
    ext = out["x-tyk-api-gateway"]
    assert ext["server"]["listenPath"] == {"value": "/"}
    assert ext["info"]["name"] == "api1"
    assert ("deviation", "/proxy/listen_path") in kinds(entries)
    assert ("deviation", "/name") in kinds(entries)


def test_F12_security_requirements_rebuild_and_foreign_names_left_out():
    api = classic(enable_jwt=True, security_requirements=[["authToken"], ["jwtAuth"]],
                  security_requirement_scopes=[{"authToken": []}, {"jwtAuth": []}])
    out, entries = convert(api)
    assert out["security"] == [{"authToken": []}]
    assert ("dropped", "/security_requirements/1") in [(e.kind, e.pointer) for e in entries]


def test_F12_requirement_names_follow_the_renamed_scheme():
    api = classic(auth_config(name="k"), security_requirements=[["k"]])
    out, _ = convert(api)
    assert out["security"] == [{"authToken": []}]


def test_quirk19_proprietary_names_go_to_vendor_security():
    api = classic(security_requirements=[["authToken", "hmac"]])
    out, _ = convert(api)
    assert out["security"] == [{"authToken": []}]
    assert ext_auth(out)["security"] == [["hmac"]]


def test_extension_token_key_order_matches_go():
    out, _ = convert(classic(auth_config(use_param=True, param_name="q", use_cookie=True,
                                         cookie_name="c", validate_signature=True,
                                         signature={"algorithm": "MasheryMD5"})))
    assert list(ext_auth(out)["securitySchemes"]["authToken"]) == [
        "enabled", "cookie", "query", "signatureValidation"]


def test_deprecated_auth_next_to_authtoken_is_reported_dropped():
    out, entries = convert(classic(auth=auth_config(name="", auth_header_name="X-Old")))
    assert out["components"]["securitySchemes"]["authToken"]["name"] == "Authorization"
    entry = next(e for e in entries if e.pointer == "/auth")
    assert entry.kind == "dropped"
    assert "auth_configs.authToken exists, so the gateway ignores it" in entry.message


def test_leftover_auth_config_strip_change_is_a_warning():
    api = classic(strip_auth_data=True)
    api["auth_configs"]["basic"] = auth_config(name="basic", auth_header_name="X-Basic",
                                               use_param=True, param_name="b", cookie_name="bc")
    _, entries = convert(api)
    warning = next(e for e in entries if e.kind == "warning" and e.pointer == "/auth_configs/basic")
    assert ("the Classic API removes X-Basic, query b, cookie bc before proxying"
            in warning.message)


def test_other_method_without_token_warns_that_auth_token_takes_over():
    _, entries = convert(classic(use_standard_auth=False, enable_jwt=True))
    warning = next(e for e in entries if e.pointer == "/enable_jwt" and e.kind == "warning")
    assert "the gateway enforces Auth Token on the `Authorization` header instead" in warning.message
