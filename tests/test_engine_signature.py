"""Mashery signature validation (spec §5); digests computed independently with hashlib."""

from __future__ import annotations

import hashlib

import pytest

from oascompile.engine.hashing import generate_token
from oascompile.engine.request import parse_request
from oascompile.engine.signature import (partial_hex_decode, signature_candidates,
                                         substitute_secret, verify_signature)
from oascompile.ir import SignatureConfig

NOW = 1700000000


def md5(s: str) -> str:
    return hashlib.md5(s.encode()).hexdigest()


def sha256(s: str) -> str:
    return hashlib.sha256(s.encode()).hexdigest()


def sig_cfg(**kw) -> SignatureConfig:
    base = dict(algorithm="MasheryMD5", header="X-Signature", secret="s3cret", allowed_clock_skew=1)
    base.update(kw)
    return SignatureConfig(**base)


def request(signature: str | None = None, target: str = "/") -> object:
    lines = [f"GET {target} HTTP/1.1", "Host: h"]
    if signature is not None:
        lines.append(f"X-Signature: {signature}")
    return parse_request("\n".join(lines) + "\n\n")


def verify(cfg: SignatureConfig, req, key: str = "org1abc123", org: str = "org1", meta=None, now: int = NOW):
    return verify_signature(cfg, req, key, org, meta or {}, now)


def test_spec_worked_example_table_values():
    # spec §5 table, recomputed here: the engine must accept exactly these
    assert md5("abc123s3cret1700000000") == "7baa5261b31bdf08f8d27abe5886d64d"
    assert md5("abc123s3cret1699999999") == "b55ca75533420f4ec47d3e35713f065e"
    assert md5("org1abc123s3cret1700000001") == "6d031ce74c20df404fb94f48f4e9c7a7"
    assert sha256("abc123s3cret1700000000") == "7b6bf70b7044197633585af44e4816fb589790461cecb1bc8bb945981323ac70"


@pytest.mark.parametrize("key, ts", [("abc123", NOW - 1), ("abc123", NOW), ("abc123", NOW + 1),
                                     ("org1abc123", NOW - 1), ("org1abc123", NOW), ("org1abc123", NOW + 1)])
def test_md5_accepted_for_both_candidates_within_skew(key, ts):
    res = verify(sig_cfg(), request(md5(f"{key}s3cret{ts}")))
    assert res.ok and f"timestamp {ts}" in res.detail and repr(key) in res.detail


@pytest.mark.parametrize("ts", [NOW - 2, NOW + 2])
def test_outside_skew_rejected_with_defaults(ts):
    res = verify(sig_cfg(), request(md5(f"abc123s3cret{ts}")))
    assert (res.ok, res.status, res.error) == (False, 401, "Request signature verification failed")


def test_sha256_signature():
    assert verify(sig_cfg(algorithm="MasherySHA256"), request(sha256(f"abc123s3cret{NOW}"))).ok
    assert not verify(sig_cfg(algorithm="MasherySHA256"), request(md5(f"abc123s3cret{NOW}"))).ok


def test_zero_skew_only_current_second():
    assert verify(sig_cfg(allowed_clock_skew=0), request(md5(f"abc123s3cret{NOW}"))).ok
    assert not verify(sig_cfg(allowed_clock_skew=0), request(md5(f"abc123s3cret{NOW + 1}"))).ok


def test_negative_skew_rejects_everything():
    res = verify(sig_cfg(allowed_clock_skew=-5), request(md5(f"abc123s3cret{NOW}")))
    assert (res.ok, res.status) == (False, 401)


def test_partial_hex_decode_accepts_trailing_junk_and_uppercase():
    good = md5(f"abc123s3cret{NOW}")
    assert verify(sig_cfg(), request(good + "XYZ")).ok
    assert verify(sig_cfg(), request(good.upper())).ok
    assert verify(sig_cfg(), request(good + "a")).ok  # odd trailing char
    assert not verify(sig_cfg(), request(good + "ab")).ok  # an extra valid byte changes the value
    assert partial_hex_decode("a1zz") == b"\xa1"
    assert partial_hex_decode("+1") == b""


def test_custom_token_candidates_and_digest():
    token = "eyJvcmciOiJvcmcxIiwiaWQiOiJhYmMxMjMiLCJoIjoibXVybXVyNjQifQ=="
    assert generate_token("org1", "abc123", "murmur64") == token
    assert signature_candidates(token, "org1") == ("abc123", token)
    assert md5(f"{token}s3cret{NOW}") == "cf94ab876aa0153176f79c5107f64c70"
    assert verify(sig_cfg(), request("cf94ab876aa0153176f79c5107f64c70"), key=token).ok
    assert verify(sig_cfg(), request(md5(f"abc123s3cret{NOW}")), key=token).ok


def test_error_code_and_message_overrides():
    res = verify(sig_cfg(error_code=418, error_message="bad sig"), request("00"))
    assert (res.status, res.error) == (418, "bad sig")


def test_missing_signature():
    res = verify(sig_cfg(), request(None))
    assert (res.status, res.error) == (401, "Request signature verification failed")
    assert "no signature" in res.detail


def test_unknown_algorithm_is_500():
    res = verify(sig_cfg(algorithm="mashery-md5"), request(md5(f"abc123s3cret{NOW}")))
    assert (res.ok, res.status, res.error) == (False, 500, "internal server error")


def test_query_signature_overrides_header_and_param_name_defaults_to_header():
    good = md5(f"abc123s3cret{NOW}")
    cfg = sig_cfg(use_param=True)
    assert verify(cfg, request("00", target=f"/?X-Signature={good}")).ok
    # param_name alone enables the query (quirk 31)
    assert verify(sig_cfg(param_name="sig"), request("00", target=f"/?sig={good}")).ok
    # an empty query value does not override the header
    assert verify(sig_cfg(param_name="sig"), request(good, target="/?sig=")).ok


def test_secret_from_session_meta_data():
    secret_cfg = sig_cfg(secret="$tyk_meta.sig_secret")
    good = md5(f"abc123topsecret{NOW}")
    assert verify(secret_cfg, request(good), meta={"sig_secret": "topsecret"}).ok
    res = verify(secret_cfg, request(good), meta={})
    assert (res.ok, res.status) == (False, 401) and "empty" in res.detail


def test_substitute_secret():
    assert substitute_secret("a-$tyk_meta.x/b", {"x": 42}) == "a-42/b"
    assert substitute_secret("$tyk_meta.x-b", {"x": 42}) == ""  # "-" belongs to the field name
    assert substitute_secret("$tyk_meta.n", {"n": 1.5}) == "1.5"
    assert substitute_secret("$tyk_meta.missing", {}) == ""
    assert substitute_secret("$tyk_context.x", {}) == "$tyk_context.x"


# ---- bounded clock-skew window (a huge allowed_clock_skew used to hang eval)
def test_timestamps_are_tried_in_tyk_order():
    from oascompile.engine.signature import skew_timestamps

    assert list(skew_timestamps(100, 2)) == [100, 101, 99, 102, 98]
    assert list(skew_timestamps(100, 0)) == [100]
    assert list(skew_timestamps(100, -1)) == []


@pytest.mark.parametrize("ts", [NOW - 7, NOW + 7])
def test_window_edges_are_exact_when_skew_is_within_the_cap(ts):
    cfg = sig_cfg(allowed_clock_skew=7)
    res = verify_signature(cfg, request(md5(f"abc123s3cret{ts}")), "org1abc123", "org1", {}, NOW, 7)
    assert res.ok and f"timestamp {ts}" in res.detail and res.limit_note == ""
    off = ts + (1 if ts > NOW else -1)
    res = verify_signature(cfg, request(md5(f"abc123s3cret{off}")), "org1abc123", "org1", {}, NOW, 7)
    assert (res.ok, res.status, res.limit_note) == (False, 401, "")


def test_skew_above_the_cap_is_capped_and_says_so():
    cfg = sig_cfg(allowed_clock_skew=10**12)
    beyond = md5(f"abc123s3cret{NOW + 11}")
    res = verify_signature(cfg, request(beyond), "org1abc123", "org1", {}, NOW, 10)
    assert (res.ok, res.status) == (False, 401)
    assert res.detail.endswith("within ±10s of 1700000000")
    assert res.limit_note == (
        "allowed_clock_skew 1000000000000s exceeds the simulator's window of ±10s "
        "(--max-clock-skew-window): timestamps farther from now were not tried, so a signature "
        "made with one of them would be accepted by Tyk but is refused here")
    # a match inside the cap is exact (Tyk would accept it too), with no note
    res = verify_signature(cfg, request(md5(f"abc123s3cret{NOW - 10}")), "org1abc123", "org1", {},
                           NOW, 10)
    assert res.ok and res.limit_note == "" and f"timestamp {NOW - 10}" in res.detail
    # raising the cap reaches it
    assert verify_signature(cfg, request(beyond), "org1abc123", "org1", {}, NOW, 11).ok


@pytest.mark.parametrize("algorithm, sig, nbytes, size", [
    ("MasheryMD5", "00" * 15, 15, 16), ("MasheryMD5", "00" * 17, 17, 16),
    ("MasherySHA256", md5("x"), 16, 32), ("MasheryMD5", "zz" + md5("x"), 0, 16)])
def test_signature_of_the_wrong_length_is_refused_without_trying_timestamps(algorithm, sig, nbytes,
                                                                           size):
    # Tyk compares with bytes.Equal: no digest can equal a shorter or longer value, whatever
    # the skew, so even a skew of 10**15 answers at once
    res = verify(sig_cfg(algorithm=algorithm, allowed_clock_skew=10**15), request(sig))
    assert (res.ok, res.status, res.limit_note) == (False, 401, "")
    assert res.detail == (f"the signature from header 'X-Signature' decodes to {nbytes} bytes; "
                          f"a {algorithm} digest is {size} bytes ({2 * size} hex digits), so no "
                          "timestamp can match")
