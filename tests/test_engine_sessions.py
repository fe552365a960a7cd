"""Key formats, hashing and the lookup order (spec §7)."""

from __future__ import annotations

import json

import pytest

from oascompile.engine.hashing import (generate_token, hash_str, murmur32_tyk, storage_key,
                                       token_id, token_org)
from oascompile.engine.sessions import FileStore, GatewayOptions, load_sessions, lookup
from oascompile.errors import InputError

JSON_TOKEN = "eyJvcmciOiJvcmcxIiwiaWQiOiJhYmMxMjMiLCJoIjoibXVybXVyNjQifQ=="


def test_murmur32_tyk_variant_ignores_tail():
    assert murmur32_tyk(b"org1abc123") == "f33bf1e8"
    assert murmur32_tyk(b"org1abc1") == "f33bf1e8"
    assert murmur32_tyk(b"org1abc1XYZ") == "f33bf1e8"
    assert murmur32_tyk(b"abc") == "00000000"
    assert murmur32_tyk(b"org1abc123") != "c465e494"  # standard MurmurHash3_x86_32


def test_hash_str_algorithms_spec_cross_check():
    assert hash_str(JSON_TOKEN) == "f91fe5cb138fd0d0"  # h = murmur64 inside the token
    assert hash_str(JSON_TOKEN, "murmur128") == "f91fe5cb138fd0d0ba2118c1e19a5dd0"
    assert hash_str(JSON_TOKEN, "sha256") == "52613587e7093da6aa12df9d56d79a0e985f714701b49b40d61785903565fd8b"
    assert hash_str("org1abc123") == "f33bf1e8"  # legacy keys: always murmur32
    assert hash_str("org1abc123", "nonsense") == "f33bf1e8"


def test_token_helpers():
    assert generate_token("org1", "abc123", "murmur64") == JSON_TOKEN
    assert generate_token("org1", "org1abc123") == "org1abc123"
    assert generate_token("org1", "abc123") == "org1abc123"
    assert token_id(JSON_TOKEN) == "abc123" and token_id("org1abc123") is None
    assert token_org(JSON_TOKEN) == "org1"
    assert token_org("5e9d9544a1dcd60001d0ed20abc") == "5e9d9544a1dcd60001d0ed20"
    assert token_org("org1abc123") == ""
    assert '"h":"murmur64"' in __import__("base64").b64decode(generate_token("o", "i", "bogus")).decode()


def test_dynamic_mtls_key_example():
    sha = "3adde01b2de54e88794048d551bb986bc1b2b85dd0101e8081e709c4a6ab57ed"
    assert generate_token("org1", "org1" + sha) == "org1" + sha
    assert generate_token("org1", "org1" + sha, "murmur64") == (
        "eyJvcmciOiJvcmcxIiwiaWQiOiIzYWRkZTAxYjJkZTU0ZTg4Nzk0MDQ4ZDU1MWJiOTg2YmMxYjJiODVkZDAxMDFlODA4MWU3MDljNGE2YWI1N2VkIiwiaCI6Im11cm11cjY0In0=")


def test_storage_key():
    assert storage_key("KEY123", False) == "apikey-KEY123"
    assert storage_key(JSON_TOKEN, True) == "apikey-f91fe5cb138fd0d0"


SESSIONS = {"org1abc123": {"org_id": "org1"}, "PLAIN99": {"org_id": "org1"},
            JSON_TOKEN: {"org_id": "org1", "meta_data": {"k": "v"}}}


def find(key: str, **opts):
    options = GatewayOptions(**opts)
    return lookup(key, "org1", FileStore(SESSIONS, options), options)


def test_lookup_legacy_id_via_generated_token():
    res = find("abc123")
    assert res.session.key_id == "org1abc123"
    assert [c.key for c in res.candidates] == ["org1abc123"]


def test_lookup_plain_key_second_candidate():
    res = find("PLAIN99")
    assert res.session.key_id == "PLAIN99"
    assert [(c.key, c.found) for c in res.candidates] == [("org1PLAIN99", False), ("PLAIN99", True)]


def test_lookup_token_with_matching_org_single_lookup():
    res = find(JSON_TOKEN)
    assert res.session.key_id == JSON_TOKEN and len(res.candidates) == 1
    assert res.session.meta_data == {"k": "v"}


def test_lookup_id_with_hash_key_function_finds_json_token():
    res = find("abc123", hash_key_function="murmur64", hash_keys=True)
    assert res.session.key_id == JSON_TOKEN
    assert res.candidates[0].redis_key == "apikey-f91fe5cb138fd0d0"


def test_lookup_fallback_functions():
    res = find("abc123", hash_key_function="sha256", hash_key_function_fallback=("murmur64",))
    assert res.session.key_id == JSON_TOKEN
    assert [c.found for c in res.candidates] == [False, False, True]


def test_disable_key_actions_by_username_skips_generated_tokens():
    assert find("abc123", disable_key_actions_by_username=True).session is None


def test_murmur32_collision_with_hashed_legacy_keys():
    # quirk 38: up to 3 extra trailing bytes hash to the same storage key
    res = find("org1abc1ZZ", hash_keys=True)  # same whole 4-byte blocks as org1abc123
    assert res.session is not None and res.session.key_id == "org1abc1ZZ"


def test_min_token_length():
    assert find("ab").session is None and find("ab").candidates == ()
    assert "min_token_length 3" in find("ab").reason
    opts = GatewayOptions(min_token_length=10)
    assert lookup("PLAIN99", "org1", FileStore(SESSIONS, opts), opts).session is None


def test_load_sessions_errors_have_positions(tmp_path):
    p = tmp_path / "s.json"
    p.write_text(json.dumps({"K1": {"org_id": "o"}, "K2": {"expires": "soon"}}, indent=2))
    with pytest.raises(InputError) as info:
        load_sessions(str(p))
    assert (info.value.line, info.value.column) == (6, 5) and "expires" in info.value.message
    p.write_text("[1, 2]")
    with pytest.raises(InputError, match="mapping"):
        load_sessions(str(p))
    p.write_text("K1: {org_id: o\n")
    with pytest.raises(InputError):
        load_sessions(str(p))


def test_load_sessions_yaml(tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text("K1:\n  org_id: o\n  mtls_static_certificate_bindings: [a, b]\n")
    assert load_sessions(str(p)) == {"K1": {"org_id": "o", "mtls_static_certificate_bindings": ["a", "b"]}}


# ---- session_problem: JSON types, int64 range, finite numbers, null as Go's zero value
@pytest.mark.parametrize("data, problem", [
    ({"expires": "x"}, ("/expires", "`expires` must be an integer (Unix seconds), not string")),
    ({"expires": True}, ("/expires", "`expires` must be an integer (Unix seconds), not boolean")),
    ({"org_id": 5}, ("/org_id", "`org_id` must be a string, not integer")),
    ({"meta_data": []}, ("/meta_data", "`meta_data` must be an object, not array")),
    ({"is_inactive": "yes"}, ("/is_inactive", "`is_inactive` must be a boolean, not string")),
    ({"expires": 2 ** 63}, ("/expires", "`expires` is out of range: Tyk stores it as a 64-bit "
                                        "integer (-9223372036854775808 to 9223372036854775807)")),
    ({"expires": 1.5}, ("/expires", "`expires` must be a whole number of seconds, not 1.5")),
    ({"expires": float("-inf")}, ("/expires", "`expires` is -infinity: NaN, infinities and numbers "
                                              "beyond a 64-bit float (such as 1e400) cannot be "
                                              "stored in a Tyk session")),
    ({"quota_max": float("nan")}, ("/quota_max", "`quota_max` is NaN: NaN, infinities and numbers "
                                                 "beyond a 64-bit float (such as 1e400) cannot be "
                                                 "stored in a Tyk session")),
    ([1], ("", "a session must be an object, not array")),
])
def test_session_problem_names_the_member_and_json_type(data, problem):
    from oascompile.engine.sessions import session_problem

    assert session_problem(data) == problem


def test_null_fields_and_whole_float_expires_are_usable():
    from oascompile.engine.sessions import session_from_json, session_problem

    data = {"org_id": None, "expires": 1.6e9, "meta_data": None, "is_inactive": None,
            "mtls_static_certificate_bindings": None, "access_rights": None, "certificate": None}
    assert session_problem(data) is None
    s = session_from_json("K", data)
    assert (s.org_id, s.expires, s.is_inactive, s.bindings) == ("", 1600000000, False, ())


def test_stored_session_with_infinity_is_not_found_rather_than_a_crash():
    # a Redis value Go cannot decode (Infinity is not JSON): Tyk treats the key as not found
    class Raw:
        def get(self, key):
            return '{"org_id": "org1", "expires": Infinity}' if key == "apikey-KEY123" else None

        def certificates(self):
            return frozenset()

    res = lookup("KEY123", "org1", Raw(), GatewayOptions())
    assert res.session is None and res.reason == "no candidate key is stored"
    assert [c.redis_key for c in res.candidates] == ["apikey-org1KEY123", "apikey-KEY123"]
