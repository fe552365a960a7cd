"""Integration: sessions read from a real Redis in Tyk's key format give the same decisions as
the same sessions from a file.  Needs the ``redis-server`` binary (skipped otherwise)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time

import pytest

from oascompile.engine.decide import EvalContext, evaluate
from oascompile.engine.hashing import generate_token, storage_key
from oascompile.engine.request import parse_request
from oascompile.engine.sessions import FileStore, GatewayOptions, RedisStore
from oascompile.errors import InputError
from oascompile.ir import APIDefinition, AuthConfig, Authentication, AuthSource, Identity

NOW = 1700000000.0
SESSIONS = {
    "KEY123": {"org_id": "org1", "expires": 0},
    "org1abc123": {"org_id": "org1"},
    generate_token("org1", "custom1", "murmur64"): {"org_id": "org1"},
    generate_token("org1", "shaid", "sha256"): {"org_id": "org1"},
    "EXPIRED1": {"org_id": "org1", "expires": int(NOW) - 10},
    "INACTIVE1": {"org_id": "org1", "is_inactive": True},
}
TOKENS = ["KEY123", "abc123", "org1abc123", "custom1", generate_token("org1", "custom1", "murmur64"),
          "shaid", "EXPIRED1", "INACTIVE1", "NOPE999", "ab", "org1abc1ZZ"]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("OASCOMPILE_REQUIRE_REDIS"):  # set by .ci/run: CI must run this test
            pytest.fail("redis-server is not installed, and OASCOMPILE_REQUIRE_REDIS is set")
        pytest.skip("redis-server is not installed (apt-get install -y redis-server)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(workdir),
                             "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    else:
        proc.terminate()
        if os.environ.get("OASCOMPILE_REQUIRE_REDIS"):
            pytest.fail("redis-server did not start")
        pytest.skip("redis-server did not start")
    try:
        yield f"redis://127.0.0.1:{port}"
    finally:
        client.close()
        proc.terminate()
        proc.wait(timeout=10)


def store_sessions(url: str, db: int, options: GatewayOptions) -> None:
    """Write SESSIONS the way Tyk does: SET apikey-<key or HashStr(key)> <session JSON>."""
    import redis

    client = redis.Redis.from_url(f"{url}/{db}")
    client.flushdb()
    for key_id, session in SESSIONS.items():
        client.set(storage_key(key_id, options.hash_keys), json.dumps(session))
    client.close()


API = APIDefinition(identity=Identity(api_id="api1", org_id="org1"),
                    authentication=Authentication(auth_token_enabled=True, auth_configs=(
                        ("authToken", AuthConfig(name="authToken", header=AuthSource(True, "X-Key"))),)))


def decide(store, options, token):
    req = parse_request(f"GET / HTTP/1.1\nHost: h\nX-Key: {token}\n\n")
    ev = evaluate(API, req, EvalContext(store=store, now=NOW, options=options))
    return ev.status, ev.error, ev.session_key


@pytest.mark.parametrize("hashed, db", [(False, 0), (True, 1)])
def test_redis_decisions_equal_file_decisions(redis_url, hashed, db):
    options = GatewayOptions(hash_keys=hashed, hash_key_function="murmur64",
                             hash_key_function_fallback=("sha256",))
    store_sessions(redis_url, db, options)
    redis_store = RedisStore(f"{redis_url}/{db}")
    file_store = FileStore(SESSIONS, options)
    results = {t: decide(redis_store, options, t) for t in TOKENS}
    assert results == {t: decide(file_store, options, t) for t in TOKENS}
    assert results["KEY123"] == (200, None, "KEY123")
    assert results["custom1"][0] == 200 and results["shaid"][0] == 200  # generated / fallback token
    assert results["org1abc123"][0] == 200 and results["abc123"][0] == 403  # legacy key: only in full
    assert results["EXPIRED1"][:2] == (401, "Key has expired, please renew")
    assert results["INACTIVE1"][:2] == (403, "Key is inactive, please renew")
    assert results["NOPE999"][:2] == (403, "Access to this API has been disallowed")
    # murmur32 collision of legacy keys exists only when keys are hashed (quirk 38)
    assert results["org1abc1ZZ"][0] == (200 if hashed else 403)


def test_redis_hashed_keys_are_really_hashed(redis_url):
    import redis

    options = GatewayOptions(hash_keys=True)
    store_sessions(redis_url, 2, options)
    keys = set(redis.Redis.from_url(f"{redis_url}/2").keys())
    assert b"apikey-KEY123" not in keys
    assert storage_key(generate_token("org1", "custom1", "murmur64"), True).encode() in keys


def test_redis_unreachable_is_input_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    store = RedisStore(f"redis://127.0.0.1:{port}/0")
    with pytest.raises(InputError, match="--redis"):
        store.get("apikey-x")


@pytest.mark.parametrize("url, shown", [
    ("redis://:hunter2@127.0.0.1:6379/0", "redis://:***@127.0.0.1:6379/0"),
    ("rediss://tyk:p%40ss@redis.internal/1", "rediss://tyk:***@redis.internal/1"),
    ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
    ("redis://[::1", "redis://[::1"),
])
def test_display_url_hides_the_password(url, shown):
    from oascompile.engine.sessions import display_url

    assert display_url(url) == shown


def test_redis_errors_read_well_and_hide_the_password():
    from click.testing import CliRunner

    from oascompile.cli import cli

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    definition = str(__import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" /
                     "eval-header-token.json")
    req = "GET /petstore/ HTTP/1.1\nX-API-Key: KEY123\n\n"
    res = CliRunner().invoke(cli, ["eval", definition, "--request", "-", "--redis",
                                   f"redis://:hunter2@127.0.0.1:{port}/0"], input=req)
    assert res.exit_code == 2 and "hunter2" not in res.stderr
    assert res.stderr.startswith(f"oascompile: --redis redis://:***@127.0.0.1:{port}/0: cannot read "
                                 "sessions: Error ")  # the errno text depends on the platform
    res = CliRunner().invoke(cli, ["eval", definition, "--request", "-", "--redis", "notaurl"],
                             input=req)
    assert (res.exit_code, res.stderr) == (2, (
        "oascompile: --redis notaurl: not a usable Redis URL: Redis URL must specify one of the "
        "following schemes (redis://, rediss://, unix://)\n"))
