"""``oascompile compile`` end to end: outputs, report, exit codes, atomic writes, batches."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import FIXTURES
from helpers import auth_config, classic

from oascompile.cli import cli


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def write(tmp_path, name, data):
    p = tmp_path / name
    p.write_text(json.dumps(data, indent=2) if not isinstance(data, str) else data)
    return str(p)


def test_fixture_classic_to_oas_stdout_and_text_report():
    result = run("compile", str(FIXTURES / "classic-auth-token.json"), "--to", "oas")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["components"]["securitySchemes"]["authToken"] == {
        "type": "apiKey", "in": "header", "name": "X-API-Key"}
    assert out["x-tyk-api-gateway"]["server"]["authentication"]["securitySchemes"] == {
        "authToken": {"enabled": True, "query": {"enabled": True, "name": "api_key"}}}
    assert out["x-tyk-api-gateway"]["server"]["authentication"]["customKeyLifetime"] == {
        "enabled": True, "value": "1h"}
    lines = result.stderr.splitlines()
    assert lines[0].startswith("migration report: ")
    assert any(line.strip().startswith("dropped   /cache_options:") for line in lines)


def test_report_json_shape(tmp_path):
    src = write(tmp_path, "api.json", classic(auth_config(name="k"), cache_options={"x": 1}))
    out = str(tmp_path / "out.json")
    rep = str(tmp_path / "report.json")
    result = run("compile", src, "--to", "oas", "-o", out, "--report", rep)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    report = json.loads(open(rep).read())
    assert (report["input"], report["from"], report["to"], report["output"]) == (
        src, "classic", "oas", out)
    name = next(e for e in report["entries"] if e["pointer"] == "/auth_configs/authToken/name")
    assert (name["kind"], name["from"], name["to"]) == ("changed", "k", "authToken")
    assert list(name) == ["kind", "pointer", "from", "to", "message"]
    kinds = [(e["kind"], e["pointer"]) for e in report["entries"]]
    assert ("dropped", "/version_data") in kinds and ("dropped", "/cache_options") in kinds
    assert json.loads(open(out).read())["openapi"] == "3.0.3"


def test_yaml_output_by_extension_and_back_to_classic(tmp_path):
    out = tmp_path / "api.yaml"
    result = run("compile", str(FIXTURES / "classic-auth-token.json"), "--to", "oas",
                 "-o", str(out))
    assert result.exit_code == 0
    text = out.read_text()
    assert text.startswith("openapi: 3.0.3\n")
    back = run("compile", str(out), "--to", "classic")
    assert back.exit_code == 0, back.stderr
    classic_out = json.loads(back.stdout)
    assert classic_out["auth_configs"]["authToken"]["auth_header_name"] == "X-API-Key"
    assert classic_out["auth_configs"]["authToken"]["param_name"] == "api_key"
    assert classic_out["session_lifetime"] == 3600


def test_stdin_input():
    result = run("compile", "-", "--to", "oas", "--format", "yaml",
                 stdin=json.dumps(classic()))
    assert result.exit_code == 0, result.stderr
    assert "in: header" in result.stdout


def test_already_in_target_format_is_exit_2(tmp_path):
    src = str(FIXTURES / "oas-auth-token.yaml")
    result = run("compile", src, "--to", "oas")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{src}:1:1: already a Tyk OAS API definition")


def test_bad_json_is_exit_2_with_position(tmp_path):
    src = write(tmp_path, "bad.json", '{\n  "api_id": "a",\n  "proxy": {\n}')
    result = run("compile", src, "--to", "oas")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{src}:4:2: invalid JSON: Expecting ',' delimiter"
    assert "Traceback" not in result.stderr


def test_wrong_type_in_auth_field_is_exit_2_with_position(tmp_path):
    api = classic(auth_config(use_param="yes"))
    src = write(tmp_path, "api.json", api)
    result = run("compile", src, "--to", "oas")
    assert result.exit_code == 2
    line = result.stderr.strip()
    lineno = open(src).read().splitlines().index('      "use_param": "yes",') + 1
    assert line.startswith(f"{src}:{lineno}:7: `use_param` must be a boolean, not string ('yes')")
    assert line.endswith("(at /auth_configs/authToken/use_param)")


def test_not_a_definition_is_exit_2(tmp_path):
    src = write(tmp_path, "x.json", {"hello": "world"})
    result = run("compile", src, "--to", "classic")
    assert result.exit_code == 2
    assert "not an API definition" in result.stderr


def test_output_never_overwrites_input_without_in_place(tmp_path):
    src = write(tmp_path, "api.json", classic())
    before = open(src).read()
    result = run("compile", src, "--to", "oas", "-o", src)
    assert result.exit_code == 2
    assert "refusing to overwrite it (add --in-place)" in result.stderr
    assert open(src).read() == before
    result = run("compile", src, "--to", "oas", "-o", src, "--in-place")
    assert result.exit_code == 0
    assert json.loads(open(src).read())["openapi"] == "3.0.3"


def test_output_into_missing_directory_is_exit_2_and_writes_nothing(tmp_path):
    src = write(tmp_path, "api.json", classic())
    target = tmp_path / "nope" / "out.json"
    result = run("compile", src, "--to", "oas", "-o", str(target))
    assert result.exit_code == 2
    assert "the directory does not exist" in result.stderr
    assert not target.parent.exists()


def test_directory_batch_converts_skips_and_reports_failures(tmp_path):
    src = tmp_path / "apis"
    src.mkdir()
    write(src, "a.json", classic())
    write(src, "b.json", classic(api_id="b", use_keyless=True, use_standard_auth=False))
    write(src, "broken.json", "{ nope")
    (src / "sub").mkdir()
    write(src / "sub", "c.yaml", "api_id: c\nname: C\nproxy: {target_url: http://c}\n")
    (src / "notes.txt").write_text("ignored")
    write(src, "sessions.yaml", "KEY123: {org_id: org1}\n")  # not an API definition: skipped
    os.symlink(FIXTURES / "oas-auth-token.yaml", src / "already.yaml")
    out = tmp_path / "out"
    rep = tmp_path / "report.json"
    result = run("compile", str(src), "--to", "oas", "-o", str(out), "--report", str(rep))
    assert result.exit_code == 2  # one file could not be converted
    assert sorted(os.listdir(out)) == ["a.json", "b.json", "sub"]
    assert os.listdir(out / "sub") == ["c.json"]
    assert result.stderr.splitlines()[-1] == (
        "3 converted, 2 skipped (already Tyk OAS, or not an API definition), 1 failed")
    reports = json.loads(rep.read_text())
    assert [os.path.basename(r["input"]) for r in reports] == [
        "a.json", "already.yaml", "b.json", "broken.json", "sessions.yaml", "c.yaml"]
    broken = reports[3]
    assert broken["error"].startswith(f"{src / 'broken.json'}:1:3: invalid")
    assert reports[1]["skipped"].startswith("already a Tyk OAS API definition")
    assert reports[4]["skipped"].startswith("not an API definition")
    lines = result.stderr.splitlines()
    assert f"{src / 'sessions.yaml'}: skipped: not an API definition" in "\n".join(lines)
    assert any(line.startswith(f"error: {src / 'broken.json'}:1:3:") for line in lines)
    b = json.loads((out / "b.json").read_text())
    assert b["x-tyk-api-gateway"]["server"].get("authentication") in (None, {"enabled": False})


def test_directory_without_output_is_usage_error(tmp_path):
    result = run("compile", str(tmp_path), "--to", "oas")
    assert result.exit_code == 2
    assert "needs -o DIR" in result.stderr


def test_python_dash_m_entry_point():
    proc = subprocess.run([sys.executable, "-m", "oascompile", "compile",
                           str(FIXTURES / "classic-keyless.json"), "--to", "oas"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert "security" not in out and "components" not in out
    assert out["x-tyk-api-gateway"]["server"].get("authentication") is None


@pytest.mark.parametrize("fixture", ["classic-implicit-auth-token.json"])
def test_implicit_auth_token_fixture_comes_out_enabled(fixture):
    result = run("compile", str(FIXTURES / fixture), "--to", "oas")
    out = json.loads(result.stdout)
    assert out["components"]["securitySchemes"]["authToken"]["name"] == "authorization"
    assert out["x-tyk-api-gateway"]["server"]["authentication"]["securitySchemes"] == {
        "authToken": {"enabled": True}}


def test_dash_output_means_stdout(tmp_path):
    result = run("compile", str(FIXTURES / "classic-auth-token.json"), "--to", "oas", "-o", "-")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["openapi"] == "3.0.3"
    assert not os.path.exists("-")


def test_unwritable_report_fails_before_any_output(tmp_path):
    result = run("compile", str(FIXTURES / "classic-auth-token.json"), "--to", "oas",
                 "--report", str(tmp_path / "missing" / "r.json"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip() == (f"{tmp_path / 'missing' / 'r.json'}: cannot write: the "
                                     "directory does not exist")


def test_output_through_a_symlink_writes_the_linked_file(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    os.symlink(real, link)
    result = run("compile", str(FIXTURES / "classic-auth-token.json"), "--to", "oas",
                 "-o", str(link))
    assert result.exit_code == 0
    assert os.path.islink(link)
    assert json.loads(real.read_text())["openapi"] == "3.0.3"


def test_integer_outside_int64_is_exit_2(tmp_path):
    src = write(tmp_path, "api.json", classic(session_lifetime=10 ** 30))
    result = run("compile", src, "--to", "oas")
    assert result.exit_code == 2
    assert "`session_lifetime` is out of range: Tyk stores it as a 64-bit integer" in result.stderr
    assert "(at /session_lifetime)" in result.stderr


def test_json_read_as_yaml_is_a_report_warning(tmp_path):
    src = write(tmp_path, "api.json", json.dumps(classic())[:-1] + ",}")
    result = run("compile", src, "--to", "oas")
    assert result.exit_code == 0
    assert (f"warning   /: the input is not valid JSON ({src}:1:" in result.stderr)


def test_batch_output_inside_input_is_not_converted_again(tmp_path):
    src = tmp_path / "apis"
    src.mkdir()
    write(src, "a.json", classic())
    for _ in range(2):
        result = run("compile", str(src), "--to", "oas", "-o", str(src / "out"))
        assert result.exit_code == 0, result.stderr
    assert sorted(os.listdir(src / "out")) == ["a.json"]


def test_closed_stdout_pipe_is_not_an_internal_error():
    """`oascompile rules | head -1`: the reader went away; no 'internal error', no traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write to stdout now fails with EPIPE
    try:
        proc = subprocess.run([sys.executable, "-m", "oascompile", "rules"], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, check=False)
    finally:
        os.close(write_end)
    assert proc.returncode == 1
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr


def test_strict_exits_1_on_report_warnings(tmp_path):
    src = write(tmp_path, "jwt.json", classic(use_standard_auth=False, enable_jwt=True))
    assert run("compile", src, "--to", "oas", "--strict").exit_code == 1
    assert run("compile", src, "--to", "oas").exit_code == 0
    assert run("compile", str(FIXTURES / "classic-auth-token.json"), "--to", "oas",
               "--strict").exit_code == 0
    batch = tmp_path / "apis"
    batch.mkdir()
    write(batch, "jwt.json", classic(use_standard_auth=False, enable_jwt=True))
    assert run("compile", str(batch), "--to", "oas", "-o", str(tmp_path / "o"),
               "--strict").exit_code == 1


def test_report_dash_goes_to_stdout_only_when_the_output_does_not(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    src = str(FIXTURES / "classic-auth-token.json")
    both = run("compile", src, "--to", "oas", "--report", "-")
    assert both.exit_code == 2
    assert "--report - and the converted definition would both go to standard output" \
        in both.stderr
    ok = run("compile", src, "--to", "oas", "-o", "out.json", "--report", "-")
    assert ok.exit_code == 0
    assert json.loads(ok.stdout)["from"] == "classic"
    assert not (tmp_path / "-").exists()


def test_batch_into_its_own_directory_counts_skippable_files_as_skipped(tmp_path):
    src = tmp_path / "apis"
    src.mkdir()
    write(src, "package.json", {"name": "x"})
    os.symlink(FIXTURES / "oas-auth-token.yaml", src / "already.yaml")
    write(src, "a.json", classic())
    result = run("compile", str(src), "--to", "oas", "-o", str(src), "--in-place")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1] == (
        "1 converted, 2 skipped (already Tyk OAS, or not an API definition), 0 failed")
