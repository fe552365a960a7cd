"""``oascompile lint`` / ``oascompile rules`` end to end: output formats, exit codes,
configuration, suppression, baselines, unloadable files, and the generated rule docs."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from oascompile.cli import cli

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
OAS = "lint-oas-problems.yaml"
CLASSIC = "lint-classic-query.json"
CLEAN = "lint-classic-clean.json"


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A working directory holding copies of the lint fixtures (no config above it matters:
    the tests that need one write it here)."""
    for name in (OAS, CLASSIC, CLEAN):
        shutil.copy(FIXTURES / name, tmp_path / name)
    (tmp_path / ".oascompile.yaml").write_text("rules: {}\n")  # stop the upward search here
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint(*args: str):
    result = CliRunner().invoke(cli, ["lint", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_contract_and_sorting(work):
    code, out, _ = lint(OAS, CLASSIC, "--format", "json")
    assert code == 1
    body = json.loads(out)
    assert body["files"] == 2
    got = [(f["file"], f["line"], f["column"], f["rule"]) for f in body["findings"]]
    assert got == [(CLASSIC, 10, 19, "token-in-query"),
                   (OAS, 7, 25, "token-in-query"),
                   (OAS, 22, 13, "signature-algorithm-invalid")]
    first = body["findings"][1]
    assert set(first) == {"rule", "severity", "message", "hint", "file", "line", "column", "pointer"}
    assert first["pointer"] == "/components/securitySchemes/key/in"
    assert first["severity"] == "error"


def test_clean_file_exits_zero_and_prints_nothing(work):
    code, out, _ = lint(CLEAN)
    assert (code, out) == (0, "")


def test_text_format(work):
    code, out, err = lint(CLASSIC)
    assert code == 1
    assert out.splitlines() == [f"{CLASSIC}:10:19: error token-in-query auth_configs.authToken "
                                "accepts the token from the query parameter `api_key`; URLs are "
                                "logged and sent in Referer"]
    assert "1 finding(s) (1 error, 0 warning, 0 info) in 1 file(s)" in err


def test_fail_on_threshold(work):
    (work / ".oascompile.yaml").write_text("rules:\n  token-in-query: info\n")
    assert lint(CLASSIC)[0] == 0
    assert lint(CLASSIC, "--fail-on", "warning")[0] == 0
    assert lint(CLASSIC, "--fail-on", "info")[0] == 1


def test_github_annotations(work):
    code, out, _ = lint(CLASSIC, "--format", "github")
    assert code == 1
    assert out.startswith(f"::error file={CLASSIC},line=10,col=19,title=token-in-query::"
                          "auth_configs.authToken accepts")


def test_junit_xml(work):
    code, out, _ = lint(CLASSIC, CLEAN, "--format", "junit")
    assert code == 1
    root = ET.fromstring(out.split("\n", 1)[1])
    assert root.get("tests") == "2" and root.get("failures") == "1"
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    case = suites[CLASSIC].find("testcase")
    assert case.get("name") == "token-in-query at 10:19"
    assert case.find("failure").get("type") == "error"
    assert suites[CLEAN].find("testcase").find("failure") is None


def test_unloadable_file_is_exit_2_after_linting_the_rest(work):
    (work / "broken.yaml").write_text("openapi: 3.0.3\ninfo: [\n")
    code, out, err = lint("broken.yaml", CLASSIC)
    assert code == 2
    assert f"{CLASSIC}:10:19: error token-in-query" in out
    assert "broken.yaml:3:1: invalid YAML" in err
    assert "Traceback" not in err + out


def test_missing_path_is_exit_2(work):
    code, _, err = lint("nope.yaml")
    assert code == 2 and "nope.yaml: no such file or directory" in err


def test_config_disables_and_changes_severity(work):
    (work / ".oascompile.yaml").write_text(
        "rules:\n  token-in-query: off\n  signature-algorithm-invalid: warning\n")
    code, out, _ = lint(OAS, "--format", "json")
    findings = json.loads(out)["findings"]
    assert [(f["rule"], f["severity"]) for f in findings] == [("signature-algorithm-invalid", "warning")]
    assert code == 0


def test_pyproject_config_found_upwards(work, monkeypatch):
    (work / ".oascompile.yaml").unlink()
    (work / "pyproject.toml").write_text('[tool.oascompile.rules]\n"token-in-query" = "off"\n')
    sub = work / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    code, out, _ = lint(str(work / CLASSIC), "--format", "json")
    assert (code, json.loads(out)["findings"]) == (0, [])


def test_config_include_exclude_for_directories(work):
    (work / ".oascompile.yaml").write_text("exclude: ['lint-classic-*']\n")
    code, out, _ = lint(".", "--format", "json")
    body = json.loads(out)
    assert body["files"] == 1
    assert [(f["file"], f["rule"]) for f in body["findings"]] == [
        (f"./{OAS}", "token-in-query"), (f"./{OAS}", "signature-algorithm-invalid")]
    assert code == 1


def test_bad_config_is_exit_2_with_position(work):
    (work / ".oascompile.yaml").write_text("rules:\n  token-in-qeury: off\n")
    code, _, err = lint(CLASSIC)
    assert code == 2
    assert ".oascompile.yaml:2:3: unknown rule `token-in-qeury` (did you mean `token-in-query`?)" in err


def test_explicit_config_option(work, tmp_path_factory):
    other = tmp_path_factory.mktemp("cfg") / "lint.yaml"
    other.write_text("rules:\n  token-in-query: off\n")
    assert lint(CLASSIC, "--config", str(other))[0] == 0


def test_inline_comment_and_extension_suppression(work):
    text = (FIXTURES / OAS).read_text()
    text = text.replace("    key: {type: apiKey, in: query, name: api_key}\n",
                        "    # oascompile: disable=token-in-query\n"
                        "    key: {type: apiKey, in: query, name: api_key}\n")
    text = text.replace("          signatureValidation:\n",
                        "          x-oascompile-ignore: [signature-algorithm-invalid]\n"
                        "          signatureValidation:\n")
    (work / OAS).write_text(text)
    code, out, _ = lint(OAS, "--format", "json")
    assert (code, json.loads(out)["findings"]) == (0, [])


def test_baseline_hides_known_findings_but_not_new_ones(work):
    code, _, err = lint(OAS, "--write-baseline", "baseline.json")
    assert code == 0 and "wrote 2 finding(s)" in err
    stored = json.loads((work / "baseline.json").read_text())
    assert {e["rule"] for e in stored["findings"]} == {"token-in-query", "signature-algorithm-invalid"}
    # moving lines does not invalidate the baseline (fingerprint = file + rule + pointer)
    (work / OAS).write_text("# a new comment\n\n" + (work / OAS).read_text())
    assert lint(OAS, "--baseline", "baseline.json")[0] == 0
    (work / OAS).write_text((work / OAS).read_text().replace("secret: $tyk_meta.sig_secret",
                                                             "secret: ''"))
    code, out, _ = lint(OAS, "--baseline", "baseline.json", "--format", "json")
    assert code == 1
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["signature-secret-missing"]


def test_rules_command_lists_and_documents():
    runner = CliRunner()
    listing = runner.invoke(cli, ["rules"])
    assert listing.exit_code == 0
    assert any(line.split()[:2] == ["token-in-query", "error"] for line in listing.stdout.splitlines())
    one = runner.invoke(cli, ["rules", "signature-algorithm-invalid"])
    assert one.exit_code == 0
    for section in ("What it does", "Why is this bad?", "Example (fails)", "Use instead",
                    "gateway/mw_auth_key.go::validateSignature", "algorithm: MasherySha256"):
        assert section in one.stdout
    bad = runner.invoke(cli, ["rules", "token-in-qury"])
    assert bad.exit_code == 2 and "did you mean 'token-in-query'" in bad.stderr


def test_docs_rules_md_is_up_to_date():
    from oascompile.lint.docs import render_all

    committed = (REPO / "docs" / "rules.md").read_text()
    assert committed == render_all(), \
        "docs/rules.md is stale: run `python -m oascompile.lint.docs > docs/rules.md`"


def test_pre_commit_hook_definition():
    from ruamel.yaml import YAML

    hooks = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["id"] == "oascompile-lint"
    assert hooks[0]["entry"] == "oascompile lint --ignore-unknown"
    assert hooks[0]["language"] == "python"


def test_rule_options_from_config(work):
    text = (FIXTURES / OAS).read_text().replace("$tyk_meta.sig_secret", "vault://sig/secret")
    (work / OAS).write_text(text)
    code, out, _ = lint(OAS, "--format", "json", "--fail-on", "warning")
    assert "signature-secret-plaintext" not in out  # vault:// is a default reference prefix
    (work / ".oascompile.yaml").write_text(
        "rules:\n  signature-secret-plaintext:\n    options: {reference-prefixes: ['$tyk_meta.']}\n")
    code, out, _ = lint(OAS, "--format", "json")
    hits = [f for f in json.loads(out)["findings"] if f["rule"] == "signature-secret-plaintext"]
    assert [(f["line"], f["column"]) for f in hits] == [(24, 13)]
    (work / ".oascompile.yaml").write_text(
        "rules:\n  signature-secret-plaintext:\n    options: {prefixes: []}\n")
    code, _, err = lint(OAS)
    assert code == 2
    assert ("rule `signature-secret-plaintext` has no option `prefixes` "
            "(options: reference-prefixes)") in err
