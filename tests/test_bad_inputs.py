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
    ("duplicate-key.yaml", "duplicate-key.yaml:3:1: duplicate key 'api_id' (a mapping key may "
                           "appear only once)\n"),
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
    ("mapping-key.yaml", "mapping-key.yaml:2:3: a mapping or sequence is used as a mapping "
                         "key; keys must be strings"),
    # regression (found by atheris, fuzz/fuzz_cli.py): an internal TypeError in ruamel.yaml
    ("mapping-key-nested.yaml", "mapping-key-nested.yaml:1:1: invalid YAML: a mapping or "
                                "sequence is used as a mapping key; keys must be strings"),
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
     "be a string, not integer (at /components/securitySchemes/authToken/type)"),
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


# --------------------------------------------------------------------------- lint
@pytest.mark.parametrize("name,message", DEFINITIONS, ids=[d[0] for d in DEFINITIONS])
def test_lint_refuses_unusable_definition(name: str, message: str) -> None:
    """lint reports the file it could not read and exits 2 (after linting the others)."""
    result = run(["lint", name], BAD)
    assert_refused(result, message)
    assert result.stderr.rstrip().endswith("1 file(s) could not be linted")


@pytest.mark.parametrize("name,to,message", WRONG_TYPES, ids=[w[0] for w in WRONG_TYPES])
def test_lint_reports_wrong_type_as_error_finding(name: str, to: str, message: str) -> None:
    """For lint a wrongly typed auth field is an error finding (exit 1) at the same place the
    compiler refuses it: the linter's job is to report it, not to stop."""
    where = message.split(": ", 1)[0]
    result = run(["lint", name, "--format", "json"], BAD)
    assert result.exit_code == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    located = {f"{f['file']}:{f['line']}:{f['column']}" for f in findings
               if f["severity"] == "error" and f["rule"].endswith("schema")}
    assert where in located, (where, located)


@pytest.mark.parametrize("name,message", REFS, ids=[r[0] for r in REFS])
def test_lint_reports_bad_security_scheme_ref(name: str, message: str) -> None:
    where, text = message.split(": ", 1)
    result = run(["lint", name, "--format", "json", "--fail-on", "warning"], BAD)
    assert result.exit_code == 1, result.stderr
    found = [f for f in json.loads(result.stdout)["findings"]
             if f"{f['file']}:{f['line']}:{f['column']}" == where]
    assert len(found) == 1 and found[0]["message"].startswith(text.split(" (at /")[0])
    # a reference to another file or host is valid OpenAPI that oascompile does not read (a
    # warning); a cycle or a dangling local reference is invalid OpenAPI
    expected = ("remote-ref-not-fetched", "warning") if "remote" in name else ("oas-schema", "error")
    assert (found[0]["rule"], found[0]["severity"]) == expected


# --------------------------------------------------------------------------- eval inputs
REQUESTS = [
    ("request-empty.http", "request-empty.http:1:1: empty HTTP request: expected a request "
                           "line like 'GET /path HTTP/1.1'"),
    ("request-no-version.http", "request-no-version.http:1:1: malformed request line "
                                "'GET /petstore/pets': expected 'METHOD TARGET HTTP/1.1'"),
    ("request-header-no-colon.http", "request-header-no-colon.http:3:1: malformed header line "
                                     "'X-API-Key KEY123': missing ':'"),
    ("request-bad-header-name.http", "request-bad-header-name.http:3:1: invalid header name "
                                     "'Bad Name'"),
    ("request-folded.http", "request-folded.http:4:1: obsolete header line folding is not "
                            "supported"),
    ("request-binary-method.http", "request-binary-method.http:1:1: invalid request method "),
    # UTF-16 used to read as "invalid request method '\\udcff\\udcfeG\\x00E\\x00T\\x00'"
    ("request-utf16-bom.http", "request-utf16-bom.http:1:1: the request starts with a UTF-16 "
                               "byte-order mark: UTF-16 is not supported; save the request as "
                               "UTF-8/ASCII\n"),
    ("request-utf16le-no-bom.http", "request-utf16le-no-bom.http:1:2: NUL byte in the request "
                                    "line or headers (UTF-16 is not supported; save the request "
                                    "as UTF-8/ASCII)\n"),
    # HTTP/9.9 used to be accepted while HTTP/2 was refused
    ("request-http-9.9.http", "request-http-9.9.http:1:20: unsupported HTTP version 'HTTP/9.9': "
                              "expected HTTP/1.1 or HTTP/1.0 (Go's server answers 505 HTTP "
                              "Version Not Supported)\n"),
    ("request-http-2.http", "request-http-2.http:1:20: invalid HTTP version 'HTTP/2': expected "
                            "HTTP/1.1 or HTTP/1.0 (Go's server answers 400 Bad Request: "
                            "malformed HTTP version)\n"),
    ("request-leading-blank-lines.http", "request-leading-blank-lines.http:5:1: invalid header "
                                         "name 'Bad Name'\n"),
]
CERTS = [
    ("cert-no-block.pem", "cert-no-block.pem:1:1: no PEM 'BEGIN CERTIFICATE' block found"),
    ("cert-truncated.pem", "cert-truncated.pem:1:1: malformed PEM certificate: 'BEGIN "
                           "CERTIFICATE' without a matching 'END CERTIFICATE' line"),
    ("cert-malformed.pem", "cert-malformed.pem:1:1: malformed PEM certificate: Unable to load "
                           "PEM file. InvalidData(Invalid symbol 33, offset 13.)"),
    ("cert-bad-der.pem", "cert-bad-der.pem:1:1: malformed PEM certificate: error parsing asn1 "
                         "value"),
]
SESSIONS = [
    ("sessions-list.yaml", "sessions-list.yaml:1:1: a sessions file must be a mapping of key "
                           "id to Tyk session object"),
    ("sessions-not-object.yaml", "sessions-not-object.yaml:1:9: session 'KEY123': a session "
                                 "must be an object, not string (at /KEY123)"),
    ("sessions-wrong-type.yaml", "sessions-wrong-type.yaml:3:3: session 'KEY123': `expires` "
                                 "must be an integer (Unix seconds), not string "
                                 "(at /KEY123/expires)\n"),
    ("sessions-duplicate.yaml", "sessions-duplicate.yaml:4:1: duplicate key"),
    # numbers Go cannot decode into the session (1e400 used to be an internal OverflowError)
    ("sessions-expires-inf.json", "sessions-expires-inf.json:1:31: session 'KEY123': `expires` "
                                  "is infinity: NaN, infinities and numbers beyond a 64-bit "
                                  "float (such as 1e400) cannot be stored in a Tyk session "
                                  "(at /KEY123/expires)\n"),
    ("sessions-nan.yaml", "sessions-nan.yaml:4:5: session 'KEY123': `ratio` is NaN: NaN, "
                          "infinities and numbers beyond a 64-bit float (such as 1e400) cannot "
                          "be stored in a Tyk session (at /KEY123/meta_data/ratio)\n"),
    ("sessions-expires-int64.yaml", "sessions-expires-int64.yaml:3:3: session 'KEY123': "
                                    "`expires` is out of range: Tyk stores it as a 64-bit "
                                    "integer (-9223372036854775808 to 9223372036854775807) "
                                    "(at /KEY123/expires)\n"),
    ("sessions-expires-fraction.yaml", "sessions-expires-fraction.yaml:2:3: session 'KEY123': "
                                       "`expires` must be a whole number of seconds, not 1.5 "
                                       "(at /KEY123/expires)\n"),
    ("sessions-binding-number.yaml", "sessions-binding-number.yaml:2:47: session 'KEY123': "
                                     "`mtls_static_certificate_bindings` items must be strings, "
                                     "not integer (at /KEY123/mtls_static_certificate_bindings/1)\n"),
    ("sessions-broken.json", "sessions-broken.json:2:1: invalid JSON: Expecting ',' delimiter"),
    ("empty.json", "empty.json:1:1: the file is empty"),
    ("invalid-utf8.json", "invalid-utf8.json:3:14: invalid UTF-8 (byte 0xff)"),
]


@pytest.mark.parametrize("name,message", REQUESTS, ids=[r[0] for r in REQUESTS])
def test_eval_refuses_malformed_request(name: str, message: str) -> None:
    assert_refused(run(["eval", str(DEFINITION), "--request", name], BAD), message)


@pytest.mark.parametrize("name,message", REQUESTS, ids=[r[0] for r in REQUESTS])
def test_eval_refuses_malformed_request_on_stdin(name: str, message: str) -> None:
    raw = (BAD / name).read_bytes()
    result = run(["eval", str(DEFINITION), "--request", "-"], BAD, stdin=raw)
    assert_refused(result, "<stdin>" + message[len(name):])


@pytest.mark.parametrize("name,message", CERTS, ids=[c[0] for c in CERTS])
def test_eval_refuses_malformed_pem(name: str, message: str) -> None:
    result = run(["eval", str(DEFINITION), "--request", "-", "--client-cert", name], BAD,
                 stdin=GOOD_REQUEST)
    assert_refused(result, message)


@pytest.mark.parametrize("name,message", SESSIONS, ids=[s[0] for s in SESSIONS])
def test_eval_refuses_bad_sessions_file(name: str, message: str) -> None:
    result = run(["eval", str(DEFINITION), "--request", "-", "--sessions", name], BAD,
                 stdin=GOOD_REQUEST)
    assert_refused(result, message)


@pytest.mark.parametrize("name,message", DEFINITIONS[:8], ids=[d[0] for d in DEFINITIONS[:8]])
def test_eval_and_test_refuse_unusable_definition(name: str, message: str) -> None:
    assert_refused(run(["eval", name, "--request", "-"], BAD, stdin=GOOD_REQUEST), message)
    cases = str(FIXTURES / "cases" / "header-token.cases.yaml")
    assert_refused(run(["test", name, cases], BAD), message)


@pytest.mark.parametrize("name,message", SESSIONS[:3], ids=[s[0] for s in SESSIONS[:3]])
def test_test_refuses_bad_sessions_file_named_by_cases(tmp_path: Path, name: str,
                                                       message: str) -> None:
    shutil.copy(BAD / name, tmp_path / name)
    (tmp_path / "c.yaml").write_text(
        f"sessions: {name}\ncases:\n  - name: one\n    request: |\n"
        "      GET /petstore/pets HTTP/1.1\n      X-API-Key: KEY123\n"
        "    expect: {status: 200}\n")
    result = run(["test", str(DEFINITION), "c.yaml"], tmp_path)
    assert_refused(result, message)


# --------------------------------------------------------------------------- limits
def test_input_over_max_size_is_refused_by_every_command(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_text('{"api_id": "' + "a" * 3000 + '"}')
    message = "big.json:1:1: input is larger than the limit of 1000 bytes (raise it with --max-size)"
    assert_refused(run(["compile", "big.json", "--to", "oas", "--max-size", "1000"], tmp_path),
                   message)
    assert_refused(run(["eval", "big.json", "--request", "-", "--max-size", "1000"], tmp_path,
                       stdin=GOOD_REQUEST), message)
    assert_refused(run(["test", "big.json", "c.yaml", "--max-size", "1000"], tmp_path), message)
    (tmp_path / "r.http").write_text(GOOD_REQUEST + "x" * 3000)
    assert_refused(run(["eval", str(DEFINITION), "--request", "r.http", "--max-size", "2000"],
                       tmp_path), "r.http:1:1: input is larger than the limit of 2000 bytes")


def test_default_max_size_is_50_mb(tmp_path: Path) -> None:
    """A sparse 50 MiB + 1 byte file: refused before it is read into memory whole."""
    big = tmp_path / "huge.json"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024 + 1)
    assert_refused(run(["compile", "huge.json", "--to", "oas"], tmp_path),
                   "huge.json:1:1: input is larger than the limit of 52428800 bytes")


def test_nesting_deeper_than_the_limit_is_refused(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text('{"api_id": ' + "[" * 300 + "]" * 300 + "}")
    (tmp_path / "deep.yaml").write_text("api_id: " + "[" * 300 + "]" * 300 + "\n")
    for name in ("deep.json", "deep.yaml"):
        result = run(["compile", name, "--to", "oas"], tmp_path)
        assert_refused(result, f"{name}:")
        assert "nesting is deeper than the limit of 256 levels" in result.stderr


# --------------------------------------------------------------------------- directories
def test_directory_with_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "apis"
    src.mkdir()
    shutil.copy(FIXTURES / "classic-auth-token.json", src / "good.json")
    shutil.copy(FIXTURES / "classic-auth-token.json", src / "secret.json")
    (src / "secret.json").chmod(0)
    if os.geteuid() == 0:  # root reads files whatever their mode: refuse it the way the OS would
        import builtins

        real_open = builtins.open

        def guarded_open(file, *args, **kwargs):  # noqa: ANN001, ANN202
            if str(file).endswith("secret.json"):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", guarded_open)
    try:
        result = run(["compile", "apis", "--to", "oas", "-o", "out"], tmp_path)
        assert result.exit_code == 2
        assert "error: apis/secret.json: permission denied" in result.stderr
        assert (tmp_path / "out" / "good.json").is_file()
        assert not (tmp_path / "out" / "secret.json").exists()
        lint = run(["lint", "apis"], tmp_path)
        assert lint.exit_code == 2
        assert "apis/secret.json: permission denied" in lint.stderr
        assert "Traceback" not in result.stderr + lint.stderr
    finally:
        (src / "secret.json").chmod(0o644)


def test_directory_given_where_a_file_is_expected(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    assert_refused(run(["eval", str(DEFINITION), "--request", "d"], tmp_path),
                   "d: is a directory, expected a file")
    assert_refused(run(["eval", "d", "--request", "-"], tmp_path, stdin=GOOD_REQUEST),
                   "d: is a directory, expected a file")


def test_utf8_bom_is_accepted() -> None:
    result = run(["compile", "utf8-bom-ok.json", "--to", "oas"], BAD)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["x-tyk-api-gateway"]["info"]["id"] == "petstore"


def test_null_lists_are_accepted_like_go_does() -> None:
    """Go's decoder turns ``null`` into an empty slice: not bad input."""
    for name, to in (("classic-null-list.json", "oas"), ("oas-null-security.yaml", "classic")):
        result = run(["compile", name, "--to", to], BAD)
        assert result.exit_code == 0, (name, result.stderr)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_in_a_directory_is_skipped_not_read(tmp_path: Path) -> None:
    """Regression: a named pipe called *.json in a searched directory blocked compile and lint
    forever.  Run as a subprocess so a regression fails on the timeout instead of hanging."""
    import subprocess
    import sys

    src = tmp_path / "apis"
    src.mkdir()
    shutil.copy(FIXTURES / "classic-auth-token.json", src / "good.json")
    os.mkfifo(src / "pipe.json")
    for args, code in ((["compile", "apis", "--to", "oas", "-o", "out"], 0), (["lint", "apis"], 1)):
        proc = subprocess.run([sys.executable, "-m", "oascompile", *args], cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == code, proc.stderr
        assert "pipe.json" not in proc.stdout + proc.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["good.json"]


@pytest.mark.parametrize("hashing", [[], ["--hash-keys"], ["--hash-keys", "--hash-key-function",
                                                           "murmur64"]])
def test_non_utf8_token_bytes_are_evaluated(hashing: list[str]) -> None:
    """Regression (found by tests/test_fuzz.py): a token holding a byte that is not UTF-8
    crashed the session lookup with UnicodeEncodeError instead of being looked up."""
    raw = b"GET /petstore/pets HTTP/1.1\r\nHost: example.test\r\nX-API-Key:\x80KEY123\r\n\r\n"
    result = run(["eval", str(DEFINITION), "--request", "-", "--format", "json", "--sessions",
                  str(FIXTURES / "eval-sessions.yaml"), *hashing], BAD, stdin=raw)
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["token"], out["status"], out["error"]) == (
        "\ufffdKEY123", 403, "Access to this API has been disallowed")


# --------------------------------------------------------------------------- alias bombs
ALIAS_BOMBS = [
    ("alias-bomb.yaml", "alias-bomb.yaml:1:1: the document expands to more than 2000000 nodes "
                        "(YAML alias expansion limit); refusing it"),
    ("alias-bomb-wide.yaml", "alias-bomb-wide.yaml:1:1: YAML aliases expand the document from "
                             "154 to 1979728 nodes (more than 10 times; alias expansion limit); "
                             "refusing it"),
]

_PEAK = """
import resource, sys
from oascompile.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"exit={code} peak_mb={peak_mb:.1f}", file=sys.stderr)
"""


@pytest.mark.parametrize("name,message", ALIAS_BOMBS, ids=[a[0] for a in ALIAS_BOMBS])
@pytest.mark.parametrize("command", ["compile", "lint", "eval"])
def test_alias_bomb_is_refused_in_little_memory(name: str, message: str, command: str) -> None:
    """Each command, in a fresh interpreter, refuses the bomb (exit 2, the message) with a peak
    resident memory under 200 MB (ru_maxrss).  Time is measured by
    benchmarks/bench_alias_bomb.py, not asserted."""
    import subprocess
    import sys

    args = {"compile": [name, "--to", "oas"], "lint": [name],
            "eval": [name, "--request", "request-empty.http"]}[command]
    proc = subprocess.run([sys.executable, "-c", _PEAK, command, *args], cwd=BAD,
                          capture_output=True, text=True, timeout=120)
    lines = proc.stderr.splitlines()
    assert lines[0] == message, proc.stderr
    exit_code, peak = lines[-1].split()
    assert exit_code == "exit=2"
    assert float(peak.split("=")[1]) < 200, lines[-1]


def test_wide_alias_use_under_the_growth_limit_is_accepted(tmp_path: Path) -> None:
    """Anchors used the ordinary way (a shared block repeated a few times) are fine."""
    (tmp_path / "ok.yaml").write_text(
        "api_id: a\nproxy: &p {listen_path: /a/, target_url: 'http://u'}\n"
        "auth_configs:\n  authToken: &t {name: authToken, auth_header_name: X-Key}\n"
        "  other: *t\nversion_data: {versions: {v1: *p, v2: *p}}\n")
    result = run(["compile", "ok.yaml", "--to", "oas"], tmp_path)
    assert result.exit_code == 0, result.stderr


def test_recursive_alias_does_not_hang(tmp_path: Path) -> None:
    """ruamel.yaml reads a node that contains its own alias with the inner alias as null."""
    result = run(["compile", "alias-recursive.yaml", "--to", "oas"], BAD)
    assert result.exit_code == 0, result.stderr


def test_duplicate_yaml_key_message_does_not_quote_values(tmp_path: Path) -> None:
    """Regression: ruamel's duplicate-key message quoted both values, e.g. two signature
    secrets, into stderr and CI logs."""
    (tmp_path / "d.yaml").write_text("api_id: a\nauth_configs:\n  authToken:\n    signature:\n"
                                     "      secret: topSECRET1\n      secret: topSECRET2\n")
    for args in (["compile", "d.yaml", "--to", "oas"], ["lint", "d.yaml"]):
        result = run(args, tmp_path)
        assert_refused(result, "d.yaml:6:7: duplicate key 'secret' (a mapping key may appear "
                               "only once)\n")
        assert "topSECRET" not in result.stderr + result.stdout
