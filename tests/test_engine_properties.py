"""Property tests (hypothesis): generated configs and requests.

* The reported token is null or (after Bearer stripping) a value present in the request at an
  enabled location under the name the config reads.
* Stripping never adds anything: every upstream header line and query pair was in the request.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from oascompile.engine.extract import extract_token, strip_bearer
from oascompile.engine.request import Request, parse_cookies, parse_query
from oascompile.engine.strip import strip_authorization
from oascompile.ir import AuthConfig, Authentication, AuthSource

NAMES = st.sampled_from(["", "Authorization", "X-Key", "k", "sid", "a"])
VALUES = st.sampled_from(["", "t1", "Bearer t2", "bearer x", "a b", "sid=1", "v%20", "x;y", '"q"', "Bearer "])
QNAMES = st.sampled_from(["k", "Authorization", "X-Key", "a", "K"])
QVALS = st.sampled_from(["", "v", "a+b", "%41", "%zz", "Bearer%20z", "x;y"])


@st.composite
def configs(draw) -> Authentication:
    def cfg() -> AuthConfig:
        return AuthConfig(name=draw(NAMES), header=AuthSource(draw(st.booleans()), draw(NAMES)),
                          query=AuthSource(draw(st.booleans()), draw(NAMES)),
                          cookie=AuthSource(draw(st.booleans()), draw(NAMES)))
    entries = [("authToken", cfg())] if draw(st.booleans()) else []
    if draw(st.booleans()):
        entries.append(("jwt", cfg()))
    return Authentication(auth_token_enabled=True, strip_authorization_data=True,
                          auth_configs=tuple(entries), deprecated_auth=cfg() if draw(st.booleans()) else None)


@st.composite
def requests(draw) -> Request:
    pairs = draw(st.lists(st.tuples(QNAMES, QVALS), max_size=4))
    query = "&".join(f"{k}={v}" for k, v in pairs)
    path = draw(st.sampled_from(["/", "/a/b", "/p%2Fq"]))
    target = path + ("?" + query if query or draw(st.booleans()) else "")
    header_names = st.sampled_from(["Authorization", "authorization", "X-Key", "Cookie", "Accept", "k"])
    cookie = st.lists(st.tuples(NAMES, VALUES), max_size=3).map(
        lambda cs: "; ".join(f"{n}={v}" for n, v in cs))
    headers = draw(st.lists(st.one_of(st.tuples(st.just("Cookie"), cookie),
                                      st.tuples(header_names, VALUES)), max_size=5))
    return Request("GET", target, "HTTP/1.1", tuple((n, v.strip(" \t")) for n, v in headers))


@settings(max_examples=400, deadline=None)
@given(configs(), requests())
def test_token_comes_from_an_enabled_location(auth, request):
    ext = extract_token(auth, request)
    if ext.token is None:
        assert ext.source is None and ext.source_name is None
        return
    cfg = ext.config
    assert getattr(cfg, ext.source).enabled
    name = ext.source_name
    if ext.source == "header":
        present = request.header_values(name)[:1]
    elif ext.source == "query":
        present = [v for k, v in parse_query(request.raw_query or "") if k == name][:1]
    else:
        present = [v for n, v in parse_cookies(request.header_values("Cookie")) if n == name][:1]
    assert [strip_bearer(v) for v in present] == [ext.token]


@settings(max_examples=400, deadline=None)
@given(configs(), requests())
def test_stripping_never_adds_anything(auth, request):
    after = strip_authorization(auth, request).request
    assert after.method == request.method and after.body == request.body
    # header names only disappear; the Cookie line may only lose parts
    before_names = Counter(n.lower() for n, _ in request.headers)
    after_names = Counter(n.lower() for n, _ in after.headers)
    assert not after_names - before_names
    original_parts = [p.strip() for _, v in request.headers if _ .lower() == "cookie" for p in v.split(";")]
    for n, v in after.headers:
        if n.lower() == "cookie":
            assert all(p.strip() in original_parts for p in v.split(";") if p.strip())
        else:
            assert (n, v) in request.headers
    # every upstream query pair was in the request (re-encoded, so compare decoded)
    before_pairs = Counter(parse_query(request.raw_query or ""))
    after_pairs = Counter(parse_query(after.raw_query or ""))
    assert not after_pairs - before_pairs
