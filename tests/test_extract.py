"""OAS → Classic: ``OAS.ExtractTo`` rules X1–X9 and examples M10–M16 (spec §2.3, §2.9)."""

from __future__ import annotations

import pytest
from conftest import doc_from
from helpers import oas

from oascompile.convert import to_classic
from oascompile.errors import InputError

HEADER = {"type": "apiKey", "in": "header", "name": "Authorization"}


def extract(doc):
    result = to_classic(doc_from(doc))
    return result.output, result.entries


def token(out):
    return out["auth_configs"].get("authToken")


def test_M1_X5_X6_X8_header_scheme_full_auth_config():
    out, _ = extract(oas())
    assert out["use_standard_auth"] is True and out["use_keyless"] is False
    assert token(out) == {
        "name": "authToken", "use_param": False, "param_name": "", "use_cookie": False,
        "cookie_name": "", "disable_header": False, "auth_header_name": "Authorization",
        "use_certificate": False, "validate_signature": False,
        "signature": {"algorithm": "", "header": "", "use_param": False, "param_name": "",
                      "secret": "", "allowed_clock_skew": 0, "error_code": 0,
                      "error_message": ""}}
    assert out["security_requirement_scopes"] == [{"authToken": []}]
    assert "security_requirements" not in out


def test_X1_missing_authentication_block_is_keyless():
    doc = oas()
    del doc["x-tyk-api-gateway"]["server"]["authentication"]
    out, _ = extract(doc)
    assert out["use_keyless"] is True
    assert out["auth_configs"] == {} and out["use_standard_auth"] is False


def test_X1_strip_provider_lifetime():
    out, _ = extract(oas(authentication={
        "stripAuthorizationData": True, "baseIdentityProvider": "auth_token",
        "customKeyLifetime": {"enabled": True, "value": "1m30s", "respectValidity": True}}))
    assert out["strip_auth_data"] is True
    assert out["base_identity_provided_by"] == "auth_token"
    assert out["session_lifetime"] == 90
    assert out["session_lifetime_respects_key_expiration"] is True


def test_X1_disabled_lifetime_is_zero():
    out, _ = extract(oas(authentication={"customKeyLifetime": {"enabled": False,
                                                               "value": "1h"}}))
    assert out["session_lifetime"] == 0


def test_M3_query_primary_restores_disabled_named_header():
    out, _ = extract(oas({"key": {"type": "apiKey", "in": "query", "name": "api_key"}},
                         {"key": {"enabled": True,
                                  "header": {"enabled": False, "name": "Authorization"}}}))
    t = token(out)
    assert (t["name"], t["disable_header"], t["auth_header_name"], t["use_param"],
            t["param_name"], t["use_cookie"]) == ("key", True, "Authorization", True,
                                                  "api_key", False)


def test_M10a_old_contract_sets_use_certificate():
    out, _ = extract(oas(ext_schemes={"authToken": {"enabled": True,
                                                    "enableClientCertificate": True}}))
    assert token(out)["use_certificate"] is True


def test_M10b_certificate_auth_false_wins_over_old_contract():
    out, entries = extract(oas(ext_schemes={"authToken": {"enabled": True,
                                                          "enableClientCertificate": True}},
                               authentication={"certificateAuth": {"enabled": False}}))
    assert token(out)["use_certificate"] is False
    assert any(e.kind == "warning" and e.pointer.endswith("/enableClientCertificate")
               for e in entries)


def test_M10c_certificate_auth_without_security_creates_entry():
    doc = oas(authentication={"certificateAuth": {"enabled": True}})
    doc["security"] = []
    out, _ = extract(doc)
    t = token(out)
    assert (t["name"], t["use_certificate"], t["disable_header"], t["auth_header_name"]) == (
        "", True, False, "")
    assert out["use_standard_auth"] is False


def test_M11_oas_name_beats_extension_and_query_from_extension():
    out, entries = extract(oas({"k": {"type": "apiKey", "in": "header", "name": "X-Key"}},
                               {"k": {"enabled": True,
                                      "header": {"enabled": False, "name": "X-Other"},
                                      "query": {"enabled": True, "name": "q"}}}))
    t = token(out)
    assert (t["name"], t["auth_header_name"], t["disable_header"], t["use_param"],
            t["param_name"]) == ("k", "X-Key", False, True, "q")
    assert any(e.kind == "warning" and e.pointer ==
               "/x-tyk-api-gateway/server/authentication/securitySchemes/k/header"
               for e in entries)


def test_M12_import_shaped_cookie_disables_header():
    out, _ = extract(oas({"k": {"type": "apiKey", "in": "cookie", "name": "sess"}},
                         {"k": {"enabled": True}}))
    t = token(out)
    assert (t["disable_header"], t["use_cookie"], t["cookie_name"], t["auth_header_name"]) == (
        True, True, "sess", "")


def test_M13_X2_no_root_security_extracts_no_token():
    doc = oas({"k": {"type": "apiKey", "in": "cookie", "name": "sess"}}, {"k": {"enabled": True}})
    doc["security"] = []
    out, _ = extract(doc)
    assert out["auth_configs"] == {}
    assert out["use_standard_auth"] is False and out["use_keyless"] is False
    assert "security_requirement_scopes" not in out


def test_M14_legacy_only_first_requirement_extracted():
    doc = oas({"k": HEADER, "jwtAuth": {"type": "http", "scheme": "bearer",
                                        "bearerFormat": "JWT"}},
              {"k": {"enabled": True}, "jwtAuth": {"enabled": True}},
              security=[{"k": []}, {"jwtAuth": []}])
    out, entries = extract(doc)
    assert token(out)["name"] == "k" and out["use_standard_auth"] is True
    assert out["security_requirements"] == [["k"], ["jwtAuth"]]
    assert any(e.kind == "warning" and "jwt" in e.message for e in entries)


def test_M15_compliant_two_apikey_alternatives_merge():
    doc = oas({"a": {"type": "apiKey", "in": "header", "name": "X-A"},
               "b": {"type": "apiKey", "in": "query", "name": "key"}},
              {"a": {"enabled": True}, "b": {"enabled": True}},
              security=[{"a": []}, {"b": []}],
              authentication={"securityProcessingMode": "compliant"})
    out, _ = extract(doc)
    t = token(out)
    assert (t["name"], t["auth_header_name"], t["disable_header"], t["use_param"],
            t["param_name"]) == ("b", "X-A", True, True, "key")
    assert out["security_requirements"] == [["a"], ["b"]]


def test_M16_X4_two_apikey_in_one_requirement_takes_enabled_one_with_deviation():
    doc = oas({"custom": {"type": "apiKey", "in": "query", "name": "x-query"},
               "custom2": {"type": "apiKey", "in": "header", "name": "x-header"}},
              {"custom": {"enabled": True}},
              security=[{"custom": [], "custom2": []}])
    out, entries = extract(doc)
    t = token(out)
    assert (t["name"], t["use_param"], t["param_name"], t["disable_header"]) == (
        "custom", True, "x-query", True)
    assert out["security_requirements"] == [["custom", "custom2"]]
    dev = [e for e in entries if e.kind == "deviation"]
    assert [e.pointer for e in dev] == ["/security/0"]
    assert "Go map order" in dev[0].message


def test_X4_none_enabled_takes_first_in_document_order():
    doc = oas({"b": {"type": "apiKey", "in": "header", "name": "X-B"},
               "a": {"type": "apiKey", "in": "header", "name": "X-A"}},
              {"a": {"enabled": False}, "b": {"enabled": False}},
              security=[{"b": [], "a": []}])
    out, _ = extract(doc)
    assert token(out)["name"] == "b" and out["use_standard_auth"] is False


def test_X5_signature_copied():
    out, _ = extract(oas(ext_schemes={"authToken": {"enabled": True, "signatureValidation": {
        "enabled": True, "algorithm": "MasheryMD5", "header": "X-Sig",
        "query": {"enabled": True, "name": "sig"}, "secret": "s", "allowedClockSkew": 5,
        "errorCode": 403, "errorMessage": "no"}}}))
    t = token(out)
    assert t["validate_signature"] is True
    assert t["signature"] == {"algorithm": "MasheryMD5", "header": "X-Sig", "use_param": True,
                              "param_name": "sig", "secret": "s", "allowed_clock_skew": 5,
                              "error_code": 403, "error_message": "no"}


def test_X3_legacy_needs_enabled_authentication_or_schemes():
    doc = oas(ext_schemes={})
    doc["x-tyk-api-gateway"]["server"]["authentication"]["enabled"] = False
    out, _ = extract(doc)
    assert out["auth_configs"] == {} and out["use_keyless"] is True


def test_X9_identity_and_client_certificates():
    out, _ = extract(oas(clientCertificates={"enabled": True, "allowlist": ["org1ab"]}))
    assert (out["api_id"], out["name"], out["org_id"], out["active"]) == ("api1", "Pets",
                                                                          "org1", True)
    assert out["proxy"] == {"listen_path": "/svc/", "target_url": "http://upstream.test",
                            "strip_listen_path": False}
    assert (out["use_mutual_tls_auth"], out["client_certificates"]) == (True, ["org1ab"])


def test_X9_absent_client_certificates_is_null():
    out, _ = extract(oas())
    assert (out["use_mutual_tls_auth"], out["client_certificates"]) == (False, None)


def test_compliant_vendor_requirements_listed():
    doc = oas(security=[{"authToken": []}],
              authentication={"securityProcessingMode": "compliant", "security": [["hmac"]]})
    out, entries = extract(doc)
    assert out["security_requirements"] == [["authToken"], ["hmac"]]
    assert any(e.pointer == "/x-tyk-api-gateway/server/authentication/securityProcessingMode"
               and e.kind == "dropped" for e in entries)


@pytest.mark.parametrize("path,value,pointer", [
    (("x-tyk-api-gateway", "server", "authentication", "securitySchemes", "authToken",
      "enabled"), "yes", "/x-tyk-api-gateway/server/authentication/securitySchemes/authToken/enabled"),
    (("components", "securitySchemes", "authToken", "name"), 5,
     "/components/securitySchemes/authToken/name"),
    (("x-tyk-api-gateway", "server", "authentication", "customKeyLifetime"),
     {"enabled": True, "value": "soon"},
     "/x-tyk-api-gateway/server/authentication/customKeyLifetime/value"),
    (("security",), {"authToken": []}, "/security"),
])
def test_wrong_types_are_input_errors_at_the_field(path, value, pointer):
    doc = oas()
    cur = doc
    for key in path[:-1]:
        cur = cur[key]
    cur[path[-1]] = value
    with pytest.raises(InputError) as exc:
        to_classic(doc_from(doc))
    assert exc.value.pointer == pointer
    assert exc.value.line is not None and exc.value.column is not None
