"""No data loss (issue 5): atomic writes, batch migrations that carry on, inputs never
overwritten by accident.

* ``write_atomic`` writes a temporary file in the target directory and renames it into place:
  a failure at any step leaves the old target byte-for-byte intact and no temporary file behind;
* a batch migration reports a broken file and converts the others;
* ``-o`` (and ``--report``, and a batch ``-o DIR``) never overwrites an input unless
  ``--in-place`` is given; two inputs never overwrite each other's output.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from oascompile.cli import cli
from oascompile.commands import common
from oascompile.commands.common import write_atomic
from oascompile.errors import InputError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CLASSIC = FIXTURES / "classic-auth-token.json"


def invoke(args: list[str], cwd: Path):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, args)
    finally:
        os.chdir(old)


def listing(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


# --------------------------------------------------------------------------- write_atomic
def test_write_atomic_replaces_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "t.json"
    target.write_text("old")
    target.chmod(0o600)
    write_atomic(target, "new")
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o600
    assert listing(tmp_path) == ["t.json"]


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_failing_write_leaves_old_target_intact(tmp_path: Path, monkeypatch, step: str) -> None:
    target = tmp_path / "t.json"
    target.write_text("old content")

    def boom(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, step, boom)
    with pytest.raises(InputError) as info:
        write_atomic(target, "new content")
    assert info.value.located() == f"{target}: cannot write: No space left on device"
    assert target.read_text() == "old content"
    assert listing(tmp_path) == ["t.json"]  # the temporary file is cleaned up


def test_unwritable_directory_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    """A read-only directory: for root (who may write anyway) the refusal is simulated where
    the OS would give it, at the creation of the temporary file."""
    ro = tmp_path / "ro"
    ro.mkdir()
    (ro / "t.json").write_text("old")
    ro.chmod(0o555)
    if os.geteuid() == 0:
        def refuse(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            raise PermissionError(13, "Permission denied")
        monkeypatch.setattr(tempfile, "mkstemp", refuse)
    try:
        with pytest.raises(InputError) as info:
            write_atomic(ro / "t.json", "new")
        assert info.value.located() == f"{ro / 't.json'}: cannot write: permission denied"
        assert (ro / "t.json").read_text() == "old"
    finally:
        ro.chmod(0o755)


def test_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot write: the directory does not exist"):
        write_atomic(tmp_path / "nope" / "t.json", "x")


def test_compile_to_unwritable_output_exits_2_and_keeps_old_output(tmp_path: Path,
                                                                   monkeypatch) -> None:
    shutil.copy(CLASSIC, tmp_path / "in.json")
    (tmp_path / "out.json").write_text("previous output")
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(OSError(5, "I/O error")))
    result = invoke(["compile", "in.json", "--to", "oas", "-o", "out.json"], tmp_path)
    assert result.exit_code == 2
    assert result.stderr == "out.json: cannot write: I/O error\n"
    assert (tmp_path / "out.json").read_text() == "previous output"
    assert listing(tmp_path) == ["in.json", "out.json"]


# --------------------------------------------------------------------------- batch
def test_batch_reports_broken_file_and_converts_the_others(tmp_path: Path) -> None:
    src = tmp_path / "apis"
    (src / "team").mkdir(parents=True)
    shutil.copy(CLASSIC, src / "a.json")
    shutil.copy(CLASSIC, src / "team" / "c.json")
    (src / "b.json").write_text('{"api_id": "x", "auth_configs": {"authToken": {"use_param": 1}}}')
    result = invoke(["compile", "apis", "--to", "oas", "-o", "out", "--report", "r.json"],
                    tmp_path)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[1] == ("error: apis/b.json:1:48: `use_param` must be a boolean, "
                        "not integer (1) (at /auth_configs/authToken/use_param)")
    assert lines[-1] == ("2 converted, 0 skipped (already Tyk OAS, or not an API definition), "
                         "1 failed")
    assert listing(tmp_path / "out") == ["a.json", "team"]
    assert json.loads((tmp_path / "out" / "team" / "c.json").read_text())["openapi"] == "3.0.3"
    reports = json.loads((tmp_path / "r.json").read_text())
    assert [(r["input"], r.get("error") is not None) for r in reports] == [
        ("apis/a.json", False), ("apis/b.json", True), ("apis/team/c.json", False)]


def test_batch_with_a_failing_write_carries_on(tmp_path: Path, monkeypatch) -> None:
    src = tmp_path / "apis"
    src.mkdir()
    for name in ("a.json", "b.json", "c.json"):
        shutil.copy(CLASSIC, src / name)
    real = common.write_atomic

    def flaky(path, data):  # noqa: ANN001, ANN202
        if str(path).endswith("b.json"):
            raise InputError("cannot write: No space left on device", str(path))
        return real(path, data)

    monkeypatch.setattr("oascompile.commands.compile.write_atomic", flaky)
    result = invoke(["compile", "apis", "--to", "oas", "-o", "out"], tmp_path)
    assert result.exit_code == 2
    assert "apis/b.json: error: out/b.json: cannot write: No space left on device" \
        in result.stderr
    assert listing(tmp_path / "out") == ["a.json", "c.json"]


# --------------------------------------------------------------------------- own input
def test_output_never_overwrites_its_input_without_in_place(tmp_path: Path) -> None:
    shutil.copy(CLASSIC, tmp_path / "in.json")
    os.link(tmp_path / "in.json", tmp_path / "hard.json")
    before = (tmp_path / "in.json").read_bytes()
    for out in ("in.json", "./in.json", "hard.json"):
        result = invoke(["compile", "in.json", "--to", "oas", "-o", out], tmp_path)
        assert result.exit_code == 2
        assert result.stderr == (f"{out}: -o names the input file; refusing to overwrite it "
                                 "(add --in-place)\n")
    assert (tmp_path / "in.json").read_bytes() == before
    result = invoke(["compile", "in.json", "--to", "oas", "-o", "in.json", "--in-place"],
                    tmp_path)
    assert result.exit_code == 0
    assert json.loads((tmp_path / "in.json").read_text())["openapi"] == "3.0.3"


def test_report_never_overwrites_the_input_or_the_output(tmp_path: Path) -> None:
    """Regression: --report naming the input replaced the definition with the report."""
    shutil.copy(CLASSIC, tmp_path / "in.json")
    before = (tmp_path / "in.json").read_bytes()
    result = invoke(["compile", "in.json", "--to", "oas", "--report", "in.json"], tmp_path)
    assert (result.exit_code, result.stderr) == (
        2, "in.json: --report names the input file; refusing to overwrite it\n")
    result = invoke(["compile", "in.json", "--to", "oas", "-o", "o.json", "--report", "o.json"],
                    tmp_path)
    assert (result.exit_code, result.stderr) == (
        2, "o.json: -o and --report name the same file; give them different paths\n")
    assert (tmp_path / "in.json").read_bytes() == before
    assert listing(tmp_path) == ["in.json"]


def test_batch_into_its_own_directory_needs_in_place(tmp_path: Path) -> None:
    """Regression: `compile apis -o apis` silently converted every input in place."""
    src = tmp_path / "apis"
    src.mkdir()
    shutil.copy(CLASSIC, src / "a.json")
    before = (src / "a.json").read_bytes()
    result = invoke(["compile", "apis", "--to", "oas", "-o", "apis"], tmp_path)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "error: apis/a.json: the output apis/a.json would overwrite the input "
        "apis/a.json; refusing (use another -o directory, or --in-place)")
    assert (src / "a.json").read_bytes() == before
    result = invoke(["compile", "apis", "--to", "oas", "-o", "apis", "--in-place"], tmp_path)
    assert result.exit_code == 0
    assert json.loads((src / "a.json").read_text())["openapi"] == "3.0.3"


def test_batch_never_lets_one_input_overwrite_another(tmp_path: Path) -> None:
    """Regression: a.yaml's output replaced the input a.json (and, with another -o, the output
    of a.json)."""
    src = tmp_path / "apis"
    src.mkdir()
    shutil.copy(CLASSIC, src / "a.json")
    shutil.copy(FIXTURES / "classic-keyless.json", src / "a.yaml")
    before = (src / "a.json").read_bytes()
    result = invoke(["compile", "apis", "--to", "oas", "-o", "apis", "--in-place"], tmp_path)
    assert result.exit_code == 2
    assert ("error: apis/a.yaml: apis/a.json was already written for apis/a.json "
            "in this run; refusing to overwrite it") in result.stderr
    assert (src / "a.json").read_bytes() != before  # converted in place, as asked
    shutil.copy(CLASSIC, src / "a.json")
    result = invoke(["compile", "apis", "--to", "oas", "-o", "out"], tmp_path)
    assert result.exit_code == 2
    assert json.loads((tmp_path / "out" / "a.json").read_text())[
        "x-tyk-api-gateway"]["info"]["id"] == "petstore"


def test_test_command_output_never_overwrites_an_input(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "cases" / "header-token.cases.yaml", tmp_path / "c.yaml")
    before = (tmp_path / "c.yaml").read_bytes()
    result = invoke(["test", str(FIXTURES / "eval-header-token.json"), "c.yaml", "-o", "c.yaml"],
                    tmp_path)
    assert (result.exit_code, result.stderr) == (
        2, "c.yaml: -o names CASES; refusing to overwrite an input\n")
    assert (tmp_path / "c.yaml").read_bytes() == before
