"""Fuzzing lint, compile and eval through the CLI (issue 5, "Fuzzing").

Hypothesis mutates real documents (``fixtures/``, ``tests/bad_inputs/`` and, when present, the
inputs of ``../shared/cases``): node types and values replaced, keys deleted, text truncated,
bytes inserted or flipped, JSON re-serialised as YAML.  It also builds type-confused Tyk Classic
configs and raw HTTP requests.  Each input runs in-process through click's CliRunner, so the
exit code is checked: only 0, 1 or 2; no uncaught exception (which includes the
``internal error`` safety net: reaching it is a failure here); exit 2 always has a message.

``OASCOMPILE_FUZZ_EXAMPLES`` sets the examples per test (default 40: the whole file runs in a
few seconds).  The long run, documented in docs/hardening.md::

    OASCOMPILE_FUZZ_EXAMPLES=3000 .venv/bin/pytest tests/test_fuzz.py -s \\
        --hypothesis-show-statistics
"""

from __future__ import annotations

import copy
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oascompile.cli import cli

EXAMPLES = int(os.environ.get("OASCOMPILE_FUZZ_EXAMPLES", "40"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED_CASES = REPO.parent / "shared" / "cases"
WORK = Path(tempfile.mkdtemp(prefix="oascompile-fuzz-"))
GOOD_REQUEST = b"GET /petstore/pets?api_key=q1 HTTP/1.1\r\nHost: example.test\r\n" \
               b"X-API-Key: Bearer KEY123\r\nCookie: a=1; session=c00kie\r\n\r\n"
COUNTS: dict[str, int] = {"lint": 0, "compile": 0, "eval": 0}


def _seeds() -> list[bytes]:
    paths = sorted(p for p in (REPO / "fixtures").glob("*") if p.suffix in (".json", ".yaml"))
    paths += sorted(p for p in (HERE / "bad_inputs").glob("*")
                    if p.suffix in (".json", ".yaml"))
    seeds = [p.read_bytes() for p in paths]
    for case in sorted(SHARED_CASES.glob("*.json")) if SHARED_CASES.is_dir() else []:
        data = json.loads(case.read_text())
        if isinstance(data.get("input"), dict):
            seeds.append(json.dumps(data["input"], indent=2).encode())
    return seeds


SEEDS = _seeds()


def _parsed(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        from ruamel.yaml import YAML

        try:
            return YAML(typ="safe", pure=True).load(raw.decode("utf-8"))
        except Exception:  # noqa: BLE001 - a seed that is bad input on purpose
            return None


def _plain_tree(d: Any) -> bool:
    """True for a mapping that is a finite, small tree (not an alias bomb, not recursive)."""
    try:
        return isinstance(d, dict) and len(json.dumps(d)) < 200_000
    except (ValueError, RecursionError):  # "Circular reference detected"
        return False


# structural mutation walks every node, so alias bombs and recursive aliases are only
# byte-mangled
DEFINITIONS = [d for d in (_parsed(s) for s in SEEDS if b"*l0" not in s) if _plain_tree(d)]


# --------------------------------------------------------------------------- running
def run(command: str, args: list[str], stdin: bytes | None = None) -> None:
    """Run one command in-process and check the hardening contract."""
    COUNTS[command] += 1
    result = CliRunner().invoke(cli, [command, *args], input=stdin, catch_exceptions=True)
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        raise AssertionError(f"{command} {args}: uncaught {type(exc).__name__}: {exc}") from exc
    assert result.exit_code in (0, 1, 2), (command, args, result.exit_code, result.stderr)
    assert "internal error" not in result.stderr, (command, args, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    if result.exit_code == 2:
        assert result.stderr.strip(), (command, args, "exit 2 without a message")


def write(name: str, data: bytes) -> str:
    path = WORK / name
    path.write_bytes(data)
    return str(path)


def all_commands(definition: bytes, suffix: str, request: bytes = GOOD_REQUEST) -> None:
    path = write("def" + suffix, definition)
    run("lint", ["--format", "json", path])
    run("compile", [path, "--to", "oas"])
    run("compile", [path, "--to", "classic"])
    run("eval", [path, "--request", "-", "--format", "json"], request)


# --------------------------------------------------------------------------- strategies
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**63, 2**64),
                         st.floats(allow_nan=False), st.text(max_size=12),
                         st.sampled_from(["", "true", "0", "Authorization", "Bearer x", "~1/",
                                          "$tyk_meta.x", "1h30m", "#/components", "\u0000"]))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=6)


def _containers(node: Any, path: tuple = ()) -> list[tuple]:
    out = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _containers(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _containers(v, path + (i,))
    return out


@st.composite
def mutated_documents(draw: st.DrawFn) -> tuple[bytes, str]:
    """A seed definition with 1-4 nodes replaced or deleted, as JSON or YAML."""
    doc = copy.deepcopy(draw(st.sampled_from(DEFINITIONS)))
    for _ in range(draw(st.integers(1, 4))):
        paths = _containers(doc)
        path = draw(st.sampled_from(paths[1:] or paths))
        if not path:
            break
        parent = doc
        for token in path[:-1]:
            parent = parent[token]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(json_values)
    if draw(st.booleans()):
        return json.dumps(doc, indent=2).encode(), ".json"
    from ruamel.yaml import YAML

    buf = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = draw(st.booleans())
    yaml.dump(doc, buf)
    return buf.getvalue().encode(), ".yaml"


@st.composite
def mangled_bytes(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """A seed truncated, with bytes inserted, or with bytes overwritten."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["truncate", "insert", "overwrite"]))
        if action == "truncate":
            del data[at:]
        elif action == "insert":
            data[at:at] = draw(st.sampled_from([b"\t", b"\xff", b"\xef\xbb\xbf", b"{", b"]",
                                                b"&a ", b"*a", b"\x00", b": ", b"\n- ",
                                                b"\"", b"$ref: x\n"]) | st.binary(max_size=4))
        elif data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
    return bytes(data)


odd = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**12), st.text(max_size=8),
                st.lists(st.text(max_size=4), max_size=2), st.just({}), st.floats(-1e3, 1e3))
names = st.text(alphabet="abcdefghijXYZ-_ :;\"=%", max_size=10)


@st.composite
def classic_configs(draw: st.DrawFn) -> bytes:
    """A Tyk Classic definition whose auth fields take any JSON type."""
    def field(good: st.SearchStrategy) -> Any:
        return draw(st.one_of(good, good, good, odd))

    sig = {"algorithm": field(st.sampled_from(["", "MasherySHA256", "MasheryMD5", "sha1"])),
           "header": field(names), "use_param": field(st.booleans()), "param_name": field(names),
           "secret": field(names), "allowed_clock_skew": field(st.integers(-5, 100)),
           "error_code": field(st.integers(0, 600)), "error_message": field(names)}
    token = {"name": field(st.sampled_from(["authToken", ""])), "use_param": field(st.booleans()),
             "param_name": field(names), "use_cookie": field(st.booleans()),
             "cookie_name": field(names), "disable_header": field(st.booleans()),
             "auth_header_name": field(names), "use_certificate": field(st.booleans()),
             "validate_signature": field(st.booleans()), "signature": field(st.just(sig))}
    api = {"api_id": "a1", "name": "n", "org_id": field(st.sampled_from(["org1", ""])),
           "proxy": field(st.just({"listen_path": "/petstore/", "target_url": "http://u"})),
           "use_keyless": field(st.booleans()), "use_standard_auth": field(st.booleans()),
           "auth_configs": field(st.just({"authToken": token})),
           "auth": field(st.just(token)), "strip_auth_data": field(st.booleans()),
           "use_mutual_tls_auth": field(st.booleans()),
           "client_certificates": field(st.lists(names, max_size=2)),
           "base_identity_provided_by": field(st.sampled_from(["", "auth_token"])),
           "session_lifetime": field(st.integers(0, 10**6))}
    return json.dumps(api).encode()


@st.composite
def raw_requests(draw: st.DrawFn) -> bytes:
    """Raw HTTP requests: built from odd parts, or a good request mangled."""
    if draw(st.booleans()):
        return draw(mangled_bytes([GOOD_REQUEST]))
    method = draw(st.sampled_from([b"GET", b"POST", b"", b"G T", b"\xffGET"]))
    target = draw(st.sampled_from([b"/petstore/pets", b"/petstore/?api_key=%zz&api_key=",
                                   b"http://h/petstore/x?a=b", b"*", b"", b"/%ff?\xff=1"]))
    version = draw(st.sampled_from([b"HTTP/1.1", b"HTTP/2", b"", b"HTTP/1.1 x"]))
    lines = [b" ".join(p for p in (method, target, version) if p is not None)]
    for _ in range(draw(st.integers(0, 4))):
        name = draw(st.sampled_from([b"X-API-Key", b"x-api-key", b"Cookie", b"Authorization",
                                     b"Host", b"Bad Name", b"", b" folded"]))
        value = draw(st.binary(max_size=12) | st.sampled_from(
            [b"Bearer ", b"a=1; session=\"q\"", b"session=;session=x", b"Bearer  tok"]))
        lines.append(name + draw(st.sampled_from([b": ", b":", b""])) + value)
    end = draw(st.sampled_from([b"\r\n", b"\n"]))
    return end.join(lines) + end + end + draw(st.binary(max_size=8))


# --------------------------------------------------------------------------- tests
@pytest.fixture(scope="module", autouse=True)
def _report_counts():
    """After the module: print how many inputs each command ran (shown with ``-s``)."""
    yield
    print(f"\nfuzz inputs per command: {json.dumps(COUNTS)} "
          f"(total {sum(COUNTS.values())}, examples per test {EXAMPLES})")


@SETTINGS
@given(mutated_documents())
def test_mutated_documents(doc: tuple[bytes, str]) -> None:
    all_commands(*doc)


@SETTINGS
@given(mangled_bytes(SEEDS), st.sampled_from([".json", ".yaml"]))
def test_mangled_bytes(data: bytes, suffix: str) -> None:
    all_commands(data, suffix)


@SETTINGS
@given(classic_configs(), raw_requests())
def test_type_confused_classic_configs(definition: bytes, request: bytes) -> None:
    all_commands(definition, ".json", request)


@SETTINGS
@given(raw_requests(), st.sampled_from(["eval-header-token.json", "oas-auth-token.yaml",
                                        "classic-auth-token.json"]),
       st.sampled_from(["json", "text"]))
def test_raw_requests(request: bytes, definition: str, fmt: str) -> None:
    sessions = str(REPO / "fixtures" / "eval-sessions.yaml")
    run("eval", [str(REPO / "fixtures" / definition), "--request", "-", "--format", fmt,
                 "--sessions", sessions, "--now", "1700000000"], request)
