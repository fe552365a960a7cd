"""The gateway decision (spec §6 certificates, §6.3 errors, §7 sessions, KeyExpired)."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from oascompile.engine.certs import parse_client_certs
from oascompile.engine.decide import EvalContext, evaluate
from oascompile.engine.request import parse_request
from oascompile.engine.sessions import FileStore, GatewayOptions
from oascompile.errors import InputError
from oascompile.ir import (APIDefinition, AuthConfig, Authentication, AuthSource, ClientCertificates,
                           Identity, SignatureConfig)

NOW = 1700000000.0


def make_pem(days_valid: int = 3650, cn: str = "client") -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    start = dt.datetime.fromtimestamp(NOW, dt.timezone.utc) - dt.timedelta(days=30)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=days_valid)).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM)


VALID = parse_client_certs(make_pem())
EXPIRED = parse_client_certs(make_pem(days_valid=10))


def api(use_certificate=False, mtls=False, allowlist=(), signature=None, base="", keyless=False,
        other=()) -> APIDefinition:
    cfg = AuthConfig(name="authToken", header=AuthSource(True, ""), use_certificate=use_certificate,
                     validate_signature=signature is not None, signature=signature or SignatureConfig())
    return APIDefinition(
        identity=Identity(api_id="api1", org_id="org1", listen_path="/svc/", target_url="http://up"),
        authentication=Authentication(keyless=keyless, auth_token_enabled=not other,
                                      auth_configs=(("authToken", cfg),), other_methods=other,
                                      client_certificates=ClientCertificates(mtls, tuple(allowlist)),
                                      base_identity_provider=base))


def run(definition, token=None, sessions=None, certs=(), tls=None, **opts):
    lines = ["GET /svc/get HTTP/1.1", "Host: gw"] + ([f"Authorization: {token}"] if token is not None else [])
    options = GatewayOptions(**opts)
    ctx = EvalContext(store=FileStore(sessions, options) if sessions is not None else None,
                      certs=certs, tls=bool(certs) if tls is None else tls, now=NOW, options=options)
    ev = evaluate(definition, parse_request("\n".join(lines) + "\n\n"), ctx)
    return ev.status, ev.error


S = {"KEY123": {"org_id": "org1"}}


# ------------------------------------------------------------------ P1, lookup, E24
def test_P1_missing_token_401_without_sessions():
    assert run(api()) == (401, "Authorization field missing")


def test_P1_unknown_key_403():
    assert run(api(), "NOPE999", S) == (403, "Access to this API has been disallowed")


def test_found_key_200_and_undecided_without_sessions():
    assert run(api(), "KEY123", S) == (200, None)
    assert run(api(), "KEY123") == (None, None)


def test_E24_short_token_403_even_without_sessions():
    assert run(api(), "ab") == (403, "Access to this API has been disallowed")
    assert run(api(), "ab", min_token_length=2) == (None, None)


def test_key_expiry_and_inactive():
    assert run(api(), "KEY123", {"KEY123": {"org_id": "org1", "expires": int(NOW) - 1}}) == \
        (401, "Key has expired, please renew")
    assert run(api(), "KEY123", {"KEY123": {"org_id": "org1", "expires": int(NOW) + 60}}) == (200, None)
    assert run(api(), "KEY123", {"KEY123": {"is_inactive": True, "expires": 1}}) == \
        (403, "Key is inactive, please renew")


def test_access_rights_for_another_api():
    s = {"KEY123": {"access_rights": {"other": {"api_id": "other"}}}}
    assert run(api(), "KEY123", s) == (403, "Access to this API has been disallowed")


def test_keyless_and_other_methods():
    assert run(api(keyless=True)) == (None, None)
    assert run(api(keyless=True), sessions={}) == (200, None)
    assert run(api(other=("jwt",)), "KEY123", S) == (None, None)


# ------------------------------------------------------------------ §6.1 static mTLS
def test_static_mtls_failures():
    cid = "org1" + VALID[0].sha256
    assert run(api(mtls=True, allowlist=[cid]), "KEY123", S) == (403, "TLS not enabled")
    assert run(api(mtls=True, allowlist=[cid]), "KEY123", S, tls=True) == \
        (403, "Client TLS certificate is required")
    other = parse_client_certs(make_pem())
    assert run(api(mtls=True, allowlist=[cid]), "KEY123", S, certs=other) == \
        (403, f"Certificate with SHA256 {other[0].sha256} not allowed")
    assert run(api(mtls=True, allowlist=[cid]), "KEY123", S, certs=VALID) == (200, None)


def test_static_mtls_expired_allowlisted_cert_is_not_allowed():
    cid = "org1" + EXPIRED[0].sha256
    assert run(api(mtls=True, allowlist=[cid]), "KEY123", S, certs=EXPIRED) == \
        (403, f"Certificate with SHA256 {EXPIRED[0].sha256} not allowed")


def test_static_mtls_fails_before_token_check_without_sessions():
    assert run(api(mtls=True, allowlist=[]), "KEY123", certs=VALID)[0] == 403


# ------------------------------------------------------------------ §6.2 dynamic mTLS
def cert_key(cert=VALID) -> str:
    return "org1" + cert[0].sha256


def test_P2_plain_http_accepts_plain_token_and_empty_token_is_403():
    assert run(api(use_certificate=True), "KEY123", S) == (200, None)
    assert run(api(use_certificate=True), None, S) == (403, "Access to this API has been disallowed")


def test_P3_certificate_key_found_token_ignored():
    sessions = {cert_key(): {"org_id": "org1", "certificate": cert_key()}}
    assert run(api(use_certificate=True), "whatever", sessions, certs=VALID) == (200, None)


def test_P3_expired_cert_and_mismatch():
    assert run(api(use_certificate=True), None, {}, certs=EXPIRED) == (403, "Certificate has expired")
    assert run(api(use_certificate=True), "KEY123", S, certs=VALID) == \
        (401, "Access to this API has been disallowed")


def test_P3_unsafe_token_replaces_session():
    sessions = {cert_key(): {"org_id": "org1", "certificate": cert_key()}, "KEY123": {"org_id": "org1"}}
    assert run(api(use_certificate=True), "NOPE999", sessions, certs=VALID,
               allow_unsafe_dynamic_mtls_token=True) == (403, "Access to this API has been disallowed")
    # found by token; the presented certificate becomes the session's (it is in the store)
    assert run(api(use_certificate=True), "KEY123", sessions, certs=VALID,
               allow_unsafe_dynamic_mtls_token=True) == (200, None)


def test_P4_tls_without_cert():
    assert run(api(use_certificate=True), "KEY123", S, tls=True) == (401, "Client certificate required")
    assert run(api(use_certificate=True), "KEY123", S, tls=True, allow_unsafe_dynamic_mtls_token=True) == (200, None)
    assert run(api(use_certificate=True), None, S, tls=True, allow_unsafe_dynamic_mtls_token=True) == \
        (403, "Key is inactive, please renew")


def test_P5_dynamic_cert_not_in_store():
    # found through the certificate id, but that id is in neither the allowlist nor any session
    sessions = {cert_key(): {"org_id": "org1"}}
    assert run(api(use_certificate=True), None, sessions, certs=VALID) == \
        (403, "Access to this API has been disallowed")


def test_P5_binding_match_mismatch_and_ignored_without_static_mtls():
    cid = cert_key()
    bound = {"KEY123": {"org_id": "org1", "mtls_static_certificate_bindings": [cid]}}
    other = parse_client_certs(make_pem())
    allow = [cid, "org1" + other[0].sha256]
    assert run(api(mtls=True, allowlist=allow), "KEY123", bound, certs=VALID) == (200, None)
    assert run(api(mtls=True, allowlist=allow), "KEY123", bound, certs=other) == \
        (401, "Access to this API has been disallowed")
    assert run(api(), "KEY123", bound, certs=other) == (200, None)  # quirk 36


def test_P6_signature_after_lookup():
    sig = SignatureConfig(algorithm="MasheryMD5", header="X-Signature", secret="s")
    assert run(api(signature=sig), "KEY123", S) == (401, "Request signature verification failed")
    assert run(api(signature=SignatureConfig(algorithm="typo", secret="s")), "KEY123", S) == \
        (500, "internal server error")


def test_P6_other_base_identity_provider_leaves_status_undecided():
    assert run(api(base="jwt_claim"), "KEY123", S) == (None, None)


# ------------------------------------------------------------------ PEM parsing
def test_pem_parse_and_errors():
    both = parse_client_certs(make_pem(cn="leaf") + make_pem(cn="intermediate"))
    assert len(both) == 2 and both[0].subject == "CN=leaf" and len(both[0].sha256) == 64
    with pytest.raises(InputError, match="no PEM"):
        parse_client_certs(b"hello", "c.pem")
    with pytest.raises(InputError) as info:
        parse_client_certs(b"x\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "c.pem")
    assert info.value.line == 2 and "malformed PEM" in info.value.message


def test_conformance_certificate_sha256():
    pem = (b"-----BEGIN CERTIFICATE-----\nMIIBRDCB6qADAgECAgID6TAKBggqhkjOPQQDAjAqMSgwJgYDVQQDDB9vYXNjb21w\n"
           b"aWxlLWNvbmZvcm1hbmNlLWNsaWVudC1hMCAXDTIwMDEwMTAwMDAwMFoYDzIwOTkx\n"
           b"MjMxMDAwMDAwWjAqMSgwJgYDVQQDDB9vYXNjb21waWxlLWNvbmZvcm1hbmNlLWNs\n"
           b"aWVudC1hMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEzPeoe+XKFurACJI9qx4o\n"
           b"uBIxBao8zZkYcFIiyl06fMa7Jy6o5VMI+QJSyWoulWvotjbleOMtNmP/W2/+Xp1s\n"
           b"sjAKBggqhkjOPQQDAgNJADBGAiEA1LvUY//zYlJBM8jMHAX2FuGgKa+Rr/BJf1V9\n"
           b"N4/q+9sCIQCcw8sb9WEcQYSCDF6wEkuHE/P8eolLzRi45x0pr/08NQ==\n-----END CERTIFICATE-----\n")
    (cert,) = parse_client_certs(pem)
    assert cert.sha256 == "cf674827e96585a2a793e4f6147f991b59a0fed45f9227d5675ceeee91c5defa"
    assert cert.not_after.year == 2099
