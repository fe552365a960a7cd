"""The real inputs in ../shared/corpus: every Classic definition converts to valid OAS.

Skipped with a clear reason when ../shared is absent (the core suite uses fixtures/).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SHARED

from oascompile.cli import cli
from oascompile.load import load_document
from oascompile.schemas import iter_errors

pytestmark = pytest.mark.skipif(not (SHARED / "corpus" / "tyk").is_dir(),
                                reason=f"{SHARED}/corpus is absent (shared/ not beside the repo)")


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> tuple[Path, list[dict]]:
    out = tmp_path_factory.mktemp("oas")
    rep = out / "report.json"
    result = CliRunner().invoke(cli, ["compile", str(SHARED / "corpus" / "tyk"), "--to", "oas",
                                      "-o", str(out / "apis"), "--report", str(rep)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1] == (
        "73 converted, 2 skipped (already Tyk OAS, or not an API definition), 0 failed")
    return out / "apis", json.loads(rep.read_text())


def _tyk_ext_validator():
    import jsonschema

    schema = json.loads((SHARED / "reference" / "x-tyk-api-gateway.json").read_text())
    return jsonschema.Draft4Validator(schema)


def test_all_73_classic_definitions_convert_and_validate(converted):
    from openapi_spec_validator import validate

    out_dir, reports = converted
    files = sorted(out_dir.glob("*.json"))
    assert len(files) == 73
    tyk = _tyk_ext_validator()
    for f in files:
        doc = json.loads(f.read_text())
        validate(doc)  # raises on invalid OpenAPI
        assert iter_errors("x-tyk-api-gateway", doc["x-tyk-api-gateway"]) == [], f.name
        assert [e.message for e in tyk.iter_errors(doc["x-tyk-api-gateway"])] == [], f.name
    assert not [r for r in reports if r.get("error")]


def test_keyless_stay_keyless_and_implicit_token_comes_out_enabled(converted):
    out_dir, _ = converted
    for src in sorted((SHARED / "corpus" / "tyk").glob("*.json")):
        data = json.loads(src.read_text())
        if "openapi" in data:
            continue
        out = json.loads((out_dir / src.name).read_text())
        authn = out["x-tyk-api-gateway"]["server"].get("authentication") or {}
        if data.get("use_keyless") is True:
            assert authn.get("enabled", False) is False, src.name
            assert "security" not in out, src.name
            continue
        assert authn.get("enabled") is True, src.name
        others = any(data.get(f) for f in ("enable_jwt", "use_basic_auth", "use_oauth2",
                                           "enable_signature_checking", "use_openid",
                                           "custom_plugin_auth_enabled", "use_go_plugin_auth",
                                           "enable_coprocess_auth")) or \
            (data.get("external_oauth") or {}).get("enabled")
        if not others:
            assert authn["securitySchemes"]["authToken"]["enabled"] is True, src.name
            assert out["security"] == [{"authToken": []}], src.name


def test_every_dropped_top_level_field_is_reported(converted):
    _, reports = converted
    for report in reports:
        if report["from"] != "classic":
            continue
        data = load_document(report["input"]).data
        pointers = {e["pointer"] for e in report["entries"]}
        for key in ("version_data", "definition", "custom_middleware", "event_handlers"):
            if key in data and data[key] not in ({}, [], None, False, ""):
                assert f"/{key}" in pointers, (report["input"], key)


def test_the_two_oas_definitions_convert_to_classic():
    import jsonschema

    tyk_classic = jsonschema.Draft4Validator(
        json.loads((SHARED / "reference" / "tyk-classic-apidef.schema.json").read_text()))
    for name in ("tracing__test-multiauth-oas.json", "metrics__test-mcpapi-mcp.json"):
        result = CliRunner().invoke(cli, ["compile", str(SHARED / "corpus" / "tyk" / name),
                                          "--to", "classic"])
        assert result.exit_code == 0, result.stderr
        out = json.loads(result.stdout)
        assert iter_errors("classic", out) == []
        assert [e.message for e in tyk_classic.iter_errors(out)] == []
    multi = json.loads(CliRunner().invoke(cli, [
        "compile", str(SHARED / "corpus" / "tyk" / "tracing__test-multiauth-oas.json"),
        "--to", "classic"]).stdout)
    assert multi["auth_configs"]["authToken"]["auth_header_name"] == "X-API-Key"
    assert multi["use_standard_auth"] is True


def test_examples_folder_converts(shared_dir):
    for sub, to in (("classic", "oas"), ("oas", "classic")):
        for src in sorted((shared_dir / "corpus" / "examples" / sub).iterdir()):
            result = CliRunner().invoke(cli, ["compile", str(src), "--to", to])
            assert result.exit_code == 0, (src.name, result.stderr)
            assert "Traceback" not in result.stderr
