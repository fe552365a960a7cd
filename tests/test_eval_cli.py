"""``oascompile eval``: contract JSON shape, text output, options and exit codes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from oascompile.cli import cli

REPO = Path(__file__).resolve().parents[1]
DEF = str(REPO / "fixtures" / "eval-header-token.json")
SESSIONS = str(REPO / "fixtures" / "eval-sessions.yaml")


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, ["eval", *args], input=stdin, catch_exceptions=False)


def write(tmp_path: Path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def test_contract_json_shape(tmp_path):
    req = write(tmp_path, "r.http", "GET /petstore/pets?api_key=KEY123&b=2 HTTP/1.1\r\nHost: gw\r\n"
                                    "Cookie: a=1; sessionx=z\r\n\r\n")  # prefix strip (quirk 6)
    res = run(DEF, "--request", req, "--sessions", SESSIONS, "--now", "1700000000", "--format", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert {k: out[k] for k in ("token", "source", "source_name", "status", "error")} == {
        "token": "KEY123", "source": "query", "source_name": "api_key", "status": 200, "error": None}
    assert out["upstream"] == {"method": "GET", "target": "/v1/pets?b=2",
                               "headers": [["Host", "gw"], ["Cookie", "a=1"]]}
    assert out["error_id"] is None and out["forwarded"] is True and out["session_key"] == "KEY123"
    assert [s["outcome"] for s in out["steps"]["extract"]] == ["empty", "won", "empty"]


def test_no_token_401_without_sessions_and_stdin_request():
    res = run(DEF, "--request", "-", "--format", "json", stdin="GET /petstore/ HTTP/1.1\nHost: gw\n\n")
    out = json.loads(res.output)
    assert res.exit_code == 0
    assert (out["token"], out["status"], out["error"], out["error_id"]) == (
        None, 401, "Authorization field missing", "auth.auth_field_missing")


def test_text_output_explains_steps(tmp_path):
    req = write(tmp_path, "r.http", "GET /petstore/pets HTTP/1.1\nHost: gw\nX-API-Key: Bearer NOPE999\n\n")
    res = run(DEF, "--request", req, "--sessions", SESSIONS, "--show-secrets")
    assert res.exit_code == 0
    text = res.output
    assert "header  'X-API-Key' [configured auth_header_name]: 'Bearer NOPE999'  → token" in text
    assert "'Bearer ' prefix removed" in text
    assert "status: 403 'Access to this API has been disallowed' (auth.key_not_found)" in text
    assert "Upstream request (not sent: refused):" in text


def test_signature_with_now_rfc3339(tmp_path):
    definition = json.loads(Path(DEF).read_text())
    definition["auth_configs"]["authToken"].update(validate_signature=True, signature={
        "algorithm": "MasherySHA256", "header": "X-Sig", "secret": "$tyk_meta.s", "allowed_clock_skew": 0})
    d = write(tmp_path, "d.json", json.dumps(definition))
    s = write(tmp_path, "s.json", json.dumps({"KEY123": {"org_id": "org1", "meta_data": {"s": "shh"}}}))
    sig = hashlib.sha256(b"KEY123shh1700000000").hexdigest()
    req = write(tmp_path, "r.http", f"GET /petstore/ HTTP/1.1\nX-API-Key: KEY123\nX-Sig: {sig}\n\n")
    ok = json.loads(run(d, "--request", req, "--sessions", s, "--now", "2023-11-14T22:13:20Z",
                        "--format", "json").output)
    assert ok["status"] == 200
    late = json.loads(run(d, "--request", req, "--sessions", s, "--now", "1700000001", "--format", "json").output)
    assert (late["status"], late["error"]) == (401, "Request signature verification failed")


def test_client_cert_static_mtls(tmp_path):
    case = json.loads((REPO.parent / "shared" / "cases" / "extract-static-mtls-certificate-not-allowed.json")
                      .read_text()) if (REPO.parent / "shared" / "cases").is_dir() else None
    if case is None:
        pytest.skip("shared conformance cases absent")
    d = write(tmp_path, "d.json", json.dumps(case["input"]))
    pem = write(tmp_path, "c.pem", case["client_cert_pem"])
    req = write(tmp_path, "r.http", case["request"])
    out = json.loads(run(d, "--request", req, "--client-cert", pem, "--format", "json").output)
    assert (out["status"], out["error"]) == (403, case["expect"]["error"])


def test_hash_keys_options(tmp_path):
    req = write(tmp_path, "r.http", "GET /petstore/ HTTP/1.1\nX-API-Key: abc123\n\n")
    out = json.loads(run(DEF, "--request", req, "--sessions", SESSIONS, "--hash-keys",
                         "--format", "json").output)
    assert (out["status"], out["session_key"]) == (200, "org1abc123")
    out = json.loads(run(DEF, "--request", req, "--sessions", SESSIONS, "--min-token-length", "7",
                         "--format", "json").output)
    assert out["status"] == 403


@pytest.mark.parametrize("args, request_text, message", [
    (["--now", "yesterday"], "GET / HTTP/1.1\n\n", "--now: expected RFC 3339"),
    ([], "GARBAGE\n\n", "r.http:1:1: malformed request line"),
    (["--client-cert", "PEM"], "GET / HTTP/1.1\n\n", "no PEM"),
    (["--sessions", "SESS"], "GET / HTTP/1.1\n\n", "s.json:1:"),
])
def test_bad_input_exit_2_without_traceback(tmp_path, args, request_text, message):
    req = write(tmp_path, "r.http", request_text)
    write(tmp_path, "c.pem", "not a certificate")
    write(tmp_path, "s.json", "{not json")
    args = [a.replace("PEM", str(tmp_path / "c.pem")).replace("SESS", str(tmp_path / "s.json")) for a in args]
    res = CliRunner().invoke(cli, ["eval", DEF, "--request", req, *args])
    assert res.exit_code == 2
    assert message in res.output and "Traceback" not in res.output


def test_sessions_and_redis_are_exclusive(tmp_path):
    req = write(tmp_path, "r.http", "GET / HTTP/1.1\n\n")
    res = CliRunner().invoke(cli, ["eval", DEF, "--request", req, "--sessions", SESSIONS,
                                   "--redis", "redis://127.0.0.1:1/0"])
    assert res.exit_code == 2 and "either --sessions or --redis" in res.output


def _signature_definition(tmp_path, skew: int) -> str:
    definition = json.loads(Path(DEF).read_text())
    definition["auth_configs"]["authToken"].update(validate_signature=True, signature={
        "algorithm": "MasheryMD5", "header": "X-Sig", "secret": "shh", "allowed_clock_skew": skew})
    return write(tmp_path, "d.json", json.dumps(definition))


def test_huge_clock_skew_is_capped_and_reported(tmp_path):
    # allowed_clock_skew near int64's max used to loop for ever; the window is capped
    d = _signature_definition(tmp_path, 2**63 - 1)
    sig = hashlib.md5(b"KEY123shh1700000004").hexdigest()
    req = write(tmp_path, "r.http", f"GET /petstore/ HTTP/1.1\nX-API-Key: KEY123\nX-Sig: {sig}\n\n")
    base = [d, "--request", req, "--sessions", SESSIONS, "--now", "1700000000"]
    res = run(*base, "--max-clock-skew-window", "3", "--format", "json")
    assert res.exit_code == 0
    out = json.loads(res.output)
    assert (out["status"], out["error"]) == (401, "Request signature verification failed")
    assert out["steps"]["decision"][-1] == {
        "stage": "signature", "rule": "limit",
        "detail": "allowed_clock_skew 9223372036854775807s exceeds the simulator's window of ±3s "
                  "(--max-clock-skew-window): timestamps farther from now were not tried, so a "
                  "signature made with one of them would be accepted by Tyk but is refused here"}
    text = run(*base, "--max-clock-skew-window", "3").output
    assert "  signature: [limit] allowed_clock_skew 9223372036854775807s exceeds" in text
    assert json.loads(run(*base, "--max-clock-skew-window", "4", "--format", "json").output)[
        "status"] == 200
    # the default window (±1,000,000 s) finds it too
    assert json.loads(run(*base, "--format", "json").output)["status"] == 200


def test_skew_within_the_window_has_no_limit_note(tmp_path):
    d = _signature_definition(tmp_path, 2)
    sig = hashlib.md5(b"KEY123shh1700000003").hexdigest()
    req = write(tmp_path, "r.http", f"GET /petstore/ HTTP/1.1\nX-API-Key: KEY123\nX-Sig: {sig}\n\n")
    out = json.loads(run(d, "--request", req, "--sessions", SESSIONS, "--now", "1700000000",
                         "--max-clock-skew-window", "2", "--format", "json").output)
    assert out["status"] == 401
    assert [s["rule"] for s in out["steps"]["decision"]] == ["§7", "§5"]


def test_out_of_int64_clock_skew_is_exit_2(tmp_path):
    d = _signature_definition(tmp_path, 10**30)
    req = write(tmp_path, "r.http", "GET /petstore/ HTTP/1.1\nX-API-Key: KEY123\n\n")
    res = CliRunner().invoke(cli, ["eval", d, "--request", req])
    assert res.exit_code == 2
    col = Path(d).read_text().index('"allowed_clock_skew"') + 1  # one line; at the key
    assert res.stderr == (f"{d}:1:{col}: `allowed_clock_skew` is out of range: Tyk stores it as a "
                          "64-bit integer (-9223372036854775808 to 9223372036854775807) "
                          "(at /auth_configs/authToken/signature/allowed_clock_skew)\n")


def test_expiry_step_shows_whole_seconds_and_rfc3339(tmp_path):
    req = write(tmp_path, "r.http", "GET /petstore/ HTTP/1.1\nX-API-Key: OLDKEY1\n\n")
    res = run(DEF, "--request", req, "--sessions", SESSIONS, "--now", "1795960000.25")
    assert res.exit_code == 0
    assert ("  key-expiry: [KeyExpired] session expired at 1600000000 (2020-09-13T12:26:40Z); "
            "now 1795960000 (2026-11-29T13:46:40Z)\n") in res.output


@pytest.mark.parametrize("value", ["nan", "1e400", "99999999999999999999"])
def test_unusable_now_on_the_command_line(tmp_path, value):
    req = write(tmp_path, "r.http", "GET /petstore/ HTTP/1.1\n\n")
    res = CliRunner().invoke(cli, ["eval", DEF, "--request", req, "--now", value])
    assert res.exit_code == 2
    expected = ("oascompile: --now: expected RFC 3339 (e.g. 2023-11-14T22:13:20Z) or Unix seconds, "
                f"got {value!r}\n") if value != "99999999999999999999" else (
        "oascompile: --now: '99999999999999999999' is not a usable clock: Unix seconds must be "
        "finite and between -62135596800 and 253402300799 (0001-01-01T00:00:00Z to "
        "9999-12-31T23:59:59Z)\n")
    assert res.stderr == expected


@pytest.mark.parametrize("args, named", [
    (["-", "--request", "-"], "DEFINITION and --request both name it"),
    ([DEF, "--request", "-", "--sessions", "-"], "--request and --sessions both name it"),
    (["-", "--request", "-", "--client-cert", "-"], "DEFINITION, --request and --client-cert all name it"),
])
def test_only_one_input_from_stdin(args, named):
    res = CliRunner().invoke(cli, ["eval", *args], input="GET / HTTP/1.1\n\n")
    assert res.exit_code == 2
    assert res.stderr.endswith(
        f"Error: only one input can come from standard input ('-'); {named}\n")


@pytest.mark.parametrize("args, bad", [(["--hash-key-function", "bogus"], "'--hash-key-function'"),
                                       (["--hash-key-function", "MURMUR64"], "'--hash-key-function'"),
                                       (["--hash-key-function-fallback", ""], "'--hash-key-function-fallback'")])
def test_unknown_hash_function_is_refused(tmp_path, args, bad):
    req = write(tmp_path, "r.http", "GET /petstore/ HTTP/1.1\nX-API-Key: KEY123\n\n")
    res = CliRunner().invoke(cli, ["eval", DEF, "--request", req, *args])
    assert res.exit_code == 2
    value = args[1]
    choices = ("'', " if "fallback" not in bad else "") + "'murmur32', 'murmur64', 'murmur128', 'sha256'"
    assert res.stderr.endswith(f"Error: Invalid value for {bad}: {value!r} is not one of {choices}.\n")
    res = CliRunner().invoke(cli, ["test", DEF, str(REPO / "fixtures" / "cases" / "header-token.cases.yaml"),
                                   *args])
    assert res.exit_code == 2 and f"Invalid value for {bad}" in res.stderr


def test_cli_hash_functions_are_the_engines():
    from oascompile.commands.evaluate import _HASH_FUNCTIONS
    from oascompile.engine.hashing import HASH_FUNCTIONS

    assert _HASH_FUNCTIONS == HASH_FUNCTIONS


def test_empty_hash_key_function_is_the_legacy_default(tmp_path):
    req = write(tmp_path, "r.http", "GET /petstore/ HTTP/1.1\nX-API-Key: abc123\n\n")
    out = json.loads(run(DEF, "--request", req, "--sessions", SESSIONS, "--hash-key-function", "",
                         "--format", "json").output)
    assert (out["status"], out["session_key"]) == (200, "org1abc123")
