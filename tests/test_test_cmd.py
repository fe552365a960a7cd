"""``oascompile test``: case files, schema validation, reports and exit codes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from oascompile.cli import cli
from oascompile.load import load_document

REPO = Path(__file__).resolve().parents[1]
DEF = str(REPO / "fixtures" / "eval-header-token.json")
SAMPLE = REPO / "fixtures" / "cases" / "header-token.cases.yaml"
SCHEMA = REPO / "oascompile" / "schemas" / "test-cases.schema.json"


def run(*args: str):
    return CliRunner().invoke(cli, ["test", *args])


def test_sample_case_file_passes():
    res = run(DEF, str(SAMPLE))
    assert res.exit_code == 0, res.output
    assert res.output.endswith("12 cases: 12 passed, 0 failed\n")
    assert "PASS cookie beats query, prefix strip on the first Cookie line" in res.output


def test_sample_is_valid_against_the_shipped_schema():
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    # loaded the way the command loads it (timestamps stay strings)
    jsonschema.validate(load_document(str(SAMPLE), detect=False).data, schema)
    jsonschema.validate({"now": 1700000000, "cases": [{"name": "n", "request": "GET / HTTP/1.1",
                                                       "expect": {"status": 200}}]}, schema)


FAILING = """\
cases:
  - name: wrong token
    request: |
      GET /petstore/pets HTTP/1.1
      X-API-Key: KEY123
    expect: {token: OTHER, source: header}
  - name: right token
    request: "GET /petstore/pets HTTP/1.1\\nX-API-Key: KEY123\\n\\n"
    expect:
      token: KEY123
      upstream: {headers_exclude: [x-api-key], target: /v1/pets}
"""


def test_failure_exit_1_and_text_report(tmp_path):
    cases = tmp_path / "c.yaml"
    cases.write_text(FAILING)
    res = run(DEF, str(cases), "--show-secrets")
    assert res.exit_code == 1
    assert res.output.splitlines() == [
        "FAIL wrong token", "    token: expected 'OTHER', got 'KEY123'", "PASS right token",
        "2 cases: 1 passed, 1 failed"]


def test_junit_to_file(tmp_path):
    cases = tmp_path / "c.yaml"
    cases.write_text(FAILING)
    out = tmp_path / "report.xml"
    res = run(DEF, str(cases), "--format", "junit", "-o", str(out), "--show-secrets")
    assert res.exit_code == 1
    root = ET.fromstring(out.read_text())
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    failures = [tc.find("failure") for tc in suite.findall("testcase")]
    assert failures[0].get("message") == "token: expected 'OTHER', got 'KEY123'" and failures[1] is None


@pytest.mark.parametrize("text, where, message", [
    ("cases: []\n", "c.yaml:1:", "cases"),
    ("cases:\n  - name: a\n    request: 'GET / HTTP/1.1'\n    expect: {tokn: x}\n", "c.yaml:4:", "tokn"),
    ("cases:\n  - name: a\n    request: |\n      GET / HTTP/1.1\n      Bad Name: x\n    expect: {token: x}\n",
     "c.yaml:5", "invalid header name"),
    ("now: later\ncases:\n  - {name: a, request: 'GET / HTTP/1.1', expect: {token: x}}\n", "c.yaml:1:", "RFC 3339"),
    ("cases:\n  - {name: a, request: 'GET / HTTP/1.1', expect: {token: x}}\n"
     "  - {name: a, request: 'GET / HTTP/1.1', expect: {token: x}}\n", "c.yaml:3:", "duplicate case name"),
    ("cases:\n  - {name: a, request: 'GET / HTTP/1.1', expect: {token: x}, sessions: {K: {expires: x}}}\n",
     "c.yaml:2:", "expires"),
])
def test_bad_case_files_exit_2(tmp_path, text, where, message):
    cases = tmp_path / "c.yaml"
    cases.write_text(text)
    res = run(DEF, str(cases))
    assert res.exit_code == 2, res.output
    assert where in res.output and message in res.output and "Traceback" not in res.output


def test_sessions_file_relative_to_case_file(tmp_path):
    (tmp_path / "s.json").write_text(json.dumps({"KEY123": {"org_id": "org1"}}))
    cases = tmp_path / "c.yaml"
    cases.write_text("sessions: s.json\ncases:\n  - name: ok\n    request: \"GET /petstore/ HTTP/1.1\\n"
                     "X-API-Key: KEY123\\n\\n\"\n    expect: {status: 200}\n")
    assert run(DEF, str(cases)).exit_code == 0


EXPIRED_CASE = ("sessions: {{OLDKEY1: {{org_id: org1, expires: 1600000000}}}}\n{now}cases:\n"
                "  - name: a\n{case_now}    request: |\n      GET /petstore/x HTTP/1.1\n"
                "      X-API-Key: OLDKEY1\n    expect: {{status: 200}}\n")
CLOCK_RANGE = ("is not a usable clock: Unix seconds must be finite and between -62135596800 and "
               "253402300799 (0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z)")


@pytest.mark.parametrize("value, shown", [(".nan", "NaN"), (".inf", "infinity"),
                                          ("-.inf", "-infinity"), ("1.0e400", "infinity"),
                                          ("99999999999999999999", "99999999999999999999")])
def test_non_finite_or_out_of_range_now_is_refused_at_the_value(tmp_path, value, shown):
    # these used to be accepted, and the expired key then passed as 200
    cases = tmp_path / "c.yaml"
    cases.write_text(EXPIRED_CASE.format(now=f"now: {value}\n", case_now=""))
    res = run(DEF, str(cases))
    assert res.exit_code == 2
    assert res.stderr == f"{cases}:2:6: now: {shown} {CLOCK_RANGE} (at /now)\n"
    cases.write_text(EXPIRED_CASE.format(now="", case_now=f"    now: {value}\n"))
    res = run(DEF, str(cases))
    assert res.stderr == f"{cases}:4:10: now: {shown} {CLOCK_RANGE} (at /cases/0/now)\n"


def test_garbage_now_is_reported_at_the_value_not_at_1_1(tmp_path):
    cases = tmp_path / "c.yaml"
    cases.write_text("now: garbage\n" + EXPIRED_CASE.format(now="", case_now=""))
    res = run(DEF, str(cases))
    assert (res.exit_code, res.stderr) == (2, f"{cases}:1:6: now: expected RFC 3339 (e.g. "
                                              "2023-11-14T22:13:20Z) or Unix seconds, got 'garbage' "
                                              "(at /now)\n")


def test_expired_key_fails_with_a_finite_now(tmp_path):
    cases = tmp_path / "c.yaml"
    cases.write_text(EXPIRED_CASE.format(now="now: 2026-11-29T13:46:40Z\n", case_now=""))
    res = run(DEF, str(cases), "--show-secrets")
    assert (res.exit_code, res.output) == (1, "FAIL a\n    status: expected 200, got 401\n"
                                              "1 cases: 0 passed, 1 failed\n")


def test_definition_and_cases_cannot_both_be_stdin():
    res = CliRunner().invoke(cli, ["test", "-", "-"], input="{}")
    assert res.exit_code == 2
    assert res.stderr.endswith("Error: only one input can come from standard input ('-'); "
                               "DEFINITION and CASES both name it\n")


# ---- positions in case files
BLOCK = """\
now: 1700000000
cases:
  - name: ok
    request: |
      GET /petstore/x HTTP/1.1
      X-API-Key: KEY123
    expect: {status: 200}
  - name: bad
    request: |
      GET /petstore/x HTTP/1.1
      Host a
    expect: {status: 200}
"""


@pytest.mark.parametrize("request_yaml, where, message", [
    # literal block: the offending line and column inside the block
    ("    request: |\n      GET /p HTTP/1.1\n      Host a\n", "4:7",
     "request: malformed header line 'Host a': missing ':'"),
    ("    request: |2-\n      GET /p HTTP/9.9\n", "3:14",
     "request: unsupported HTTP version 'HTTP/9.9': expected HTTP/1.1 or HTTP/1.0 (Go's server "
     "answers 505 HTTP Version Not Supported)"),
    # a quoted scalar: at the value, naming the request's own line
    ("    request: \"GET /p HTTP/1.1\\nHost a\\n\"\n", "2:14",
     "request (line 2 of the request): malformed header line 'Host a': missing ':'"),
])
def test_bad_request_in_a_case_is_located(tmp_path, request_yaml, where, message):
    cases = tmp_path / "c.yaml"
    cases.write_text("cases:\n" + request_yaml.replace("    request:", "  - request:", 1)
                     + "    name: a\n    expect: {status: 200}\n")
    res = run(DEF, str(cases))
    assert (res.exit_code, res.stderr) == (2, f"{cases}:{where}: {message} (at /cases/0/request)\n")


def test_bad_request_in_the_second_case_block(tmp_path):
    cases = tmp_path / "c.yaml"
    cases.write_text(BLOCK)
    res = run(DEF, str(cases))
    assert res.stderr == (f"{cases}:11:7: request: malformed header line 'Host a': missing ':' "
                          "(at /cases/1/request)\n")


def test_bad_request_in_a_json_case_file_is_at_the_value(tmp_path):
    cases = tmp_path / "c.json"
    cases.write_text('{"cases": [\n {"name": "a", "expect": {"status": 200},\n'
                     '  "request": "GET /p HTTP/1.1\\nHost a\\n"}]}\n')
    res = run(DEF, str(cases))
    assert res.stderr == (f"{cases}:3:14: request (line 2 of the request): malformed header line "
                          "'Host a': missing ':' (at /cases/0/request)\n")


def test_missing_sessions_file_names_the_case_file_position_and_the_path(tmp_path):
    cases = tmp_path / "c.yaml"
    cases.write_text("cases:\n  - name: a\n    sessions: nope.yaml\n    request: |\n"
                     "      GET /petstore/x HTTP/1.1\n    expect: {status: 200}\n")
    res = run(DEF, str(cases))
    assert (res.exit_code, res.stderr) == (
        2, f"{cases}:3:15: sessions: {tmp_path / 'nope.yaml'}: no such file (at /cases/0/sessions)\n")


def test_missing_default_sessions_file_is_at_the_top_level_value(tmp_path):
    cases = tmp_path / "c.yaml"
    cases.write_text("sessions: gone.json\ncases:\n  - name: a\n    request: |\n"
                     "      GET /petstore/x HTTP/1.1\n    expect: {status: 200}\n")
    res = run(DEF, str(cases))
    assert res.stderr == f"{cases}:1:11: sessions: {tmp_path / 'gone.json'}: no such file (at /sessions)\n"


def test_missing_client_cert_file_is_located(tmp_path):
    cases = tmp_path / "c.yaml"
    cases.write_text("cases:\n  - name: a\n    client_cert: none.pem\n    request: |\n"
                     "      GET /petstore/x HTTP/1.1\n    expect: {status: 200}\n")
    res = run(DEF, str(cases))
    assert res.stderr == (f"{cases}:3:18: client_cert: {tmp_path / 'none.pem'}: no such file "
                          "(at /cases/0/client_cert)\n")


def test_bad_inline_pem_is_at_the_value(tmp_path):
    cases = tmp_path / "c.yaml"
    cases.write_text("client_cert_pem: nothing here\ncases:\n  - name: a\n    request: |\n"
                     "      GET /petstore/x HTTP/1.1\n    expect: {status: 200}\n")
    res = run(DEF, str(cases))
    assert res.stderr == (f"{cases}:1:18: client_cert_pem: no PEM 'BEGIN CERTIFICATE' block found "
                          "(at /client_cert_pem)\n")


@pytest.mark.parametrize("sessions, where, message", [
    ("{KEY123: [1]}", "3:24", "session 'KEY123': a session must be an object, not array "
                              "(at /cases/0/sessions/KEY123)"),
    ("{KEY123: {expires: x}}", "3:25", "session 'KEY123': `expires` must be an integer (Unix "
                                       "seconds), not string (at /cases/0/sessions/KEY123/expires)"),
    ("{KEY123: {meta_data: {r: .nan}}}", "3:37",
     "session 'KEY123': `r` is NaN: NaN, infinities and numbers beyond a 64-bit float (such as "
     "1e400) cannot be stored in a Tyk session (at /cases/0/sessions/KEY123/meta_data/r)"),
    ("5", "3:5", "'sessions' must be string or object or null, got integer 5 (at /cases/0/sessions)"),
])
def test_inline_sessions_problems_point_at_the_member(tmp_path, sessions, where, message):
    cases = tmp_path / "c.yaml"
    cases.write_text(f"cases:\n  - name: a\n    sessions: {sessions}\n    request: |\n"
                     "      GET /petstore/x HTTP/1.1\n    expect: {status: 200}\n")
    res = run(DEF, str(cases))
    assert (res.exit_code, res.stderr) == (2, f"{cases}:{where}: {message}\n")


def test_now_of_the_wrong_type_says_what_is_expected(tmp_path):
    cases = tmp_path / "c.yaml"
    cases.write_text("now: [1]\ncases:\n  - name: a\n    request: |\n"
                     "      GET /petstore/x HTTP/1.1\n    expect: {status: 200}\n")
    res = run(DEF, str(cases))
    assert res.stderr == f"{cases}:1:1: 'now' must be number or string, got array [1] (at /now)\n"


def test_a_sessions_file_shared_by_cases_is_read_once(tmp_path, monkeypatch):
    import oascompile.engine.cases as cases_mod

    (tmp_path / "s.json").write_text(json.dumps({"KEY123": {"org_id": "org1"}}))
    calls = []
    real = cases_mod.load_sessions
    monkeypatch.setattr(cases_mod, "load_sessions", lambda *a: calls.append(a[0]) or real(*a))
    cases = tmp_path / "c.yaml"
    cases.write_text("sessions: s.json\nnow: 1700000000\ncases:\n" + "".join(
        f"  - name: c{i}\n    request: \"GET /petstore/ HTTP/1.1\\nX-API-Key: KEY123\\n\\n\"\n"
        "    expect: {status: 200}\n" for i in range(3)))
    res = run(DEF, str(cases))
    assert res.exit_code == 0 and calls == [str(tmp_path / "s.json")]


def test_dash_output_is_stdout(tmp_path, monkeypatch):
    from pathlib import Path as _Path

    from click.testing import CliRunner

    from oascompile.cli import cli

    repo = _Path(__file__).resolve().parents[1]
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["test", str(repo / "fixtures" / "eval-header-token.json"),
                                      str(repo / "fixtures" / "cases" / "header-token.cases.yaml"),
                                      "-o", "-"])
    assert result.exit_code == 0
    assert "12 cases: 12 passed, 0 failed" in result.stdout
    assert not (tmp_path / "-").exists()
