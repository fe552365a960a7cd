"""Secrets are redacted in reports and text output unless ``--show-secrets`` (issue 5).

Format: the first two characters, ``…`` and the length (``s3…(6 chars)``); four characters or
fewer keep none; empty stays empty.  ``eval --format json`` keeps the token (the contract
requires it) and converted documents keep their secrets.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from oascompile.cli import cli
from oascompile.redact import redact, redact_in, secrets_in_document, variants
from oascompile.report.migration import MigrationReport, ReportEntry, changed

REPO = Path(__file__).resolve().parents[1]
SECRET_PTR = "/auth_configs/authToken/signature/secret"
SIGNED = {
    "api_id": "api1", "name": "Pets", "org_id": "org1", "active": True,
    "proxy": {"listen_path": "/svc/", "target_url": "http://upstream.test"},
    "use_standard_auth": True,
    "auth_configs": {"authToken": {
        "name": "authToken", "auth_header_name": "Authorization", "validate_signature": True,
        "signature": {"algorithm": "MasheryMD5", "header": "X-Signature",
                      "secret": "s3cretSIG", "allowed_clock_skew": 1}}},
}
# spec §5 worked example: org1 / org1abc123 / s3cret at T=1700000000 → 7baa5261…
SIG_REQUEST = ("GET /svc/get?k=org1abc123 HTTP/1.1\nHost: gw.example.test\n"
               "Authorization: org1abc123\nX-Signature: 7baa5261b31bdf08f8d27abe5886d64d\n\n")


def invoke(args: list[str], stdin: str | None = None):
    return CliRunner().invoke(cli, args, input=stdin)


# --------------------------------------------------------------------------- the format
@pytest.mark.parametrize("value,shown", [
    ("s3cr3t", "s3…(6 chars)"), ("", ""), ("abcd", "…(4 chars)"), ("abcde", "ab…(5 chars)"),
    ("x", "…(1 chars)")])
def test_redact_format(value: str, shown: str) -> None:
    assert redact(value) == shown


def test_redact_in_replaces_whole_values_longest_first() -> None:
    text = "key 'org1abc123' tried apikey-org1abc123 then 'abc123'; table ab"
    assert redact_in(text, {"abc123", "org1abc123", "ab"}) == (
        "key 'or…(10 chars)' tried apikey-or…(10 chars) then 'ab…(6 chars)'; table …(2 chars)")


def test_variants_add_url_encodings_and_drop_empty() -> None:
    assert variants(["a b/c", "", None]) == {"a b/c", "a%20b%2Fc", "a+b%2Fc"}


def test_secrets_in_document_finds_every_secret_member() -> None:
    doc = {"auth": {"signature": {"secret": "one"}}, "x": [{"secret": "two"}, {"secret": 3}],
           "signatureValidation": {"secret": ""}}
    assert secrets_in_document(doc) == {"one", "two"}


# --------------------------------------------------------------------------- migration report
def _report(show: bool) -> MigrationReport:
    entries = [changed(SECRET_PTR, "s3cretSIG", "", "the output carries a different value"),
               ReportEntry("warning", "/auth_configs/authToken/signature",
                           "secret 's3cretSIG' looks like plain text")]
    return MigrationReport("in.json", "classic", "oas", None, entries,
                           secrets=frozenset({"s3cretSIG"}), show_secrets=show)


def test_migration_report_redacts_secret_values_and_messages() -> None:
    report = _report(show=False)
    assert report.to_json()["entries"] == [
        {"kind": "changed", "pointer": SECRET_PTR, "from": "s3…(9 chars)", "to": "",
         "message": "the output carries a different value"},
        {"kind": "warning", "pointer": "/auth_configs/authToken/signature",
         "message": "secret 's3…(9 chars)' looks like plain text"}]
    assert report.to_text().splitlines()[1:] == [
        f'  changed   {SECRET_PTR}: the output carries a different value ("s3…(9 chars)" → "")',
        "  warning   /auth_configs/authToken/signature: secret 's3…(9 chars)' looks like "
        "plain text"]


def test_migration_report_show_secrets() -> None:
    report = _report(show=True)
    assert report.to_json()["entries"][0]["from"] == "s3cretSIG"
    assert "'s3cretSIG'" in report.to_text()


def test_secret_pointer_is_redacted_even_when_not_a_known_secret() -> None:
    entry = changed("/x-tyk-api-gateway/a/signatureValidation/secret", "zz-top", "y", "m")
    assert entry.to_json(secrets=frozenset())["from"] == "zz…(6 chars)"
    assert entry.to_json(secrets=None)["from"] == "zz-top"


@pytest.mark.parametrize("show", [False, True])
def test_compile_cli_report_redacts_unless_show_secrets(tmp_path: Path, monkeypatch, show) -> None:
    """The CLI passes the input's secrets and --show-secrets to the report; the converted
    document keeps the secret."""
    import oascompile.convert as convert

    real = convert.to_oas

    def leaky(doc):  # noqa: ANN001, ANN202 - a converter that reports a changed secret
        result = real(doc)
        result.entries.append(changed(SECRET_PTR, "s3cretSIG", "", "changed"))
        return result

    monkeypatch.setattr(convert, "to_oas", leaky)
    src = tmp_path / "in.json"
    src.write_text(json.dumps(SIGNED))
    args = ["compile", str(src), "--to", "oas", "-o", str(tmp_path / "out.json"),
            "--report", str(tmp_path / "r.json")] + (["--show-secrets"] if show else [])
    result = invoke(args)
    assert result.exit_code == 0, result.stderr
    (entry,) = [e for e in json.loads((tmp_path / "r.json").read_text())["entries"]
                if e["pointer"] == SECRET_PTR]
    assert entry["from"] == ("s3cretSIG" if show else "s3…(9 chars)")
    out = json.loads((tmp_path / "out.json").read_text())
    token = out["x-tyk-api-gateway"]["server"]["authentication"]["securitySchemes"]["authToken"]
    assert token["signatureValidation"]["secret"] == "s3cretSIG"
    text = invoke(["compile", str(src), "--to", "oas"] + (["--show-secrets"] if show else []))
    assert ("s3cretSIG" in text.stderr) is show
    assert "s3cretSIG" in text.stdout


# --------------------------------------------------------------------------- eval and test
def _signed(tmp_path: Path) -> tuple[str, str]:
    d = dict(SIGNED, auth_configs={"authToken": dict(SIGNED["auth_configs"]["authToken"],
                                                     signature=dict(SIGNED["auth_configs"][
                                                         "authToken"]["signature"],
                                                         secret="s3cret"))})
    (tmp_path / "api.json").write_text(json.dumps(d))
    (tmp_path / "s.json").write_text(json.dumps({"org1abc123": {"org_id": "org1"}}))
    return str(tmp_path / "api.json"), str(tmp_path / "s.json")


def test_eval_text_redacts_tokens_signatures_and_keys(tmp_path: Path) -> None:
    api, sessions = _signed(tmp_path)
    result = invoke(["eval", api, "--request", "-", "--sessions", sessions,
                     "--now", "1700000000"], SIG_REQUEST)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    for secret in ("org1abc123", "7baa5261b31bdf08f8d27abe5886d64d", "'abc123'"):
        assert secret not in text
    assert "  token: 'or…(10 chars)' from header 'Authorization'" in text
    assert "matches key 'ab…(6 chars)' at timestamp 1700000000" in text
    assert "  status: 200, forwarded upstream" in text
    assert "  GET /svc/get?k=or…(10 chars)" in text
    assert "  X-Signature: 7b…(32 chars)" in text


def test_eval_text_show_secrets_and_json_keep_values(tmp_path: Path) -> None:
    api, sessions = _signed(tmp_path)
    base = ["eval", api, "--request", "-", "--sessions", sessions, "--now", "1700000000"]
    shown = invoke(base + ["--show-secrets"], SIG_REQUEST).stdout
    assert "  token: 'org1abc123' from header 'Authorization'" in shown
    assert "  X-Signature: 7baa5261b31bdf08f8d27abe5886d64d" in shown
    as_json = json.loads(invoke(base + ["--format", "json"], SIG_REQUEST).stdout)
    assert (as_json["token"], as_json["status"]) == ("org1abc123", 200)
    assert ["X-Signature", "7baa5261b31bdf08f8d27abe5886d64d"] in as_json["upstream"]["headers"]


def test_eval_text_redacts_bearer_cookie_and_url_encoded_tokens(tmp_path: Path) -> None:
    api, _ = _signed(tmp_path)
    d = json.loads(Path(api).read_text())
    d["auth_configs"]["authToken"].update(validate_signature=False, use_param=True,
                                          param_name="key")
    Path(api).write_text(json.dumps(d))
    req = ("GET /svc/x?key=tok%2Fen+one HTTP/1.1\nCookie: a=1; session=tok/en one\n"
           "Authorization: Bearer hdrTOKEN\n\n")
    text = invoke(["eval", api, "--request", "-"], req).stdout
    for secret in ("hdrTOKEN", "tok/en one", "tok%2Fen+one"):
        assert secret not in text, secret
    assert "  Authorization: Be…(15 chars)" in text
    assert "  GET /svc/x?key=to…(12 chars)" in text


FAILING = """\
cases:
  - name: wrong token
    request: |
      GET /petstore/pets HTTP/1.1
      X-API-Key: KEY123
    expect: {token: OTHER, source: header}
"""


@pytest.mark.parametrize("fmt", ["text", "junit"])
def test_test_reports_redact_tokens(tmp_path: Path, fmt: str) -> None:
    cases = tmp_path / "c.yaml"
    cases.write_text(FAILING)
    definition = str(REPO / "fixtures" / "eval-header-token.json")
    result = invoke(["test", definition, str(cases), "--format", fmt])
    assert result.exit_code == 1
    assert "KEY123" not in result.stdout and "OTHER" not in result.stdout
    line = "token: expected 'OT…(5 chars)', got 'KE…(6 chars)'"
    if fmt == "text":
        assert result.stdout.splitlines()[:2] == ["FAIL wrong token", "    " + line]
    else:
        failure = ET.fromstring(result.stdout).find("testsuite/testcase/failure")
        assert failure.get("message") == line


# --------------------------------------------------------------------------- tokens inside other strings
def test_long_secrets_are_redacted_even_glued_inside_words() -> None:
    assert redact_in("apikey-xxsecretvalue99yy", {"secretvalue99"}) == "apikey-xxse…(13 chars)yy"
    # a short one is replaced only as a whole word (callers add its glued forms)
    assert redact_in("apikey-org1KEY123 KEY123", {"KEY123"}) == "apikey-org1KEY123 KE…(6 chars)"


def test_variants_include_the_repr_form() -> None:
    assert "tab\\there" in variants(["tab\there"])


EVAL_DEF = str(REPO / "fixtures" / "eval-header-token.json")
EVAL_SESSIONS = str(REPO / "fixtures" / "eval-sessions.yaml")


def _lookup_line(args: list[str], token: str = "KEY123") -> str:
    req = f"GET /petstore/pets HTTP/1.1\nX-API-Key: {token}\n\n"
    result = invoke(["eval", EVAL_DEF, "--request", "-", "--sessions", EVAL_SESSIONS, *args], req)
    assert result.exit_code == 0, result.stderr
    (line,) = [x for x in result.stdout.splitlines() if x.startswith("  lookup:")]
    return line


def test_generated_legacy_token_in_storage_key_is_redacted() -> None:
    # was: tried apikey-org1KEY123 (generated token for org 'org1' …)
    assert _lookup_line([]) == (
        "  lookup: [§7] token: 'KE…(6 chars)': found under apikey-KE…(6 chars); tried "
        "apikey-or…(10 chars) (generated token for org 'org1' (legacy org+id)), "
        "apikey-KE…(6 chars) (key as presented: hit)")
    assert "org1KEY123" in _lookup_line(["--show-secrets"])


def test_generated_base64_json_tokens_are_redacted() -> None:
    line = _lookup_line(["--hash-key-function", "murmur64", "--hash-key-function-fallback",
                         "sha256"], token="NOPE999")
    assert line == (
        "  lookup: [§7] token: 'NO…(7 chars)': no candidate key is stored; tried "
        "apikey-ey…(60 chars) (generated token for org 'org1' (murmur64)), apikey-NO…(7 chars) "
        "(key as presented), apikey-ey…(56 chars) (generated token, fallback sha256)")


def test_id_of_a_base64_json_token_is_redacted_in_signature_steps(tmp_path: Path) -> None:
    token = "eyJvcmciOiJvcmcxIiwiaWQiOiJhYmMxMjMiLCJoIjoibXVybXVyNjQifQ=="  # id abc123
    api, _ = _signed(tmp_path)
    (tmp_path / "s.json").write_text(json.dumps({token: {"org_id": "org1"}}))
    req = f"GET /svc/x HTTP/1.1\nAuthorization: {token}\nX-Signature: {'0' * 32}\n\n"
    result = invoke(["eval", api, "--request", "-", "--sessions", str(tmp_path / "s.json"),
                     "--now", "1700000000"], req)
    assert "abc123" not in result.stdout and token not in result.stdout
    assert ("  signature: [§5] signature from header 'X-Signature' matches none of "
            "['ab…(6 chars)', 'ey…(60 chars)'] within ±1s of 1700000000") in result.stdout


def test_mistyped_secret_is_never_echoed(tmp_path):
    """A numeric secret (an unquoted YAML number) is a type error, but its value stays hidden,
    and it is not reported as an empty secret."""
    import json as _json

    from click.testing import CliRunner

    from oascompile.cli import cli

    path = tmp_path / "api.json"
    path.write_text(_json.dumps({
        "api_id": "a", "name": "A", "proxy": {"target_url": "http://u", "listen_path": "/a/"},
        "version_data": {"not_versioned": True, "versions": {"Default": {}}},
        "use_standard_auth": True,
        "auth_configs": {"authToken": {"name": "authToken", "validate_signature": True,
                                       "signature": {"algorithm": "MasheryMD5", "header": "X-S",
                                                     "secret": 1234567890123}}}}))
    compiled = CliRunner().invoke(cli, ["compile", str(path), "--to", "oas"])
    assert compiled.exit_code == 2
    assert "`secret` must be a string, not integer (at /auth_configs/authToken/signature/secret)" \
        in compiled.stderr
    linted = CliRunner().invoke(cli, ["lint", str(path), "--format", "json"])
    findings = _json.loads(linted.stdout)["findings"]
    assert [(f["rule"], f["message"]) for f in findings] == [
        ("classic-schema", "Tyk Classic: 'secret' must be string or null (value not shown)")]
    for out in (compiled.stderr, linted.stdout, linted.stderr):
        assert "1234567890123" not in out
