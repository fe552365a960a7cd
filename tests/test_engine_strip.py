"""Algorithm S (spec §4.1): worked examples S1–S14 of spec §4.2, exact values."""

from __future__ import annotations

from oascompile.engine.request import encode_query, parse_request, query_escape
from oascompile.engine.strip import (remove_dot_segments, strip_authorization, upstream_headers,
                                     upstream_target)
from oascompile.ir import APIDefinition, AuthConfig, Authentication, AuthSource, Identity


def cfg(header: str = "", header_enabled: bool = True, use_param: bool = False, param: str = "",
        cookie: str = "") -> AuthConfig:
    return AuthConfig(name="authToken", header=AuthSource(header_enabled, header),
                      query=AuthSource(use_param, param), cookie=AuthSource(False, cookie))


def strip(target: str, headers: list[str], *configs: tuple[str, AuthConfig]):
    a = Authentication(auth_token_enabled=True, strip_authorization_data=True,
                       auth_configs=configs or (("authToken", cfg()),))
    request = parse_request("GET " + target + " HTTP/1.1\n" + "".join(h + "\n" for h in headers) + "\n")
    return strip_authorization(a, request)


def test_S1_header_and_auth_cookie():
    r = strip("/", ["Authorization: t", "Cookie: a=1; Authorization=x; b=2"]).request
    assert r.headers == (("Cookie", "a=1; b=2"),)


def test_S2_leading_space_left():
    r = strip("/", ["Cookie: Authorization=x; b=2"]).request
    assert r.headers == (("Cookie", " b=2"),)
    assert upstream_headers(r) == (("Cookie", "b=2"),)  # trimmed on the wire


def test_S3_empty_cookie_header_remains():
    assert strip("/", ["Cookie: Authorization=x"]).request.headers == (("Cookie", ""),)


def test_S4_prefix_match_removes_wrong_cookie():
    r = strip("/", ["Cookie: AuthorizationFoo=1; Authorization=x"]).request
    assert r.headers == (("Cookie", " Authorization=x"),)


def test_S5_only_first_cookie_line_inspected():
    r = strip("/", ["Cookie: a=1", "Cookie: Authorization=x"]).request
    assert r.headers == (("Cookie", "a=1"), ("Cookie", "Authorization=x"))


def test_S6_strip_collapses_cookie_lines():
    r = strip("/", ["Cookie: Authorization=x; b=2", "X-Other: o", "Cookie: c=3"]).request
    assert r.headers == (("Cookie", " b=2"), ("X-Other", "o"))


def test_S7_query_param_removed_and_sorted():
    r = strip("/?b=2&Authorization=x&a=1", [], ("authToken", cfg(use_param=True))).request
    assert r.target == "/?a=1&b=2"


def test_S8_query_reencoded_without_token_param():
    r = strip("/p?q=a%20b&x=a+b&y=%7E", [], ("authToken", cfg(use_param=True))).request
    assert r.target == "/p?q=a+b&x=a+b&y=~"


def test_S9_malformed_pairs_dropped_and_question_mark_removed():
    r = strip("/p?z=1;y=2&Authorization=x", [], ("authToken", cfg(use_param=True))).request
    assert r.target == "/p"


def test_S10_escaped_path_kept_flag_gains_equals():
    r = strip("/p%2Fq?Authorization=x&flag", [], ("authToken", cfg(use_param=True))).request
    assert r.target == "/p%2Fq?flag="


def test_S11_query_untouched_without_use_param():
    r = strip("/?Authorization=x", []).request
    assert r.target == "/?Authorization=x"


def test_S12_strip_name_differs_from_read_name():
    c = cfg(header="X-Key", header_enabled=False, use_param=True, param="")
    r = strip("/?Authorization=tok&X-Key=z", [], ("authToken", c)).request
    assert r.target == "/?Authorization=tok"


def test_S13_leftover_jwt_entry_strips_authorization():
    r = strip("/", ["X-API-Key: t", "Authorization: Basic dXNlcjpwYXNz", "Accept: */*"],
              ("authToken", cfg(header="X-API-Key")), ("jwt", AuthConfig(name="jwt"))).request
    assert r.headers == (("Accept", "*/*"),)


def test_S14_custom_cookie_prefix_hit():
    c = AuthConfig(name="authToken", header=AuthSource(True, "X-K"), cookie=AuthSource(False, "sid"))
    r = strip("/", ["X-K: 1", "Cookie: sidx=9; sid=tok"], ("authToken", c)).request
    assert r.headers == (("Cookie", " sid=tok"),)


def test_no_strip_when_off_or_keyless():
    request = parse_request("GET /?Authorization=x HTTP/1.1\nAuthorization: t\n\n")
    off = strip_authorization(Authentication(auth_configs=(("authToken", cfg(use_param=True)),)), request)
    assert off.request is request and not off.applied
    keyless = Authentication(keyless=True, strip_authorization_data=True)
    res = strip_authorization(keyless, request)
    assert res.request is request and "keyless" in res.reason


def test_deprecated_auth_used_when_auth_configs_empty():
    a = Authentication(strip_authorization_data=True, auth_configs=(),
                       deprecated_auth=AuthConfig(header=AuthSource(True, "X-Legacy")))
    r = strip_authorization(a, parse_request("GET / HTTP/1.1\nX-Legacy: t\nAuthorization: keep\n\n"))
    assert r.request.headers == (("Authorization", "keep"),)


def test_bare_question_mark_is_kept():
    r = strip("/p?", [], ("authToken", cfg(use_param=True))).request
    assert r.target == "/p?"


def test_dot_segments_resolved_on_query_strip():
    assert remove_dot_segments("/a/./b/../c") == "/a/c"
    assert remove_dot_segments("/a/b/..") == "/a/"
    assert remove_dot_segments("/../x") == "/x"
    r = strip("/a/../b?Authorization=x", [], ("authToken", cfg(use_param=True))).request
    assert r.target == "/b"


def test_go_query_escape():
    assert query_escape("a b+c/~é") == "a+b%2Bc%2F~%C3%A9"
    assert encode_query([("b", "2"), ("a", "x"), ("a", "y")]) == "a=x&a=y&b=2"


def test_upstream_target_strip_listen_path_and_target_path():
    api = APIDefinition(identity=Identity(listen_path="/petstore/", strip_listen_path=True,
                                          target_url="http://up:8080/v1"))
    assert upstream_target(api, "/petstore/pets?x=1") == "/v1/pets?x=1"
    plain = APIDefinition(identity=Identity(listen_path="/svc/", target_url="http://up"))
    assert upstream_target(plain, "/svc/get?x=1") == "/svc/get?x=1"
