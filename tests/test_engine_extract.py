"""Algorithm R (spec §3.1): worked examples E1–E24 of spec §3.2 plus parser rules."""

from __future__ import annotations

import pytest

from oascompile.engine.extract import extract_token, strip_bearer
from oascompile.engine.request import (canonical_header_key, cookie_value, parse_query,
                                       parse_request)
from oascompile.errors import InputError
from oascompile.ir import AuthConfig, Authentication, AuthSource


def auth(header: str | None = "", query: str | None = None, cookie: str | None = None,
         header_name_when_disabled: str = "") -> Authentication:
    """Config shorthand of spec §3.2: None = location disabled, a string = enabled with that name."""
    cfg = AuthConfig(
        name="authToken",
        header=AuthSource(True, header) if header is not None else AuthSource(False, header_name_when_disabled),
        query=AuthSource(True, query) if query is not None else AuthSource(),
        cookie=AuthSource(True, cookie) if cookie is not None else AuthSource(),
    )
    return Authentication(auth_token_enabled=True, auth_configs=(("authToken", cfg),))


def req(target: str = "/", *headers: str) -> object:
    return parse_request("GET " + target + " HTTP/1.1\r\n" + "".join(h + "\r\n" for h in headers) + "\r\n")


def run(a: Authentication, target: str = "/", *headers: str):
    return extract_token(a, req(target, *headers))


def test_E1_header_name_case_insensitive():
    r = run(auth("X-API-Key"), "/", "x-api-key: abc")
    assert (r.token, r.source, r.source_name) == ("abc", "header", "X-API-Key")


def test_E2_first_header_line_wins():
    r = run(auth(""), "/", "Authorization: first", "Authorization: second")
    assert (r.token, r.source_name) == ("first", "Authorization")


def test_E3_bearer_prefix_stripped():
    r = run(auth(""), "/", "Authorization: Bearer abc123")
    assert r.token == "abc123" and r.raw == "Bearer abc123" and r.bearer_stripped


def test_E4_bearer_case_insensitive_and_colon_kept():
    assert run(auth(""), "/", "Authorization: bEaReR abc123").token == "abc123"
    assert run(auth(""), "/", "Authorization: Bearer: abc").token == "Bearer: abc"


def test_E5_query_value_decoding():
    r = run(auth(None, "k"), "/?k=a+b%2Bc")
    assert (r.token, r.source, r.source_name) == ("a b+c", "query", "k")


def test_E6_first_of_repeated_params():
    assert run(auth(None, "k"), "/?k=one&k=two").token == "one"


def test_E7_empty_first_param_keeps_header():
    r = run(auth("Authorization", "k"), "/?k=&k=two", "Authorization: H1")
    assert (r.token, r.source) == ("H1", "header")
    assert [s.outcome for s in r.steps] == ["won", "empty", "disabled"]


def test_E8_query_name_case_sensitive():
    r = run(auth(None, "k"), "/?K=one")
    assert (r.token, r.source) == (None, None)


def test_E9_semicolon_pair_discarded():
    assert run(auth(None, "k"), "/?k=one;x=1").token is None


def test_E10_bad_escape_pair_discarded():
    assert run(auth(None, "k"), "/?k=%zz&k=ok").token == "ok"


def test_E11_query_fallback_is_authorization_when_header_disabled():
    r = run(auth(None, "", header_name_when_disabled="X-Key"), "/?X-Key=hk&Authorization=ak")
    assert (r.token, r.source_name) == ("ak", "Authorization")


def test_E12_query_fallback_is_header_name_when_enabled():
    r = run(auth("X-Key", ""), "/?X-Key=hk&Authorization=ak")
    assert (r.token, r.source_name) == ("hk", "X-Key")


def test_E13_cookie_beats_query():
    r = run(auth("", "q", "c"), "/?q=Q", "Authorization: H", "Cookie: c=C")
    assert (r.token, r.source, r.source_name) == ("C", "cookie", "c")
    assert [s.outcome for s in r.steps] == ["overridden", "overridden", "won"]


def test_E14_empty_cookie_keeps_query():
    r = run(auth("", "q", "c"), "/?q=Q", "Authorization: H", "Cookie: c=")
    assert (r.token, r.source) == ("Q", "query")


def test_E15_empty_query_keeps_header():
    r = run(auth("", "q", "c"), "/?q=", "Authorization: H")
    assert (r.token, r.source) == ("H", "header")


def test_E16_quoted_cookie_value():
    assert run(auth(None, None, "c"), "/", 'Cookie: c="tok"').token == "tok"


def test_E17_invalid_cookie_skipped():
    assert run(auth(None, None, "c"), "/", "Cookie: c=a\\b; c=good").token == "good"


def test_E18_first_duplicate_cookie():
    assert run(auth(None, None, "c"), "/", "Cookie: c=one; c=two").token == "one"


def test_E19_cookie_name_case_sensitive():
    assert run(auth(None, None, "c"), "/", "Cookie: C=one").token is None


def test_E20_cookie_not_percent_decoded():
    assert run(auth(None, None, "c"), "/", "Cookie: c=a%20b").token == "a%20b"


def test_E21_cookie_fallback_authorization():
    r = run(auth("", None, ""), "/", "Cookie: Authorization=ck")
    assert (r.token, r.source, r.source_name) == ("ck", "cookie", "Authorization")


def test_E22_bearer_stripped_from_query():
    r = run(auth(None, "k"), "/?k=Bearer%20xyz")
    assert (r.token, r.source) == ("xyz", "query")


def test_E23_deprecated_auth_when_authtoken_key_missing():
    a = Authentication(auth_configs=(), deprecated_auth=AuthConfig(header=AuthSource(True, "X-Legacy")))
    r = extract_token(a, req("/", "X-Legacy: t9"))
    assert (r.token, r.source_name, r.config_origin) == ("t9", "X-Legacy", "auth")


def test_E23_authtoken_key_present_beats_deprecated_auth():
    a = Authentication(auth_configs=(("authToken", AuthConfig()),),
                       deprecated_auth=AuthConfig(header=AuthSource(True, "X-Legacy")))
    r = extract_token(a, req("/", "X-Legacy: t9", "Authorization: main"))
    assert (r.token, r.config_origin) == ("main", "auth_configs.authToken")


def test_E24_short_token_still_extracted():
    # E24's 403 (too short) is decided by the lookup, see test_engine_decide
    assert run(auth(""), "/", "Authorization: ab").token == "ab"


# ----------------------------------------------------------------- parser and R details
def test_bearer_edge_cases():
    assert strip_bearer("Bearer") == "Bearer"
    assert strip_bearer("Bearer\tx") == "Bearer\tx"
    assert strip_bearer("Bearer  x") == " x"
    assert strip_bearer("Bearer ") == ""


def test_bearer_only_query_value_is_no_token():
    r = run(auth(None, "k"), "/?k=Bearer+")
    assert (r.token, r.source, r.raw) == (None, None, "Bearer ")


def test_header_name_with_space_never_matches():
    r = run(auth("X-Key "), "/", "X-Key: v")
    assert r.token is None
    assert "never matches" in r.steps[0].name_reason


def test_host_header_is_not_in_the_header_map():
    assert run(auth("Host"), "/", "Host: example.test").token is None


def test_canonical_header_key():
    assert canonical_header_key("x-api-key") == "X-Api-Key"
    assert canonical_header_key("X-API-KEY") == "X-Api-Key"
    assert canonical_header_key("bad name") == "bad name"


def test_parse_query_rules():
    assert parse_query("a=1&b&c=%41&d=x;y&e=%G1&f=a+b") == (("a", "1"), ("b", ""), ("c", "A"), ("f", "a b"))


def test_cookie_rules():
    lines = ('bad name=1; c="q"; d=sp ace', "e=x")
    assert cookie_value(lines, "c") == "q"
    assert cookie_value(lines, "d") == "sp ace"
    assert cookie_value(lines, "e") == "x"
    assert cookie_value(('c="unterminated',), "c") == ""


def test_lf_and_crlf_parse_the_same():
    a = parse_request("GET /x?y=1 HTTP/1.1\nHost: h\nA:  v \n\nbody")
    b = parse_request(b"GET /x?y=1 HTTP/1.1\r\nHost: h\r\nA:  v \r\n\r\nbody")
    assert a == b
    assert a.headers == (("Host", "h"), ("A", "v")) and a.body == b"body"


def test_absolute_form_target():
    r = parse_request("GET http://gw.test/a?b=1 HTTP/1.1\n\n")
    assert r.target == "/a?b=1" and r.headers == (("Host", "gw.test"),)


@pytest.mark.parametrize("text, line, message", [
    ("", 1, "empty HTTP request"),
    ("GET /\n", 1, "malformed request line"),
    ("GET / HTTP/1.1\nNoColon\n", 2, "missing ':'"),
    ("GET / HTTP/1.1\nHost: a\nBad Name: x\n", 3, "invalid header name"),
    ("GET / HTTP/1.1\nA: b\n  folded\n", 3, "folding"),
    ("GET / HTTX\n", 1, "invalid HTTP version"),
    ("GET * HTTP/1.1\n", 1, "unsupported request target"),
])
def test_malformed_requests_raise_input_error(text, line, message):
    with pytest.raises(InputError) as info:
        parse_request(text, "req.http")
    assert info.value.file == "req.http" and info.value.line == line
    assert message in info.value.message


# ---- request line: HTTP versions Go's HTTP/1 server serves (http.ParseHTTPVersion +
# http1ServerSupportsRequest), encodings
@pytest.mark.parametrize("version", ["HTTP/1.0", "HTTP/1.1", "HTTP/1.9"])
def test_http_1_x_versions_are_served(version):
    from oascompile.engine.request import parse_request

    assert parse_request(f"GET /p {version}\nHost: h\n\n").version == version


@pytest.mark.parametrize("version, message", [
    ("HTTP/9.9", "unsupported HTTP version 'HTTP/9.9': expected HTTP/1.1 or HTTP/1.0 (Go's server "
                 "answers 505 HTTP Version Not Supported)"),
    ("HTTP/2.0", "unsupported HTTP version 'HTTP/2.0': expected HTTP/1.1 or HTTP/1.0 (Go's server "
                 "answers 505 HTTP Version Not Supported)"),
    ("HTTP/0.9", "unsupported HTTP version 'HTTP/0.9': expected HTTP/1.1 or HTTP/1.0 (Go's server "
                 "answers 505 HTTP Version Not Supported)"),
    ("HTTP/2", "invalid HTTP version 'HTTP/2': expected HTTP/1.1 or HTTP/1.0 (Go's server answers "
               "400 Bad Request: malformed HTTP version)"),
    ("HTTP/١.١", "invalid HTTP version 'HTTP/١.١': expected HTTP/1.1 or HTTP/1.0 (Go's server "
                 "answers 400 Bad Request: malformed HTTP version)"),
])
def test_other_versions_are_refused_at_the_version(version, message):
    from oascompile.engine.request import parse_request

    with pytest.raises(InputError) as err:
        parse_request(f"\nGET /p {version}\n\n", "r.http")
    assert err.value.located() == f"r.http:2:8: {message}"


def test_line_numbers_count_skipped_leading_empty_lines():
    from oascompile.engine.request import parse_request

    with pytest.raises(InputError) as err:
        parse_request(b"\r\n\nGET /p HTTP/1.1\nHost h\n\n", "r.http")
    assert err.value.located() == "r.http:4:1: malformed header line 'Host h': missing ':'"


def test_nul_in_body_is_fine_but_not_in_the_head():
    from oascompile.engine.request import parse_request

    assert parse_request(b"POST /p HTTP/1.1\nHost: h\n\n\x00\x01").body == b"\x00\x01"
    with pytest.raises(InputError) as err:
        parse_request(b"GET /p HTTP/1.1\nX-A: a\x00b\n\n", "r.http")
    assert err.value.located() == ("r.http:2:7: NUL byte in the request line or headers (UTF-16 "
                                   "is not supported; save the request as UTF-8/ASCII)")
