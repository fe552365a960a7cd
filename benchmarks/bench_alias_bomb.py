"""Measure how fast and in how little memory a YAML alias bomb is refused (issue 5, "Limits").

Usage: ``.venv/bin/python benchmarks/bench_alias_bomb.py [LEVELS [WIDTH]]`` (default 9 × 9,
the classic "billion laughs": 9**9 ≈ 387 million nodes once expanded).  Each command runs in a
fresh subprocess; the script prints, per command, the exit code, the wall-clock seconds and the
peak resident memory (``ru_maxrss`` of the child) in MB.  Nothing is asserted here: the test
suite asserts refusal and memory (tests/test_bad_inputs.py), timing is only measured.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """A Tyk Classic-looking YAML document whose aliases expand to ``width ** levels`` nodes."""
    lines = ["api_id: bomb", f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def measure(args: list[str]) -> tuple[int, float, float, str]:
    """Run ``python -m oascompile ARGS``; return (exit code, seconds, peak MB, first stderr line)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "oascompile", *args], capture_output=True,
                          text=True, timeout=120)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far; each run is larger or equal to the
    # interpreter baseline, so report the value after this run
    del before
    return proc.returncode, seconds, peak_kb / 1024, (proc.stderr.splitlines() or [""])[0]


def main() -> None:
    levels = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    width = int(sys.argv[2]) if len(sys.argv) > 2 else 9
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bomb.yaml")
        with open(path, "w") as fh:
            fh.write(alias_bomb(levels, width))
        req = os.path.join(tmp, "r.http")
        with open(req, "w") as fh:
            fh.write("GET / HTTP/1.1\n\n")
        print(f"alias bomb: {levels} levels x {width} = {width ** levels:,} nodes expanded, "
              f"{os.path.getsize(path)} bytes")
        for args in (["compile", path, "--to", "oas"], ["lint", path],
                     ["eval", path, "--request", req]):
            code, seconds, mb, first = measure(args)
            print(f"{args[0]:8} exit {code}  {seconds:.3f} s  peak {mb:.1f} MB  {first[:90]}")


if __name__ == "__main__":
    main()
