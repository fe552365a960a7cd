"""Benchmark: `oascompile lint` side by side with other OpenAPI linters, plus compile and eval.

Not a test.  Run from the repository (see benchmarks/README.md):

    .venv/bin/python benchmarks/bench_lint.py [--runs 7] [--corpus ../shared/corpus]

Times, in one run and alternating (the order of the tools rotates every round, after one
untimed warm-up round), `oascompile lint` against openapi-spec-validator's CLI (pip) and, when
installed, Redocly CLI (`redocly lint`) and Spectral (`spectral lint`, with a generated
`extends: spectral:oas` ruleset), on a small Tyk OAS definition, Stripe's 4.17 MB OpenAPI
description and the 75 Tyk definitions of the corpus in one invocation.  Reports the median
wall time, the median peak memory of the child (max RSS from ``os.wait4``) and the ratios
oascompile / peer as a Markdown table with the date and the machine.  Then: `oascompile
compile` of the Classic definitions in one batch vs one process per file, and evaluations per
second of the engine (benchmarks/bench_engine.py).

No tool is allowed to reach the network: the inputs have no remote `$ref`, Redocly's telemetry
and update check are switched off, and every tool runs in an empty temporary directory (so no
configuration file is picked up).  openapi-spec-validator runs with its stock pure-Python
backend (what `pip install openapi-spec-validator` gives) unless `--osv-backend auto`.  The
oascompile package is byte-compiled first, as an installed copy is.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NPM_HINT = "npm install -g @redocly/cli@2 @stoplight/spectral-cli@6"
QUIET_NODE = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
              "NO_UPDATE_NOTIFIER": "1", "NO_COLOR": "1", "DO_NOT_TRACK": "1"}


@dataclass
class Sample:
    """Measurements of one tool on one case: wall seconds, peak RSS in MB, exit codes."""

    walls: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    codes: set[int] = field(default_factory=set)

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def mb(self) -> float:
        return statistics.median(self.rss)


def run_once(argv: list[str], cwd: str, env: dict[str, str]) -> tuple[float, float, int]:
    """Run ``argv`` once; return (wall seconds, peak RSS MB of the child, exit code)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, proc.returncode


def tools(args: argparse.Namespace, workdir: str) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Command prefix and environment of every available linter (oascompile first)."""
    base = dict(os.environ)
    oascompile = [str(BIN / "oascompile")] if (BIN / "oascompile").exists() else \
        [sys.executable, "-m", "oascompile"]
    found = {"oascompile": (oascompile + ["lint"], base)}
    osv = shutil.which("openapi-spec-validator", path=str(BIN)) or \
        shutil.which("openapi-spec-validator")
    if osv:
        env = dict(base)
        if args.osv_backend != "auto":
            env["OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND"] = args.osv_backend
        found["openapi-spec-validator"] = ([osv], env)
    else:
        print("openapi-spec-validator not found: pip install openapi-spec-validator",
              file=sys.stderr)
    node_env = {**base, **QUIET_NODE}
    redocly, spectral = shutil.which("redocly"), shutil.which("spectral")
    if redocly:
        found["Redocly CLI"] = ([redocly, "lint"], node_env)
    if spectral:
        ruleset = Path(workdir, ".spectral.yaml")
        ruleset.write_text('extends: ["spectral:oas"]\n', encoding="utf-8")
        found["Spectral"] = ([spectral, "lint", "--ruleset", str(ruleset)], node_env)
    if not (redocly and spectral):
        print(f"Redocly CLI and/or Spectral not installed; skipped. Install: {NPM_HINT}",
              file=sys.stderr)
    return found


def version(argv: list[str], env: dict[str, str]) -> str:
    """First non-banner line of ``argv --version`` (empty when it fails)."""
    try:
        out = subprocess.run(argv + ["--version"], capture_output=True, text=True, env=env,
                             timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    lines = [ln.strip() for ln in (out.stdout + out.stderr).splitlines()
             if ln.strip() and ln.strip()[0].isalnum()]
    return lines[0] if lines else ""


def measure(cases: dict[str, list[str]], found: dict, runs: int, workdir: str,
            peers_for: dict[str, set[str]]) -> dict[str, dict[str, Sample]]:
    """Alternating runs: per round, every (case, tool) once, tool order rotated."""
    results = {c: {n: Sample() for n in found if n in peers_for[c]} for c in cases}
    for round_no in range(runs + 1):  # round 0 warms caches and is not recorded
        for case, files in cases.items():
            names = [n for n in found if n in peers_for[case]]
            shift = round_no % len(names)
            for name in names[shift:] + names[:shift]:
                prefix, env = found[name]
                wall, mb, code = run_once(prefix + files, workdir, env)
                if round_no:
                    sample = results[case][name]
                    sample.walls.append(wall)
                    sample.rss.append(mb)
                    sample.codes.add(code)
        print(f"  round {round_no}/{runs} done", file=sys.stderr)
    return results


def machine() -> str:
    """`uname -m`, CPU model from /proc/cpuinfo, logical cores, OS and Python."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{platform.machine()}, {model}, {os.cpu_count()} cores, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def table(results: dict[str, dict[str, Sample]], labels: dict[str, str]) -> list[str]:
    rows = ["| input | tool | median wall s | peak MB | oascompile / tool (wall) | exit |",
            "|---|---|---:|---:|---:|---|"]
    for case, by_tool in results.items():
        ours = by_tool["oascompile"].wall
        for name, sample in by_tool.items():
            ratio = "—" if name == "oascompile" else f"{ours / sample.wall:.2f}"
            codes = ",".join(str(c) for c in sorted(sample.codes))
            rows.append(f"| {labels[case]} | {name} | {sample.wall:.3f} | {sample.mb:.0f} | "
                        f"{ratio} | {codes} |")
    return rows


def goals(results: dict[str, dict[str, Sample]]) -> list[str]:
    small, stripe, tyk = (results.get(k, {}) for k in ("small", "stripe", "tyk"))
    out = []

    def check(text: str, value: float | None, limit: float) -> None:
        if value is None:
            out.append(f"- {text}: not measured (peer missing)")
        else:
            out.append(f"- {text}: {value:.2f} ({'met' if value <= limit else 'NOT met'})")

    def ratio(case: dict, peer: str) -> float | None:
        return case["oascompile"].wall / case[peer].wall if peer in case else None

    check("small file, oascompile / Redocly wall (goal ≤ 0.5)", ratio(small, "Redocly CLI"), 0.5)
    for peer in ("openapi-spec-validator", "Spectral"):
        check(f"small file, oascompile / {peer} wall (goal < 1)", ratio(small, peer), 0.999)
    check("Stripe, oascompile / Redocly wall (goal ≤ 1.0)", ratio(stripe, "Redocly CLI"), 1.0)
    check("Stripe, oascompile / openapi-spec-validator wall (goal ≤ 0.38)",
          ratio(stripe, "openapi-spec-validator"), 0.38)
    if tyk and small:
        check("75 Tyk definitions / small file, oascompile wall (goal ≤ 2)",
              tyk["oascompile"].wall / small["oascompile"].wall, 2.0)
    if stripe and "Redocly CLI" in stripe:
        check("Stripe peak memory, oascompile / Redocly (goal ≤ 1)",
              stripe["oascompile"].mb / stripe["Redocly CLI"].mb, 1.0)
    return out


def bench_compile(corpus_tyk: Path, runs: int, workdir: str) -> list[str]:
    """`compile --to oas` of the Classic definitions: one batch vs one process per file."""
    classic = sorted(p for p in corpus_tyk.glob("*.json")
                     if "openapi" not in json.loads(p.read_text(encoding="utf-8")))
    src = Path(workdir, "classic")
    src.mkdir(exist_ok=True)
    for p in classic:
        shutil.copy(p, src / p.name)
    cli = [str(BIN / "oascompile")] if (BIN / "oascompile").exists() else \
        [sys.executable, "-m", "oascompile"]
    batch, single = [], []
    for _ in range(max(1, runs // 2)):
        out = Path(tempfile.mkdtemp(dir=workdir))
        batch.append(run_once(cli + ["compile", str(src), "--to", "oas", "-o", str(out)],
                              workdir, dict(os.environ))[0])
        total = 0.0
        for p in sorted(src.iterdir()):
            total += run_once(cli + ["compile", str(p), "--to", "oas", "-o",
                                     str(out / ("one-" + p.name))], workdir, dict(os.environ))[0]
        single.append(total)
    b, s = statistics.median(batch), statistics.median(single)
    return [f"`compile --to oas` of {len(classic)} Tyk Classic definitions: one batch "
            f"{b:.2f} s ({b / len(classic) * 1000:.1f} ms/definition), one process per file "
            f"{s:.2f} s ({s / len(classic) * 1000:.0f} ms/definition): batch is {s / b:.1f}× "
            "faster."]


def bench_engine(seconds: float) -> list[str]:
    """Evaluations per second, from benchmarks/bench_engine.py (run as a child process)."""
    out = subprocess.run([sys.executable, str(REPO / "benchmarks" / "bench_engine.py"),
                          "--seconds", str(seconds)], capture_output=True, text=True)
    return [f"Engine: {line.strip()}" for line in out.stdout.splitlines() if line.strip()] or \
        [f"Engine benchmark failed: {out.stderr.strip()[-200:]}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed rounds (default 7)")
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus",
                        help="the shared corpus folder (Stripe spec, tyk/)")
    parser.add_argument("--small", type=Path, default=REPO / "fixtures" / "oas-auth-token.yaml",
                        help="the small Tyk OAS definition")
    parser.add_argument("--osv-backend", choices=("jsonschema", "jsonschema-rs", "auto"),
                        default="jsonschema",
                        help="openapi-spec-validator's schema backend (default: its stock one)")
    parser.add_argument("--skip-compile", action="store_true")
    parser.add_argument("--skip-engine", action="store_true")
    args = parser.parse_args()
    stripe = args.corpus / "stripe-spec3-2022-04-12.json"
    tyk = args.corpus / "tyk"
    cases = {"small": [str(args.small.resolve())]}
    labels = {"small": f"{args.small.name} ({args.small.stat().st_size / 1024:.1f} KB)"}
    if stripe.is_file():
        cases["stripe"] = [str(stripe.resolve())]
        labels["stripe"] = f"Stripe spec3 ({stripe.stat().st_size / 1e6:.2f} MB)"
    if tyk.is_dir():
        cases["tyk"] = [str(tyk.resolve())]
        labels["tyk"] = f"{len(list(tyk.glob('*.json')))} Tyk definitions, one invocation"
    if len(cases) < 3:
        print(f"{args.corpus} lacks the Stripe spec or tyk/: those cases are skipped",
              file=sys.stderr)
    # An installed package has bytecode (pip compiles it); an editable checkout run with
    # PYTHONDONTWRITEBYTECODE=1 would otherwise recompile every module on every start.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "oascompile")],
                   check=False)
    with tempfile.TemporaryDirectory(prefix="bench-lint-") as workdir:
        found = tools(args, workdir)
        everyone = set(found)
        # Peers lint OpenAPI only: 73 of the 75 Tyk definitions are Tyk Classic.
        peers_for = {"small": everyone, "stripe": everyone, "tyk": {"oascompile"}}
        versions = {n: version(p[:1] if n != "oascompile" else p[:-1], e)
                    for n, (p, e) in found.items()}
        results = measure(cases, found, args.runs, workdir, peers_for)
        lines = [f"Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; "
                 f"machine: {machine()}; {args.runs} alternating rounds after one warm-up.",
                 "Tools: " + "; ".join(f"{n} {v}" for n, v in versions.items()), ""]
        lines += table(results, labels) + ["", "Goals:"] + goals(results) + [""]
        if not args.skip_compile and tyk.is_dir():
            lines += bench_compile(tyk, args.runs, workdir)
        if not args.skip_engine:
            lines += bench_engine(1.0)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
