"""Bad input never crashes: every kind in ``tests/bad_inputs/`` is exit 2 with a located message.

Each case names a committed file, the commands that read that kind of input, and the exact
message (or its stable prefix) including ``file:line:col``.  Inputs that are awkward to commit
(an unreadable directory, a file over the size limit) are generated in the test.  Every run is
in-process through click's CliRunner, and no output may hold a traceback or an
``internal error`` line.  Issue 5, "Bad input".
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from oascompile.cli import cli

HERE = Path(__file__).resolve().parent
BAD = HERE / "bad_inputs"
FIXTURES = HERE.parent / "fixtures"
DEFINITION = FIXTURES / "eval-header-token.json"
GOOD_REQUEST = "GET /petstore/pets HTTP/1.1\nHost: example.test\nX-API-Key: KEY123\n\n"


def run(args: list[str], cwd: Path, stdin: str | bytes | None = None):
    """Run the CLI in-process from ``cwd``; return the click Result (stderr kept apart)."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, args, input=stdin,
                                                  catch_exceptions=True)
    finally:
        os.chdir(old)


def assert_refused(result, message: str) -> None:
    """Exit 2, stderr starting with ``message``, no traceback and no internal error."""
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    err = result.stderr
    assert "Traceback" not in err + result.stdout
    assert "internal error" not in err
    assert err.startswith(message), err


# --------------------------------------------------------------------------- definitions
# (file, expected stderr prefix); both compile directions and lint read definitions.
DEFINITIONS = [
    ("invalid-utf8.json", "invalid-utf8.json:3:14: invalid UTF-8 (byte 0xff)"),
    ("utf16-bom.json", "utf16-bom.json:1:1: UTF-16 input is not supported; save the file as UTF-8"),
    ("tabs.yaml", "tabs.yaml:3:1: invalid YAML: found character '\\t' that cannot start any "
                  "token (tabs are not allowed for indentation in YAML)"),
    ("duplicate-key.json", "duplicate-key.json:4:3: duplicate key 'api_id' (a mapping key may "
                           "appear only once)"),
    ("duplicate-key.yaml", "duplicate-key.yaml:3:1: duplicate key: found duplicate key "
                           "\"api_id\""),
    ("empty.json", "empty.json:1:1: the file is empty"),
    ("whitespace-only.yaml", "whitespace-only.yaml:1:1: the file is empty"),
    ("truncated.json", "truncated.json:4:1: invalid JSON: Expecting ',' delimiter"),
    ("broken-flow.yaml", "broken-flow.yaml:3:1: invalid YAML: expected ',' or '}', but got "
                         "'<stream end>'"),
    ("two-documents.yaml", "two-documents.yaml:1:1: the file holds 2 YAML documents; "
                           "expected one"),
    ("top-level-list.json", "top-level-list.json:1:1: the top level is "),
    ("top-level-string.yaml", "top-level-string.yaml:1:1: the top level is "),
    ("not-a-definition.json", "not-a-definition.json:1:1: not an API definition: expected a "
                              "Tyk OAS API definition (top-level `openapi`) or a Tyk Classic "
                              "API definition"),
    ("oas-version-number.yaml", "oas-version-number.yaml:1:1: unsupported openapi version 3.0: "
                                "expected 3.0.x or 3.1.x"),
]

# Wrong types in the auth fields: (file, target format that reads them, message prefix).
WRONG_TYPES = [
    ("classic-string-for-bool.json", "oas", "classic-string-for-bool.json:27:7: `use_param` "
     "must be a boolean, not string ('yes') (at /auth_configs/authToken/use_param)"),
    ("classic-number-as-name.json", "oas", "classic-number-as-name.json:26:7: "
     "`auth_header_name` must be a string, not integer (42) "
     "(at /auth_configs/authToken/auth_header_name)"),
    ("classic-auth-configs-list.json", "oas", "classic-auth-configs-list.json:22:3: "
     "`auth_configs` must be an object, not array (at /auth_configs)"),
    ("classic-signature-string.json", "oas", "classic-signature-string.json:33:7: `signature` "
     "must be an object, not string (at /auth_configs/authToken/signature)"),
    ("classic-skew-string.json", "oas", "classic-skew-string.json:39:9: `allowed_clock_skew` "
     "must be an integer, not string ('ten') "
     "(at /auth_configs/authToken/signature/allowed_clock_skew)"),
    ("classic-list-of-numbers.json", "oas", "classic-list-of-numbers.json:48:5: "
     "`client_certificates` items must be strings, not integer (at /client_certificates/0)"),
    ("oas-string-for-bool.yaml", "classic", "oas-string-for-bool.yaml:38:11: `enabled` must be "
     "a boolean, not string ('true') "
     "(at /x-tyk-api-gateway/server/authentication/securitySchemes/authToken/enabled)"),
    ("oas-number-as-name.yaml", "classic", "oas-number-as-name.yaml:41:13: `name` must be a "
     "string, not integer (12345) "
     "(at /x-tyk-api-gateway/server/authentication/securitySchemes/authToken/cookie/name)"),
    ("oas-scheme-type-number.yaml", "classic", "oas-scheme-type-number.yaml:15:7: `type` must "
     "be a string, not "),
    ("oas-security-schemes-list.yaml", "classic", "oas-security-schemes-list.yaml:36:7: "
     "`securitySchemes` must be an object, not array "
     "(at /x-tyk-api-gateway/server/authentication/securitySchemes)"),
]

# $refs in the security schemes the compiler and the engine read (never fetched).
REFS = [
    ("oas-ref-cycle.yaml", "oas-ref-cycle.yaml:17:7: $ref cycle: "
     "/components/securitySchemes/authToken → /components/securitySchemes/other → "
     "/components/securitySchemes/authToken (at /components/securitySchemes/other/$ref)"),
    ("oas-ref-unresolvable.yaml", "oas-ref-unresolvable.yaml:15:7: unresolvable $ref "
     "'#/components/securitySchemes/missing': nothing at /components/securitySchemes/missing "
     "in this document (at /components/securitySchemes/authToken/$ref)"),
    ("oas-ref-remote.yaml", "oas-ref-remote.yaml:15:7: $ref "
     "'https://schemas.example.test/security.yaml#/authToken' points outside this document; "
     "oascompile does not fetch or read it (no network)"),
]


@pytest.mark.parametrize("to", ["oas", "classic"])
@pytest.mark.parametrize("name,message", DEFINITIONS, ids=[d[0] for d in DEFINITIONS])
def test_compile_refuses_unusable_definition(name: str, message: str, to: str) -> None:
    assert_refused(run(["compile", name, "--to", to], BAD), message)


@pytest.mark.parametrize("name,to,message", WRONG_TYPES, ids=[w[0] for w in WRONG_TYPES])
def test_compile_refuses_wrong_type_in_auth_field(name: str, to: str, message: str) -> None:
    assert_refused(run(["compile", name, "--to", to], BAD), message)


@pytest.mark.parametrize("name,message", REFS, ids=[r[0] for r in REFS])
def test_compile_refuses_bad_security_scheme_ref(name: str, message: str) -> None:
    assert_refused(run(["compile", name, "--to", "classic"], BAD), message)


@pytest.mark.parametrize("name,message", REFS, ids=[r[0] for r in REFS])
def test_eval_refuses_bad_security_scheme_ref(name: str, message: str) -> None:
    result = run(["eval", name, "--request", "-"], BAD, stdin=GOOD_REQUEST)
    assert_refused(result, message)


def test_local_security_scheme_ref_is_followed() -> None:
    """Regression: a `$ref`'d apiKey scheme used to be read as "not apiKey", silently dropping
    the whole Auth Token configuration (auth_configs: {})."""
    result = run(["compile", "oas-ref-local-ok.yaml", "--to", "classic"], BAD)
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    token = out["auth_configs"]["authToken"]
    assert (token["name"], token["auth_header_name"], token["disable_header"]) == \
        ("authToken", "X-API-Key", False)
    assert (token["use_cookie"], token["cookie_name"]) == (True, "session")
    assert out["use_standard_auth"] is True
