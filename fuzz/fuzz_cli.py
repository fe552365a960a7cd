"""Coverage-guided fuzz target for atheris (libFuzzer): lint, compile and eval on raw bytes.

Run (atheris is optional: ``.venv/bin/pip install atheris``; the wheel needs CPython ≤ 3.11 on
x86-64 Linux, or clang to build from source)::

    .venv/bin/python fuzz/fuzz_cli.py fuzz/corpus -max_total_time=600 -rss_limit_mb=2048

``fuzz/corpus`` is created and seeded with ``fixtures/`` on first use.  The first byte of each
input picks the command (lint, compile --to oas, compile --to classic, eval with the input as
the definition, eval with the input as the request); the rest is the file.  The contract
checked is the one tests/test_fuzz.py checks: exit code 0, 1 or 2, no uncaught exception, no
``internal error``, and a message on stderr for exit 2.  A violation raises, so libFuzzer saves
the input as ``crash-*``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from click.testing import CliRunner

    from oascompile.cli import cli

REPO = Path(__file__).resolve().parents[1]
WORK = Path(tempfile.mkdtemp(prefix="oascompile-atheris-"))
DEFINITION = str(REPO / "fixtures" / "eval-header-token.json")
REQUEST = b"GET /petstore/pets HTTP/1.1\r\nHost: h\r\nX-API-Key: KEY123\r\n\r\n"


def check(args: list[str], stdin: bytes | None = None) -> None:
    """Run one command in-process; raise AssertionError when the hardening contract breaks."""
    result = CliRunner().invoke(cli, args, input=stdin, catch_exceptions=True)
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        raise AssertionError(f"{args}: uncaught {type(exc).__name__}: {exc}") from exc
    if result.exit_code not in (0, 1, 2):
        raise AssertionError(f"{args}: exit code {result.exit_code}")
    if "internal error" in result.stderr:
        raise AssertionError(f"{args}: {result.stderr.strip()}")
    if result.exit_code == 2 and not result.stderr.strip():
        raise AssertionError(f"{args}: exit 2 without a message")


def test_one_input(data: bytes) -> None:
    """libFuzzer entry point: one input → one command."""
    if not data:
        return
    choice, body = data[0] % 5, data[1:]
    suffix = ".yaml" if data[0] & 0x80 else ".json"
    path = WORK / f"input{suffix}"
    path.write_bytes(body)
    if choice == 0:
        check(["lint", "--format", "json", str(path)])
    elif choice in (1, 2):
        check(["compile", str(path), "--to", "oas" if choice == 1 else "classic"])
    elif choice == 3:
        check(["eval", str(path), "--request", "-", "--format", "json"], REQUEST)
    else:
        check(["eval", DEFINITION, "--request", str(path), "--format", "text"])


def _seed(corpus: Path) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    if any(corpus.iterdir()):
        return
    for i, src in enumerate(sorted((REPO / "fixtures").glob("*.*"))):
        if src.suffix in (".json", ".yaml"):
            for cmd in range(4):
                head = bytes([cmd | (0x80 if src.suffix == ".yaml" else 0)])
                (corpus / f"seed-{i}-{cmd}").write_bytes(head + src.read_bytes())
    (corpus / "seed-request").write_bytes(bytes([4]) + REQUEST)


def main() -> None:
    """Seed the corpus directory named on the command line (if any), then fuzz."""
    dirs = [a for a in sys.argv[1:] if not a.startswith("-")]
    if dirs:
        _seed(Path(dirs[0]))
    atheris.Setup(sys.argv, test_one_input)
    try:
        atheris.Fuzz()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("NO_COLOR", "1")
    main()
