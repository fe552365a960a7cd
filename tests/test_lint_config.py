"""``oascompile lint`` configuration and baseline files that are broken: encodings, TOML
syntax and semantics, empty files, directories, and rule option types — each exit 2 with
``file:line:col`` (never an internal error)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from oascompile.cli import cli
from oascompile.lint.registry import option_problem

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CLASSIC = "lint-classic-query.json"


@pytest.fixture
def work(tmp_path, monkeypatch):
    shutil.copy(FIXTURES / CLASSIC, tmp_path / CLASSIC)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint(*args: str):
    result = CliRunner().invoke(cli, ["lint", CLASSIC, *args])
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    return result.exit_code, result.stdout, result.stderr


def write_bytes(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


# ------------------------------------------------------------------- 5. encodings
def test_baseline_in_invalid_utf8(work):
    write_bytes(work / "b.json", b'{"findings": [],\n "x": "\xc3"}')
    assert lint("--baseline", "b.json")[::2] == (2, "b.json:2:8: invalid UTF-8 (byte 0xc3)\n")


def test_baseline_in_utf16(work):
    (work / "b.json").write_text('{"findings": []}', encoding="utf-16")
    assert lint("--baseline", "b.json")[::2] == (
        2, "b.json:1:1: UTF-16 input is not supported; save the file as UTF-8\n")


def test_missing_baseline(work):
    assert lint("--baseline", "nope.json")[::2] == (2, "nope.json: baseline file not found\n")


def test_pyproject_in_utf16(work):
    (work / "pyproject.toml").write_text("[tool.oascompile]\nrules = {}\n", encoding="utf-16")
    assert lint("--config", "pyproject.toml")[::2] == (
        2, "pyproject.toml:1:1: UTF-16 input is not supported; save the file as UTF-8\n")


def test_pyproject_in_invalid_utf8(work):
    write_bytes(work / "pyproject.toml", b'[tool.oascompile]\nexclude = ["\xff"]\n')
    code, _, err = lint()
    assert code == 2
    assert err == f"{work / 'pyproject.toml'}:2:13: invalid UTF-8 (byte 0xff)\n"


def test_oascompile_yaml_in_utf16_and_invalid_utf8(work):
    (work / ".oascompile.yaml").write_text("rules: {}\n", encoding="utf-16")
    assert lint()[::2] == (
        2, f"{work / '.oascompile.yaml'}:1:1: UTF-16 input is not supported; save the file as "
           "UTF-8\n")
    write_bytes(work / ".oascompile.yaml", b"rules:\n  token-in-query: off  # \xfe\n")
    assert lint()[::2] == (2, f"{work / '.oascompile.yaml'}:2:26: invalid UTF-8 (byte 0xfe)\n")


# ------------------------------------------------------------------- 5. TOML
def test_invalid_toml_has_line_and_column(work):
    (work / "pyproject.toml").write_text('[tool.oascompile]\nexclude = ["a",, "b"]\n')
    assert lint()[::2] == (2, f"{work / 'pyproject.toml'}:2:16: invalid TOML: Invalid value\n")


def test_invalid_toml_at_the_end_of_the_file(work):
    (work / "pyproject.toml").write_text("[tool.oascompile]\nrules = [\n")
    assert lint()[::2] == (
        2, f"{work / 'pyproject.toml'}:2:10: invalid TOML: Invalid value at the end of the file\n")


def test_toml_semantic_errors_are_located(work):
    (work / "pyproject.toml").write_text('[tool.oascompile]\nexclude = []\nrules = 5\n')
    assert lint()[::2] == (
        2, f"{work / 'pyproject.toml'}:3:1: `rules` must be a mapping of rule id to setting "
           "(at /rules)\n")
    (work / "pyproject.toml").write_text(
        '[tool.oascompile.rules]\n"token-in-query" = "loud"\n')
    assert lint()[::2] == (
        2, f"{work / 'pyproject.toml'}:2:1: rule `token-in-query`: expected off or a severity "
           "(error, warning, info), got 'loud' (at /rules/token-in-query)\n")
    (work / "pyproject.toml").write_text(
        '[tool.oascompile.rules.token-in-query]\nseverity = "loud"\n')
    assert lint()[::2] == (
        2, f"{work / 'pyproject.toml'}:2:1: rule `token-in-query`: unknown severity 'loud' "
           "(at /rules/token-in-query/severity)\n")


def test_toml_without_the_table_when_named(work):
    (work / "cfg.toml").write_text("[tool.other]\nx = 1\n")
    assert lint("--config", "cfg.toml")[::2] == (2, "cfg.toml:1:1: no [tool.oascompile] table\n")


# ------------------------------------------------------------------- 5. empty, directory
@pytest.mark.parametrize("text", ["", "\n\n", "# nothing configured yet\n", "---\n"])
def test_empty_oascompile_yaml_means_defaults(work, text):
    (work / ".oascompile.yaml").write_text(text)
    code, out, err = lint()
    assert code == 1
    assert out.startswith(f"{CLASSIC}:10:19: error token-in-query")


def test_config_that_is_a_directory(work):
    (work / "conf").mkdir()
    assert lint("--config", "conf")[::2] == (
        2, "conf: is a directory, expected a configuration file (.oascompile.yaml or "
           "pyproject.toml)\n")


# ------------------------------------------------------------------- 6. option types
def test_option_of_the_wrong_type_is_exit_2_at_the_option(work):
    (work / ".oascompile.yaml").write_text(
        "rules:\n  signature-secret-plaintext: {options: {reference-prefixes: 5}}\n")
    assert lint()[::2] == (
        2, f"{work / '.oascompile.yaml'}:2:42: rule `signature-secret-plaintext`: option "
           "`reference-prefixes`: expected a list of strings, got integer "
           "(at /rules/signature-secret-plaintext/options/reference-prefixes)\n")


def test_option_list_item_of_the_wrong_type_is_exit_2_at_the_item(work):
    (work / ".oascompile.yaml").write_text(
        "rules:\n  signature-secret-plaintext:\n    options:\n"
        "      reference-prefixes: ['$tyk_meta.', null]\n")
    assert lint()[::2] == (
        2, f"{work / '.oascompile.yaml'}:4:42: rule `signature-secret-plaintext`: option "
           "`reference-prefixes`: item 2 must be a string, got null "
           "(at /rules/signature-secret-plaintext/options/reference-prefixes/1)\n")


def test_option_type_in_pyproject_is_located(work):
    (work / "pyproject.toml").write_text(
        "[tool.oascompile.rules]\n"
        'signature-secret-plaintext = {options = {reference-prefixes = ["a", 5]}}\n')
    assert lint()[::2] == (
        2, f"{work / 'pyproject.toml'}:2:69: rule `signature-secret-plaintext`: option "
           "`reference-prefixes`: item 2 must be a string, got integer "
           "(at /rules/signature-secret-plaintext/options/reference-prefixes/1)\n")


def test_enabled_must_be_a_boolean(work):
    (work / ".oascompile.yaml").write_text("rules:\n  token-in-query:\n    enabled: 'no'\n")
    assert lint()[::2] == (
        2, f"{work / '.oascompile.yaml'}:3:5: rule `token-in-query`: `enabled` must be true or "
           "false (at /rules/token-in-query/enabled)\n")


@pytest.mark.parametrize("kind,value,expected", [
    ("list[str]", ["a", "b"], None),
    ("list[str]", "a", ("", "expected a list of strings, got string")),
    ("list[str]", ["a", True], ("/1", "item 2 must be a string, got boolean")),
    ("int", True, ("", "expected an integer, got boolean")),
    ("int", 3, None),
    ("number", 2.5, None),
    ("bool", 0, ("", "expected true or false, got integer")),
    ("str", None, ("", "expected a string, got null")),
])
def test_option_problem(kind, value, expected):
    assert option_problem(kind, value) == expected


def test_every_option_declares_a_type():
    from oascompile.lint.registry import OPTION_TYPES, all_rules, rule

    for r in all_rules().values():
        assert set(r.option_types) == set(r.options)
        assert all(t in OPTION_TYPES for t in r.option_types.values())
    with pytest.raises(ValueError, match="needs a type"):
        rule(id="x-test-untyped", severity="info", summary="", what="", why="", fix="",
             failing=[], passing=[], options={"n": 1})
