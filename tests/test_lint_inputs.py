"""``oascompile lint``: which files are linted and what the run says about them — files that
are not API definitions found in a directory, nothing to lint, the clean-run summary, inputs
named twice, and outputs that would overwrite an input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from oascompile.cli import cli

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
CLASSIC = "lint-classic-query.json"
CLEAN = "lint-classic-clean.json"
SKIP_NOTE = ("oascompile: skipped 2 file(s) that are not API definitions "
             "(use --verbose to list them)")


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A working directory: two definitions in apis/, plus a sessions file and a test-case file
    (parseable YAML that is not an API definition), and a config that stops the upward search."""
    apis = tmp_path / "apis"
    (apis / "cases").mkdir(parents=True)
    shutil.copy(FIXTURES / CLASSIC, apis / CLASSIC)
    shutil.copy(FIXTURES / CLEAN, apis / CLEAN)
    shutil.copy(FIXTURES / "eval-sessions.yaml", apis / "sessions.yaml")
    shutil.copy(FIXTURES / "cases" / "header-token.cases.yaml", apis / "cases" / "h.cases.yaml")
    (tmp_path / ".oascompile.yaml").write_text("rules: {}\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint(*args: str):
    result = CliRunner().invoke(cli, ["lint", *args])
    return result.exit_code, result.stdout, result.stderr


# ------------------------------------------------------------- 1. not API definitions
def test_directory_search_skips_files_that_are_not_definitions(work):
    code, out, err = lint("apis")
    assert code == 1
    assert out == (f"apis/{CLASSIC}:10:19: error token-in-query auth_configs.authToken accepts "
                   "the token from the query parameter `api_key`; URLs are logged and sent in "
                   "Referer\n")
    assert err.splitlines() == [SKIP_NOTE,
                                "1 finding(s) (1 error, 0 warning, 0 info) in 2 file(s)"]


def test_verbose_lists_the_skipped_files(work):
    code, _, err = lint("apis", "--verbose")
    assert code == 1
    lines = err.splitlines()
    assert [line.split(": skipped: ")[0] for line in lines[:2]] == [
        "apis/cases/h.cases.yaml", "apis/sessions.yaml"]
    assert lines[0].endswith(": skipped: not an API definition: expected a Tyk OAS API "
                             "definition (top-level `openapi`) or a Tyk Classic API definition "
                             "(one of `api_id`, `proxy`, `auth_configs`, `use_keyless`, "
                             "`use_standard_auth`)")
    assert SKIP_NOTE not in err


def test_skipped_files_are_not_in_machine_output(work):
    code, out, err = lint("apis", "--format", "json")
    assert code == 1
    body = json.loads(out)
    assert body["files"] == 2 and "errors" not in body
    assert err == ""


def test_explicit_file_that_is_not_a_definition_is_still_exit_2(work):
    code, _, err = lint("apis/sessions.yaml")
    assert code == 2
    assert "apis/sessions.yaml:1:1: not an API definition: expected a Tyk OAS" in err


def test_broken_file_found_in_a_directory_is_still_exit_2(work):
    (work / "apis" / "broken.yaml").write_text("openapi: 3.0.3\ninfo: [\n")
    code, _, err = lint("apis")
    assert code == 2
    assert "apis/broken.yaml:3:1: invalid YAML" in err
    assert SKIP_NOTE in err


# ------------------------------------------------------------- 2. nothing linted
def test_empty_directory_is_exit_2(work):
    (work / "empty").mkdir()
    code, out, err = lint("empty")
    assert (code, out) == (2, "")
    assert err == "oascompile: no API definitions found in empty\n"


def test_only_non_definitions_is_exit_2(work):
    code, out, err = lint("apis/cases")
    assert (code, out) == (2, "")
    assert err == ("oascompile: no API definitions found in apis/cases "
                   "(1 file(s) skipped: not API definitions)\n")


def test_include_matching_nothing_is_exit_2_and_writes_nothing(work):
    (work / ".oascompile.yaml").write_text("include: ['nowhere/*']\n")
    code, out, err = lint("apis", "--format", "json", "-o", "report.json",
                          "--write-baseline", "base.json")
    assert (code, out) == (2, "")
    assert err == "oascompile: no API definitions found in apis\n"
    assert not (work / "report.json").exists() and not (work / "base.json").exists()


# ------------------------------------------------------------- 3. clean-run summary
def test_clean_run_prints_a_summary_on_stderr_only(work):
    code, out, err = lint(f"apis/{CLEAN}")
    assert (code, out, err) == (0, "", "no findings in 1 file(s)\n")


def test_all_findings_suppressed_prints_the_summary(work):
    (work / ".oascompile.yaml").write_text("rules: {}\n")
    text = (FIXTURES / CLASSIC).read_text()
    data = json.loads(text)
    data["auth_configs"]["authToken"]["x-oascompile-ignore"] = ["token-in-query"]
    (work / "x.json").write_text(json.dumps(data, indent=2))
    code, out, err = lint("x.json")
    assert (code, out, err) == (0, "", "no findings in 1 file(s); 1 suppressed\n")


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "junit"])
def test_machine_formats_print_no_summary(work, fmt):
    code, out, err = lint(f"apis/{CLEAN}", "--format", fmt)
    assert code == 0 and err == ""
    if fmt == "json":
        assert json.loads(out) == {"files": 1, "findings": []}


# ------------------------------------------------------------- 12. the same file twice
def test_same_file_given_twice_is_linted_once(work):
    code, out, err = lint(f"apis/../apis/{CLASSIC}", f"apis/{CLASSIC}", "--format", "json")
    body = json.loads(out)
    assert code == 1 and body["files"] == 1
    assert [(f["file"], f["line"], f["column"]) for f in body["findings"]] == [
        (f"apis/../apis/{CLASSIC}", 10, 19)]


def test_file_named_and_found_in_a_directory_is_linted_once(work):
    code, out, _ = lint(f"apis/{CLASSIC}", "apis", "--format", "json")
    body = json.loads(out)
    assert code == 1 and body["files"] == 2
    assert [f["file"] for f in body["findings"]] == [f"apis/{CLASSIC}"]


# ------------------------------------------------------------- 4. outputs vs inputs
def test_output_over_the_linted_file_is_refused(work):
    before = (work / "apis" / CLASSIC).read_bytes()
    code, out, err = lint(f"apis/{CLASSIC}", "-o", f"apis/{CLASSIC}")
    assert (code, out) == (2, "")
    assert err == (f"apis/{CLASSIC}: -o would overwrite apis/{CLASSIC}, which this run reads; "
                   "refusing (an output never overwrites an input)\n")
    assert (work / "apis" / CLASSIC).read_bytes() == before


def test_write_baseline_over_a_file_found_in_a_directory_is_refused(work):
    before = (work / "apis" / CLEAN).read_bytes()
    code, _, err = lint("apis", "--write-baseline", f"./apis/{CLEAN}")
    assert code == 2
    assert err == (f"./apis/{CLEAN}: --write-baseline would overwrite apis/{CLEAN}, which this "
                   "run reads; refusing (an output never overwrites an input)\n")
    assert (work / "apis" / CLEAN).read_bytes() == before


def test_write_baseline_over_the_baseline_read_is_refused(work):
    assert lint(f"apis/{CLASSIC}", "--write-baseline", "b.json")[0] == 0
    before = (work / "b.json").read_bytes()
    code, _, err = lint(f"apis/{CLASSIC}", "--baseline", "b.json", "--write-baseline", "./b.json")
    assert code == 2
    assert err == ("./b.json: --write-baseline would overwrite b.json, which this run reads; "
                   "refusing (an output never overwrites an input)\n")
    assert (work / "b.json").read_bytes() == before


def test_output_and_write_baseline_naming_one_file_is_refused(work):
    code, _, err = lint(f"apis/{CLASSIC}", "--write-baseline", "same.json", "-o", "same.json")
    assert code == 2
    assert err == ("same.json: -o and --write-baseline name the same file; give them different "
                   "files\n")
    assert not (work / "same.json").exists()


def test_output_over_the_config_file_is_refused(work):
    code, _, err = lint(f"apis/{CLASSIC}", "-o", ".oascompile.yaml")
    assert code == 2
    assert "would overwrite" in err and ".oascompile.yaml" in err
    assert (work / ".oascompile.yaml").read_text() == "rules: {}\n"


def test_output_through_a_hard_link_to_an_input_is_refused(work):
    (work / "link.json").hardlink_to(work / "apis" / CLASSIC)
    code, _, err = lint(f"apis/{CLASSIC}", "-o", "link.json")
    assert code == 2 and err.startswith("link.json: -o would overwrite")


def test_unwritable_output_is_refused_before_linting(work):
    code, out, err = lint(f"apis/{CLASSIC}", "-o", "missing/dir/report.txt")
    assert (code, out) == (2, "")
    assert err == "missing/dir/report.txt: cannot write: the directory does not exist\n"
    code, _, err = lint(f"apis/{CLASSIC}", "--write-baseline", "apis")
    assert (code, err) == (2, "apis: cannot write: it is a directory\n")


# ------------------------------------------------------------- 8. JSON the loader refuses
@pytest.mark.parametrize("body,where", [
    ('{\n  "api_id": "x",\n  "use_keyless": NaN\n}\n',
     "bad.json:3:18: invalid JSON: NaN is not a JSON number"),
    ('{\n  "api_id": "x",\n  "name": -Infinity\n}\n',
     "bad.json:3:11: invalid JSON: -Infinity is not a JSON number"),
    ('{\n  "api_id": "x",\n  "name": "\\ud800"\n}\n',
     "bad.json:3:3: a string holds a lone UTF-16 surrogate escape (\\ud800-\\udfff without its "
     "pair), which is not valid Unicode (at /name)"),
])
def test_json_the_loader_refuses_is_exit_2_with_position(work, body, where):
    (work / "bad.json").write_text(body)
    code, out, err = lint("bad.json")
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == where


def test_trailing_comma_in_json_is_a_json_syntax_error(work):
    text = (FIXTURES / CLEAN).read_text().rstrip().rstrip("}").rstrip() + ",\n}\n"
    (work / "comma.json").write_text(text)
    code, out, _ = lint("comma.json")
    assert code == 1
    assert out == ("comma.json:15:1: error json-syntax invalid JSON: Expecting property name "
                   "enclosed in double quotes; Tyk refuses this file (oascompile read it as "
                   "YAML)\n")


def test_max_size_limits_linted_files(tmp_path):
    from click.testing import CliRunner

    from oascompile.cli import cli

    path = tmp_path / "api.json"
    path.write_text('{"api_id": "a", "name": "' + "x" * 200 + '"}')
    result = CliRunner().invoke(cli, ["lint", str(path), "--max-size", "100"])
    assert result.exit_code == 2
    assert (f"{path}:1:1: input is larger than the limit of 100 bytes (raise it with "
            "--max-size)") in result.stderr


def test_ignore_unknown_skips_named_non_definitions(tmp_path):
    """pre-commit names every changed file; --ignore-unknown (the hook's entry) skips the ones
    that are not API definitions, while a broken file still fails."""
    from click.testing import CliRunner

    from oascompile.cli import cli

    sessions = tmp_path / "sessions.yaml"
    sessions.write_text("KEY123: {org_id: org1}\n")
    api = tmp_path / "api.json"
    api.write_text((Path(__file__).resolve().parents[1] / "fixtures" / "lint-classic-clean.json")
                   .read_text())
    broken = tmp_path / "broken.json"
    broken.write_text('{"api_id": "a",, }')  # looks like a definition: must fail
    plain = CliRunner().invoke(cli, ["lint", str(sessions), str(api)])
    assert plain.exit_code == 2
    skipping = CliRunner().invoke(cli, ["lint", "--ignore-unknown", str(sessions), str(api)])
    assert skipping.exit_code == 0, skipping.stderr
    assert "skipped 1 file(s) that are not API definitions" in skipping.stderr
    still = CliRunner().invoke(cli, ["lint", "--ignore-unknown", str(broken), str(api)])
    assert still.exit_code == 2


def test_ignore_unknown_with_only_non_definitions_is_exit_0(tmp_path):
    """A commit touching only package.json, a CloudFormation template or a Kubernetes manifest
    must not fail the hook; a file that looks like a broken definition still does."""
    from click.testing import CliRunner

    from oascompile.cli import cli

    (tmp_path / "package.json").write_text('{"name": "x"}')
    (tmp_path / "cfn.yaml").write_text("Resources:\n  B:\n    Properties: {Name: !Ref Foo}\n")
    (tmp_path / "multi.yaml").write_text("a: 1\n---\nb: 2\n")
    (tmp_path / "broken.json").write_text('{\n "api_id": "a",,\n}')
    names = [str(tmp_path / n) for n in ("package.json", "cfn.yaml", "multi.yaml")]
    result = CliRunner().invoke(cli, ["lint", "--ignore-unknown", *names])
    assert result.exit_code == 0, result.stderr
    assert "(3 file(s) skipped: not API definitions)" in result.stderr
    broken = CliRunner().invoke(cli, ["lint", "--ignore-unknown", *names,
                                      str(tmp_path / "broken.json")])
    assert broken.exit_code == 2
    assert f"{tmp_path / 'broken.json'}:2:16: invalid JSON" in broken.stderr


def test_dash_output_is_stdout(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from oascompile.cli import cli

    monkeypatch.chdir(tmp_path)
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "lint-classic-query.json"
    result = CliRunner().invoke(cli, ["lint", str(fixture), "--format", "json", "-o", "-"])
    assert result.exit_code == 1
    assert '"rule": "token-in-query"' in result.stdout
    assert not (tmp_path / "-").exists()
