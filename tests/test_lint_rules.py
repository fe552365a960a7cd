"""Every lint rule: its documented failing examples fire at the documented line and column,
its passing examples do not fire; plus explicit positions in both formats and JSON."""

from __future__ import annotations

import pytest

from oascompile.lint.config import LintConfig, RuleSetting
from oascompile.lint.registry import SEVERITIES, all_rules
from oascompile.lint.runner import lint_document
from oascompile.load import parse_document

FIXED_IDS = (
    "token-in-query location-name-collision no-enabled-location apikey-name-missing "
    "security-scheme-undefined tyk-scheme-missing token-scheme-disabled multiple-apikey-schemes "
    "legacy-mode-alternatives-ignored strip-name-mismatch strip-on-keyless "
    "enable-client-certificate-deprecated certificate-contract-conflict "
    "client-certificates-allowlist-empty signature-algorithm-invalid signature-secret-missing "
    "signature-clock-skew-negative header-name-invalid cookie-name-invalid "
    "http-bearer-not-auth-token classic-auth-deprecated classic-auth-name-empty").split()

RULES = all_rules()
FAILING = [pytest.param(r.id, i, id=f"{r.id}-fail{i}") for r in RULES.values()
           for i in range(len(r.failing))]
PASSING = [pytest.param(r.id, i, id=f"{r.id}-pass{i}") for r in RULES.values()
           for i in range(len(r.passing))]


def run(rule_id: str, text: str, name: str = "example.yaml", options=None):
    """Findings of one rule on one document."""
    doc = parse_document(name, text)
    config = LintConfig(rules={rule_id: RuleSetting(options=options or {})})
    findings, _ = lint_document(doc, config, {}, [RULES[rule_id]])
    return [f for f in findings if f.rule == rule_id]


def test_fixed_rule_ids_exist():
    assert set(FIXED_IDS) <= set(RULES)
    assert {"oas-schema", "tyk-extension-schema", "classic-schema"} <= set(RULES)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_is_documented(rule_id):
    rule = RULES[rule_id]
    assert rule.severity in SEVERITIES
    assert rule.failing and rule.passing, "each rule needs a failing and a passing example"
    assert rule.what and rule.why and rule.fix and rule.summary
    assert all(ex.line and ex.column for ex in rule.failing)
    assert set(rule.formats) <= {"oas", "classic"}


@pytest.mark.parametrize("rule_id,index", FAILING)
def test_failing_example_fires_at_documented_position(rule_id, index):
    example = RULES[rule_id].failing[index]
    findings = run(rule_id, example.text, example.name, options=example.options)
    assert findings, f"{rule_id} did not fire on its failing example"
    first = findings[0]
    assert (first.rule, first.line, first.column) == (rule_id, example.line, example.column)
    assert first.severity == RULES[rule_id].severity
    assert first.message and (first.pointer.startswith("/") or first.pointer == "")


@pytest.mark.parametrize("rule_id,index", PASSING)
def test_passing_example_is_clean(rule_id, index):
    example = RULES[rule_id].passing[index]
    assert run(rule_id, example.text, example.name, options=example.options) == []


# ---------------------------------------------------------------- explicit positions
CLASSIC_JSON = """{
  "use_keyless": false,
  "use_standard_auth": true,
  "auth_configs": {
    "authToken": {
      "name": "authToken",
      "disable_header": true,
      "auth_header_name": "X-Key",
      "use_param": true,
      "param_name": "",
      "validate_signature": true,
      "signature": {"algorithm": "MasheryMD5", "header": "X-Sig", "secret": "",
                    "allowed_clock_skew": -1}
    }
  }
}
"""


def test_token_in_query_classic_json_position():
    (f,) = run("token-in-query", CLASSIC_JSON, "api.json")
    assert (f.line, f.column, f.pointer) == (9, 7, "/auth_configs/authToken/use_param")
    assert "`Authorization`" in f.message  # header disabled => fallback is Authorization (E11)


def test_strip_name_mismatch_needs_strip_on():
    assert run("strip-name-mismatch", CLASSIC_JSON, "api.json") == []
    text = CLASSIC_JSON.replace('"use_keyless": false,', '"use_keyless": false, "strip_auth_data": true,')
    (f,) = run("strip-name-mismatch", text, "api.json")
    assert (f.line, f.column) == (9, 7)
    assert "read from `Authorization`" in f.message and "removes `X-Key`" in f.message


def test_signature_rules_classic_json_positions():
    (secret,) = run("signature-secret-missing", CLASSIC_JSON, "api.json")
    assert (secret.line, secret.column, secret.pointer) == (
        12, 67, "/auth_configs/authToken/signature/secret")
    (skew,) = run("signature-clock-skew-negative", CLASSIC_JSON, "api.json")
    assert (skew.line, skew.column) == (13, 21)
    assert run("signature-algorithm-invalid", CLASSIC_JSON, "api.json") == []


def test_signature_algorithm_hint_names_the_right_spelling():
    text = CLASSIC_JSON.replace("MasheryMD5", "masherymd5")
    (f,) = run("signature-algorithm-invalid", text, "api.json")
    assert f.hint == "did you mean `MasheryMD5`?"
    assert (f.line, f.column) == (12, 21)


def test_no_enabled_location_ignores_keyless_api():
    text = CLASSIC_JSON.replace('"use_param": true', '"use_param": false')
    (f,) = run("no-enabled-location", text, "api.json")
    assert (f.line, f.column, f.pointer) == (5, 5, "/auth_configs/authToken")
    keyless = text.replace('"use_keyless": false', '"use_keyless": true')
    assert run("no-enabled-location", keyless, "api.json") == []


def test_deprecated_auth_ignored_when_authtoken_present():
    text = ("use_keyless: false\nuse_standard_auth: true\nauth_configs:\n"
            "  authToken: {name: authToken, auth_header_name: X-A}\nauth: {auth_header_name: X-B}\n")
    (f,) = run("classic-auth-deprecated", text)
    assert (f.line, f.column) == (5, 1)
    assert "ignored" in f.message


def test_security_scheme_undefined_in_operation_with_suggestion():
    text = ("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
            "      security:\n        - authTokn: []\n      responses: {'200': {description: ok}}\n"
            "components:\n  securitySchemes:\n    authToken: {type: apiKey, in: header, name: X}\n")
    (f,) = run("security-scheme-undefined", text)
    assert (f.line, f.column, f.pointer) == (7, 11, "/paths/~1a/get/security/0/authTokn")
    assert f.hint == "did you mean `authToken`?"


def test_token_scheme_disabled_with_other_method_message():
    text = ("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n"
            "  securitySchemes:\n    key: {type: apiKey, in: header, name: X}\n"
            "    jwt: {type: http, scheme: bearer, bearerFormat: JWT}\n"
            "security:\n  - key: []\n    jwt: []\n"
            "x-tyk-api-gateway:\n  server:\n    authentication:\n      enabled: true\n"
            "      securitySchemes:\n        key: {enabled: false}\n"
            "        jwt: {enabled: true, signingMethod: rsa, source: abc}\n")
    (f,) = run("token-scheme-disabled", text)
    assert (f.line, f.column) == (16, 15)
    assert "other auth methods" in f.message
    assert run("http-bearer-not-auth-token", text) == []  # JWT is configured


def test_rule_checks_survive_wrong_types():
    """Odd input never crashes a rule (the schema rules report the types)."""
    texts = [
        "use_keyless: false\nauth_configs: [1, 2]\nauth: 3\nsignature: x\n",
        "use_keyless: false\nuse_standard_auth: true\nauth_configs: {authToken: {signature: 5, "
        "use_param: 'yes', param_name: 7}}\nclient_certificates: 4\nuse_mutual_tls_auth: true\n",
        "openapi: 3.0.3\ninfo: 1\npaths: []\ncomponents: {securitySchemes: [1]}\nsecurity: {a: 1}\n"
        "x-tyk-api-gateway: {server: {authentication: {enabled: true, securitySchemes: [x]}}}\n",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  securitySchemes:\n"
        "    k: {type: apiKey, in: 7, name: [x]}\nsecurity: [{k: []}, 5, {k: x}]\n"
        "x-tyk-api-gateway: {server: {authentication: {enabled: true, securitySchemes: "
        "{k: {enabled: true, query: 5, signatureValidation: {enabled: true, allowedClockSkew: x}}}}}}\n",
    ]
    for text in texts:
        doc = parse_document("odd.yaml", text)
        findings, _ = lint_document(doc, LintConfig(), {})
        assert all(f.file == "odd.yaml" and f.line >= 1 for f in findings)


# ---------------------------------------------------------------- suppressions, JSON syntax
def test_unknown_ids_in_every_suppression_form_are_reported():
    text = ("api_id: x  # oascompile: disable=token-in-qery, classic-schema ,bogus\n"
            "# oascompile: disable-file=nope\n"
            "x-oascompile-ignore: 5\n"
            "proxy:\n"
            "  x-oascompile-ignore: token-in-qury\n"
            "auth_configs:\n"
            "  x-oascompile-ignore: [token-in-query, 7]\n")
    got = [(f.line, f.column, f.pointer, f.message, f.hint)
           for f in run("suppression-unknown-rule", text)]
    unknown = "suppression names unknown rule `{}`, so it suppresses nothing"
    assert got == [
        (1, 34, "", unknown.format("token-in-qery"), "did you mean `token-in-query`?"),
        (1, 65, "", unknown.format("bogus"), "see `oascompile rules` for the rule ids"),
        (2, 28, "", unknown.format("nope"), "see `oascompile rules` for the rule ids"),
        (3, 1, "/x-oascompile-ignore", "`x-oascompile-ignore` must be a rule id or a list of "
         "rule ids", "write e.g. [token-in-query]"),
        (5, 24, "/proxy/x-oascompile-ignore", unknown.format("token-in-qury"),
         "did you mean `token-in-query`?"),
        (7, 41, "/auth_configs/x-oascompile-ignore/1", "`x-oascompile-ignore` items must be "
         "rule ids (strings)", "write e.g. [token-in-query]")]


def test_known_ids_and_wildcards_are_not_reported():
    text = ("api_id: x  # oascompile: disable=token-in-query,all\n"
            "# oascompile: disable-file=*\n# oascompile: disable\n"
            "proxy: {x-oascompile-ignore: [classic-schema, '*']}\n")
    assert run("suppression-unknown-rule", text) == []


def test_suppression_comments_in_json_are_not_read():
    assert run("suppression-unknown-rule", '{"api_id": "# oascompile: disable=nope"}',
               "api.json") == []


def test_json_syntax_only_for_json_files():
    text = "{\n  'api_id': 'x',\n  'proxy': {}\n}\n"
    (f,) = run("json-syntax", text, "api.JSON")
    assert (f.line, f.column, f.severity, f.message) == (
        2, 3, "error", "invalid JSON: Expecting property name enclosed in double quotes; Tyk "
                       "refuses this file (oascompile read it as YAML)")
    assert run("json-syntax", text, "api.yaml") == []  # a YAML flow mapping is fine YAML
    assert run("json-syntax", '{"api_id": "x"}', "api.json") == []


def test_disable_file_applies_to_the_whole_file_only_for_its_rules():
    """``disable-file=ID`` is not read as a bare ``disable`` (every rule on the next line)."""
    from oascompile.lint.suppress import Suppressions

    sup = Suppressions("# oascompile: disable-file=token-in-query\napi_id: x\n", {}, "yaml")
    assert (sup.file_wide, sup.by_line) == ({"token-in-query"}, {})
    assert sup.directives == [(1, 28, "token-in-query")]
    bare = Suppressions("# oascompile: disable\napi_id: x\n", {}, "yaml")
    assert (bare.file_wide, bare.by_line, bare.directives) == (set(), {1: {"all"}, 2: {"all"}}, [])


# ---------------------------------------------------------------- schema routing
BASE_OAS = ("openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths: {}\ncomponents:\n"
            "  securitySchemes:\n    key: {type: apiKey, in: header, name: X-API-Key}\n"
            "security:\n  - key: []\nx-tyk-api-gateway:\n  info: {name: Pets, state: {active: true}}\n"
            "  upstream: {url: 'http://upstream.test'}\n  server:\n    listenPath: {value: /pets/}\n"
            "    authentication:\n      enabled: true\n      securitySchemes:\n"
            "        key: {enabled: true}\n")
SCHEME = "    key: {type: apiKey, in: header, name: X-API-Key}\n"
STRUCTURAL = ("oas-schema", "tyk-extension-schema", "remote-ref-not-fetched", "apikey-name-missing",
              "signature-algorithm-invalid")


def lint_all(text: str, name: str = "example.yaml"):
    doc = parse_document(name, text)
    findings, _ = lint_document(doc, LintConfig(), {}, [RULES[r] for r in STRUCTURAL])
    return [(f.rule, f.severity, f.line, f.column, f.message) for f in findings]


def test_null_extension_is_not_an_object():
    text = "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths: {}\nx-tyk-api-gateway: null\n"
    assert lint_all(text) == [("tyk-extension-schema", "error", 4, 1,
                               "x-tyk-api-gateway: document must be object, got null")]


def test_ref_cycle_in_components_is_oas_schema():
    text = BASE_OAS.replace(SCHEME, "    key: {$ref: '#/components/securitySchemes/k2'}\n"
                                    "    k2: {$ref: '#/components/securitySchemes/key'}\n")
    assert lint_all(text) == [("oas-schema", "error", 7, 10, "$ref cycle: /components/"
                               "securitySchemes/key → /components/securitySchemes/k2 → "
                               "/components/securitySchemes/key")]


def test_unresolvable_ref_in_components_is_oas_schema():
    text = BASE_OAS.replace(SCHEME, "    key: {$ref: '#/components/securitySchemes/nope'}\n")
    assert lint_all(text) == [("oas-schema", "error", 6, 11, "unresolvable $ref '#/components/"
                               "securitySchemes/nope': nothing at /components/securitySchemes/"
                               "nope in this document")]


@pytest.mark.parametrize("ref", ["https://schemas.example/s.yaml#/key", "other.yaml#/key"])
def test_external_ref_of_a_security_scheme_is_a_warning(ref):
    text = BASE_OAS.replace(SCHEME, f"    key: {{$ref: '{ref}'}}\n")
    assert lint_all(text) == [("remote-ref-not-fetched", "warning", 6, 11,
                               f"$ref {ref!r} points outside this document; oascompile does not "
                               "fetch or read it (no network): copy the security scheme into "
                               "components/securitySchemes")]


def test_remote_schema_ref_is_a_warning_not_an_oas_schema_error():
    text = ("openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths:\n  /pets:\n    get:\n"
            "      responses:\n        '200':\n          description: ok\n          content:\n"
            "            application/json:\n              schema: {$ref: 'https://schemas.example"
            "/pet.yaml#/Pet'}\n")
    assert lint_all(text) == [("remote-ref-not-fetched", "warning", 11, 24,
                               "remote $ref https://schemas.example/pet.yaml was not fetched (1 "
                               "reference(s)); the parts it defines were not validated")]


def test_wrong_type_algorithm_is_left_to_the_schema_rule():
    text = BASE_OAS.replace("        key: {enabled: true}\n",
                            "        key: {enabled: true, signatureValidation: {enabled: true, "
                            "algorithm: 5, header: X-Sig, secret: $tyk_meta.s}}\n")
    assert lint_all(text) == [("tyk-extension-schema", "error", 17, 67,
                               "x-tyk-api-gateway: 'algorithm' must be string, got integer 5")]


def test_wrong_type_apikey_name_is_left_to_oas_schema():
    text = BASE_OAS.replace("name: X-API-Key", "name: 5")
    assert lint_all(text) == [("oas-schema", "error", 6, 37, "OpenAPI: 5 is not of type 'string'")]
