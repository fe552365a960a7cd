"""No network by default (issue 5): lint, compile, eval and test never open a connection.

A socket guard replaces ``socket.socket.connect``/``connect_ex``, ``socket.create_connection``
and ``socket.getaddrinfo`` with functions that record the attempt and refuse it; the commands
then run in-process (click CliRunner) over documents with remote ``$ref`` s: the shared
``tyk-gateway-api.yaml`` (twelve refs to raw.githubusercontent.com) and two small fixtures of
our own.  The guard itself is checked first, so these tests can fail.
"""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from oascompile.cli import cli

HERE = Path(__file__).resolve().parent
BAD = HERE / "bad_inputs"
REMOTE_IN_PATHS = BAD / "remote-ref-in-paths.yaml"      # a response schema on another host
REMOTE_SCHEME = BAD / "oas-ref-remote.yaml"             # the security scheme itself is remote
REQUEST = "GET /petstore/pets HTTP/1.1\nHost: example.test\nX-API-Key: KEY123\n\n"


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Install the socket guard; return the list it records attempts in."""
    seen: list[str] = []

    def refuse(what: str):  # noqa: ANN202
        def guard(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            seen.append(f"{what}{args[1:] if what.startswith('socket.') else args}")
            raise OSError(f"network access refused by the test guard ({what})")
        return guard

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    return seen


def test_the_guard_records_and_refuses(attempts: list[str]) -> None:
    with pytest.raises(OSError, match="refused by the test guard"):
        urllib.request.urlopen("http://example.test/", timeout=1)
    assert attempts and attempts[0].startswith(("getaddrinfo", "create_connection"))


def _run(args: list[str], stdin: str | None = None):
    return CliRunner().invoke(cli, args, input=stdin, catch_exceptions=False)


def test_lint_never_fetches_remote_refs(attempts: list[str]) -> None:
    result = _run(["lint", "--format", "json", "--fail-on", "warning", str(REMOTE_IN_PATHS),
                   str(REMOTE_SCHEME)])
    assert result.exit_code == 1, result.stderr  # remote-ref-not-fetched is a warning
    assert attempts == []
    assert "remote $ref https://schemas.example.test/pets.json was not fetched" in result.stdout
    assert _run(["lint", str(REMOTE_IN_PATHS)]).exit_code == 0  # valid: not an error
    assert attempts == []


def test_compile_never_fetches_remote_refs(attempts: list[str], tmp_path: Path) -> None:
    ok = _run(["compile", str(REMOTE_IN_PATHS), "--to", "classic", "--validate-openapi"])
    assert ok.exit_code == 0, ok.stderr
    refused = _run(["compile", str(REMOTE_SCHEME), "--to", "classic"])
    assert refused.exit_code == 2
    assert "points outside this document; oascompile does not fetch or read it" in refused.stderr
    batch = _run(["compile", str(BAD), "--to", "classic", "-o", str(tmp_path / "out")])
    assert batch.exit_code == 2  # the directory holds broken files; each is reported
    assert attempts == []


def test_eval_and_test_never_fetch(attempts: list[str]) -> None:
    result = _run(["eval", str(REMOTE_IN_PATHS), "--request", "-", "--format", "json"], REQUEST)
    assert result.exit_code == 0, result.stderr
    assert '"token": "KEY123"' in result.stdout
    assert _run(["eval", str(REMOTE_SCHEME), "--request", "-"], REQUEST).exit_code == 2
    cases = HERE.parent / "fixtures" / "cases" / "header-token.cases.yaml"
    definition = HERE.parent / "fixtures" / "eval-header-token.json"
    assert _run(["test", str(definition), str(cases)]).exit_code == 0
    assert attempts == []


def test_shared_tyk_gateway_api_with_remote_refs(attempts: list[str], shared_dir: Path) -> None:
    path = str(shared_dir / "corpus" / "apikey" / "tyk-gateway-api.yaml")
    lint = _run(["lint", "--format", "json", path])
    assert lint.exit_code in (0, 1), lint.stderr
    assert "raw.githubusercontent.com/TykTechnologies/tyk/refs/heads/master/apidef/oas/" \
           "schema/3.0.json was not fetched" in lint.stdout
    compiled = _run(["compile", path, "--to", "classic", "--validate-openapi"])
    assert compiled.exit_code == 0, compiled.stderr
    ev = _run(["eval", path, "--request", "-", "--format", "json"], "GET / HTTP/1.1\n\n")
    assert ev.exit_code == 0, ev.stderr
    assert attempts == []


def test_allow_remote_refs_is_the_only_way_to_the_network(attempts: list[str]) -> None:
    """Control: with --allow-remote-refs lint does try to fetch (and the guard sees it); the
    refused connection is reported, not a crash."""
    result = _run(["lint", "--format", "json", "--allow-remote-refs", str(REMOTE_IN_PATHS)])
    assert result.exit_code in (1, 2), result.stderr
    assert "Traceback" not in result.stderr
    assert any("schemas.example.test" in a for a in attempts), attempts
