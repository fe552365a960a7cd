"""Benchmark: evaluations per second of extraction (algorithm R) + stripping (algorithm S).

Not a test.  Run:  .venv/bin/python benchmarks/bench_engine.py [--seconds 2]
Uses the bundled fixture fixtures/eval-header-token.json and a request whose token comes from
the query (so stripping re-encodes the query and rewrites the Cookie line every time).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from oascompile.convert import read_definition
from oascompile.engine.extract import extract_token
from oascompile.engine.request import parse_request
from oascompile.engine.strip import strip_authorization
from oascompile.load import load_document

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "eval-header-token.json"
RAW = (b"GET /petstore/pets?z=1&api_key=KEY123&a=x%20y&flag HTTP/1.1\r\nHost: gw.example.test\r\n"
       b"X-API-Key: Bearer other\r\nAccept: */*\r\nCookie: theme=dark; sessionx=1; lang=en\r\n\r\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="measuring time per variant")
    args = parser.parse_args()
    auth = read_definition(load_document(str(FIXTURE))).authentication
    request = parse_request(RAW)

    def extract_and_strip() -> None:
        extract_token(auth, request)
        strip_authorization(auth, request)

    def parse_extract_and_strip() -> None:
        r = parse_request(RAW)
        extract_token(auth, r)
        strip_authorization(auth, r)

    for label, fn in (("extract + strip", extract_and_strip),
                      ("parse + extract + strip", parse_extract_and_strip)):
        for _ in range(200):  # warm-up
            fn()
        count, start = 0, time.perf_counter()
        deadline = start + args.seconds
        while time.perf_counter() < deadline:
            for _ in range(100):
                fn()
            count += 100
        elapsed = time.perf_counter() - start
        print(f"{label:<26} {count / elapsed:>10,.0f} evaluations/second ({count} in {elapsed:.2f} s)")


if __name__ == "__main__":
    main()
