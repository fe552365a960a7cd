"""Client certificates: parsing ``--client-cert``, static mTLS (spec §6.1) and the
certificate checks of the Auth Token middleware (spec §6.2 P3–P5).

Simplified certificate store (documented in docs/eval.md): Tyk's certificate manager holds PEM
certificates by id (``org_id`` + SHA-256 hex of the DER).  The simulator knows no PEM files
besides the client's, so the store is the set of ids that are
(a) in the API's ``client_certificates`` allowlist, and
(b) the ``certificate`` field of any session in the sessions file (for ``--redis``: of the
    matched session).
Allowlisted certificates can only match by fingerprint (an allow-listed CA verifying the client
certificate is not modelled: we do not have the CA's certificate).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from oascompile.errors import InputError

_PEM_RE = re.compile(rb"-----BEGIN CERTIFICATE-----\r?\n(.*?)-----END CERTIFICATE-----", re.S)


@dataclass(frozen=True)
class ClientCert:
    """One certificate the client presented.

    Attributes:
        sha256: lower-case hex SHA-256 of the DER encoding (Tyk ``HexSHA256(cert.Raw)``).
        not_after: expiry, timezone-aware UTC.
        subject: RFC 4514 subject string (for display).
    """

    sha256: str
    not_after: dt.datetime
    subject: str

    def expired(self, now: float) -> bool:
        """True when ``now`` (Unix seconds) is after NotAfter (Go ``time.Now().After``)."""
        return now > self.not_after.timestamp()


def parse_client_certs(data: bytes, file: str | None = None) -> tuple[ClientCert, ...]:
    """Parse a PEM file holding the client certificate (leaf first, then any intermediates).

    Uses the ``cryptography`` package.  Raises InputError (with the line of the offending
    block) when there is no ``CERTIFICATE`` block or a block does not decode as X.509.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    blocks = list(_PEM_RE.finditer(data))
    begin = data.find(b"-----BEGIN CERTIFICATE-----", blocks[-1].end() if blocks else 0)
    if begin >= 0:
        raise InputError("malformed PEM certificate: 'BEGIN CERTIFICATE' without a matching "
                         "'END CERTIFICATE' line", file, data.count(b"\n", 0, begin) + 1, 1)
    if not blocks:
        raise InputError("no PEM 'BEGIN CERTIFICATE' block found", file, 1, 1)
    certs = []
    for match in blocks:
        line = data.count(b"\n", 0, match.start()) + 1
        try:
            cert = x509.load_pem_x509_certificate(match.group(0))
            der = cert.public_bytes(Encoding.DER)
        except (ValueError, TypeError) as exc:
            reason = re.sub(r" See https://\S+ for more details\.", "", str(exc))
            raise InputError(f"malformed PEM certificate: {reason}", file, line, 1) from None
        not_after = cert.not_valid_after_utc
        certs.append(ClientCert(hashlib.sha256(der).hexdigest(), not_after, cert.subject.rfc4514_string()))
    return tuple(certs)


def cert_id(org_id: str, cert: ClientCert) -> str:
    """Tyk certificate id / ``certHash``: ``org_id`` + SHA-256 hex (spec §6.2)."""
    return org_id + cert.sha256


@dataclass(frozen=True)
class CertDecision:
    """Outcome of a certificate check: ``ok``; on failure ``status`` and ``error`` (HTTP status
    and Tyk message); ``rule`` (spec id) and ``detail`` explain it."""

    ok: bool
    rule: str
    detail: str
    status: int | None = None
    error: str | None = None


def _allowlisted(entry: str, sha: str) -> bool:
    # an allowlist entry is a certificate id: any org prefix followed by the SHA-256 hex
    return len(entry) >= 64 and entry[-64:].lower() == sha


def check_static_mtls(allowlist: tuple[str, ...] | None, tls: bool,
                      certs: tuple[ClientCert, ...], now: float) -> CertDecision:
    """Static mTLS allowlist (spec §6.1; Tyk ``CertificateCheckMW`` / ``ValidateRequestCerts``).

    Args:
        allowlist: ``client_certificates`` (certificate ids).
        tls: whether the request came over TLS.
        certs: the presented chain (leaf first).
        now: gateway clock, Unix seconds.

    Returns:
        ok, or 403 with ``TLS not enabled`` / ``Client TLS certificate is required`` /
        ``Certificate with SHA256 <leaf hex> not allowed``.  An expired presented certificate
        never matches (expired certificates cannot be in Tyk's store), so it gets "not allowed".
    """
    if not tls:
        return CertDecision(False, "6.1-1", "static mTLS is on but the request is not over TLS",
                            403, "TLS not enabled")
    if not certs:
        return CertDecision(False, "6.1-2", "static mTLS is on and no client certificate was presented",
                            403, "Client TLS certificate is required")
    for cert in certs:
        for entry in allowlist or ():
            if _allowlisted(entry, cert.sha256):
                if cert.expired(now):
                    continue  # an expired certificate cannot be in the store: no match
                return CertDecision(True, "6.1-3", f"certificate {cert.sha256} is allow-listed as {entry}")
    leaf = certs[0].sha256
    return CertDecision(False, "6.1-4", "no presented certificate matches a valid allowlist entry",
                        403, f"Certificate with SHA256 {leaf} not allowed")
