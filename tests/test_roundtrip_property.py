"""Property: Classic → OAS → Classic keeps every field spec §2.7 lists as preserved, and every
other change is in the migration report (nothing is lost silently).

``OASCOMPILE_HYPOTHESIS_EXAMPLES`` sets the number of generated configs (default 200; the long
run documented in README uses 10000).
"""

from __future__ import annotations

import os
from typing import Any

from conftest import doc_from
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oascompile import pointer as jp
from oascompile.convert import to_classic, to_oas
from oascompile.schemas import iter_errors

EXAMPLES = int(os.environ.get("OASCOMPILE_HYPOTHESIS_EXAMPLES", "200"))

names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_",
                min_size=0, max_size=12)
nonempty = names.filter(bool)
secrets = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                  max_size=20)

signature = st.fixed_dictionaries({
    "algorithm": st.sampled_from(["", "MasherySHA256", "MasheryMD5", "sha1"]),
    "header": names, "use_param": st.booleans(), "param_name": names, "secret": secrets,
    "allowed_clock_skew": st.integers(-5, 10**6), "error_code": st.integers(0, 599),
    "error_message": secrets,
})

auth_config = st.fixed_dictionaries({
    "name": nonempty, "use_param": st.booleans(), "param_name": names,
    "use_cookie": st.booleans(), "cookie_name": names, "disable_header": st.booleans(),
    "auth_header_name": names, "use_certificate": st.booleans(),
    "validate_signature": st.booleans(), "signature": signature,
})

definition = st.fixed_dictionaries({
    "api_id": nonempty, "name": nonempty, "org_id": names, "active": st.booleans(),
    "proxy": st.fixed_dictionaries({"listen_path": st.sampled_from(["/a/", "/b"]),
                                    "target_url": st.sampled_from(["http://u", ""]),
                                    "strip_listen_path": st.booleans()}),
    "version_data": st.just({"not_versioned": True, "versions": {"Default": {}}}),
    "use_keyless": st.booleans(), "use_standard_auth": st.booleans(),
    "auth_configs": st.fixed_dictionaries({"authToken": auth_config}),
    "strip_auth_data": st.booleans(),
    "base_identity_provided_by": st.sampled_from(["", "auth_token", "jwt_claim"]),
    "session_lifetime": st.integers(0, 10**7),
    "session_lifetime_respects_key_expiration": st.booleans(),
    "use_mutual_tls_auth": st.booleans(),
    "client_certificates": st.one_of(st.none(), st.lists(nonempty, max_size=3)),
}, optional={"enable_jwt": st.booleans()})

TOKEN = "/auth_configs/authToken"
PRESERVED = [TOKEN + p for p in (
    "/disable_header", "/auth_header_name", "/use_param", "/param_name", "/use_cookie",
    "/cookie_name", "/validate_signature", "/use_certificate", "/signature/algorithm",
    "/signature/header", "/signature/use_param", "/signature/param_name", "/signature/secret",
    "/signature/allowed_clock_skew", "/signature/error_code", "/signature/error_message")] + [
    "/use_standard_auth", "/use_keyless", "/strip_auth_data", "/base_identity_provided_by",
    "/session_lifetime", "/session_lifetime_respects_key_expiration", "/use_mutual_tls_auth",
    "/client_certificates", "/api_id", "/name", "/org_id", "/active", "/proxy/listen_path",
    "/proxy/strip_listen_path", "/proxy/target_url"]

_MISSING = object()


def _same(before: Any, after: Any) -> bool:
    """Equal JSON values, where absent, null, false, 0, "", [] and {} all count as zero."""
    def zero(v: Any) -> bool:
        return v is _MISSING or v is None or v is False or v == "" or v == [] or v == {} \
            or (type(v) is int and v == 0)

    if zero(before) and zero(after):
        return True
    return type(before) is type(after) and before == after


def _reported(pointer: str, entries) -> bool:
    return any(e.pointer == p for e in entries for p in jp.parents(pointer) if p)


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(definition)
def test_classic_oas_classic_preserves_or_reports(api):
    forward = to_oas(doc_from(api))
    errors = iter_errors("x-tyk-api-gateway", forward.output["x-tyk-api-gateway"])
    assert errors == [], errors
    back = to_classic(doc_from(forward.output, "mid.json")).output
    for ptr in PRESERVED:
        before = jp.resolve(api, ptr, _MISSING)
        after = jp.resolve(back, ptr, _MISSING)
        if not _same(before, after):
            # a preserved field may change only where the conversion says why (migration step,
            # schema-validity deviation), and then the change is also in the full report
            assert _reported(ptr, forward.explained), (
                f"{ptr}: {before!r} -> {after!r} changed without an explanation; entries: "
                f"{[e.to_text() for e in forward.entries]}")
            assert _reported(ptr, forward.entries)
    # every difference anywhere in the input is in the report
    for ptr in _leaves(api):
        if not _same(jp.resolve(api, ptr, _MISSING), jp.resolve(back, ptr, _MISSING)):
            assert _reported(ptr, forward.entries), f"{ptr} changed silently"


def _leaves(data: Any, ptr: str = "") -> list[str]:
    if isinstance(data, dict) and data:
        return [p for k, v in data.items() for p in _leaves(v, jp.child(ptr, k))]
    return [ptr]


@settings(max_examples=max(EXAMPLES // 4, 20), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(definition)
def test_runtime_relevant_fields_survive_when_auth_token_runs(api):
    """When Auth Token runs and a source is enabled with a non-empty name, the auth config
    round-trips exactly (spec §2.7: 'a fully populated AuthConfig … round-trips exactly')."""
    token = api["auth_configs"]["authToken"]
    runs = not api["use_keyless"] and (api["use_standard_auth"] or not api.get("enable_jwt"))
    primary = ("auth_header_name" if not token["disable_header"] else
               "param_name" if token["use_param"] else
               "cookie_name" if token["use_cookie"] else None)
    if not runs or primary is None or not token[primary]:
        return
    back = to_classic(doc_from(to_oas(doc_from(api)).output)).output
    got = back["auth_configs"]["authToken"]
    assert {k: v for k, v in got.items() if k != "name"} == {
        k: v for k, v in token.items() if k != "name"}
    assert got["name"] == "authToken"
