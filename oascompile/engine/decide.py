"""The gateway's decision for one request: static mTLS → Auth Token (extraction, lookup,
certificates, signature) → key expiry → access rights, plus strip-authorization-data for the
upstream view (spec §3–§7; Tyk middleware chain in gateway/api_loader.go).

:func:`evaluate` is pure given its :class:`EvalContext` (the session store is the only thing it
reads).  Without a store, the status stays None as soon as the answer would depend on a session
(cli-contract: ``status``/``error`` are null unless the request fails before any lookup).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from oascompile.engine.certs import ClientCert, check_static_mtls
from oascompile.engine.extract import Extraction, extract_token, runtime_config
from oascompile.engine.hashing import generate_token
from oascompile.engine.request import Request
from oascompile.engine.sessions import GatewayOptions, Lookup, Session, Store, lookup
from oascompile.engine.clock import DEFAULT_MAX_SKEW_WINDOW, show_time
from oascompile.engine.signature import verify_signature
from oascompile.engine.strip import StripResult, strip_authorization, upstream_headers, upstream_target
from oascompile.ir import APIDefinition

# spec §6.3 (gateway/mw_auth_key.go initAuthKeyErrors, handler_error.go)
ERRORS = {
    "auth.auth_field_missing": (401, "Authorization field missing"),
    "auth.key_not_found": (403, "Access to this API has been disallowed"),
    "auth.cert_required": (401, "Client certificate required"),
    "auth.cert_mismatch": (401, "Access to this API has been disallowed"),
    "auth.cert_expired": (403, "Certificate has expired"),
    "auth.cert_not_found": (403, "Access to this API has been disallowed"),
}


@dataclass(frozen=True)
class EvalContext:
    """Everything besides the definition and the request.

    Attributes:
        store: session store, or None when no ``--sessions``/``--redis`` was given.
        certs: client certificate chain (leaf first); empty when none was presented.
        tls: the request arrived over TLS (true whenever ``certs`` is non-empty).
        now: gateway clock, Unix seconds.
        options: gateway options.
        max_clock_skew_window: the most seconds each side of ``now`` that signature validation
            tries (``--max-clock-skew-window``; see :func:`~oascompile.engine.signature.verify_signature`).
    """

    store: Store | None = None
    certs: tuple[ClientCert, ...] = ()
    tls: bool = False
    now: float = 0.0
    options: GatewayOptions = field(default_factory=GatewayOptions)
    max_clock_skew_window: int = DEFAULT_MAX_SKEW_WINDOW


@dataclass(frozen=True)
class Step:
    """One decision step: ``stage`` (e.g. ``lookup``), ``rule`` (spec id) and ``detail``."""

    stage: str
    rule: str
    detail: str


@dataclass(frozen=True)
class Evaluation:
    """The full result of :func:`evaluate`.

    Attributes:
        extraction: algorithm R result.
        strip: algorithm S result.
        method, target, headers: the request as the upstream receives it.
        status, error: gateway HTTP status and message (None when undecidable without sessions).
        error_id: Tyk error id (``auth.key_not_found`` …) when there is one.
        session_key: the key id of the matched session, if any.
        steps: the decision trail, in order.
        keys_tried: every key string the decision looked up or used as a signature candidate
            (presented, generated ``org+id`` and base64-JSON tokens), in order, so text output
            can redact them wherever they appear.
    """

    extraction: Extraction
    strip: StripResult
    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    status: int | None
    error: str | None
    error_id: str | None
    session_key: str | None
    steps: tuple[Step, ...]
    keys_tried: tuple[str, ...] = ()


class _Stop(Exception):
    def __init__(self, status: int | None, error: str | None, error_id: str | None = None) -> None:
        super().__init__(error)
        self.status, self.error, self.error_id = status, error, error_id


def _fail(error_id: str) -> _Stop:
    status, message = ERRORS[error_id]
    return _Stop(status, message, error_id)


class _Decider:
    def __init__(self, api: APIDefinition, request: Request, ctx: EvalContext) -> None:
        self.api, self.request, self.ctx = api, request, ctx
        self.auth = api.authentication
        self.org = api.identity.org_id
        self.steps: list[Step] = []
        self.keys: list[str] = []
        self.session: Session | None = None
        self.session_cert = ""

    def note(self, stage: str, rule: str, detail: str) -> None:
        self.steps.append(Step(stage, rule, detail))

    def find(self, key: str, why: str) -> Session | None:
        """One ``CheckSessionAndIdentityForValidKey``; raises _Stop(None) when undecidable."""
        opts = self.ctx.options
        self.keys.append(key)
        if self.ctx.store is None:
            if len(key.encode("utf-8", "surrogateescape")) < opts.effective_min_token_length:
                self.note("lookup", "R9", f"{why}: {key!r} is shorter than min_token_length "
                                          f"{opts.effective_min_token_length}: not found")
                return None
            self.note("lookup", "§7", f"{why}: {key!r} needs a session lookup; no --sessions given, "
                                      "so status stays undecided")
            raise _Stop(None, None)
        result: Lookup = lookup(key, self.org, self.ctx.store, opts)
        self.keys.extend(c.key for c in result.candidates)
        tried = ", ".join(f"{c.redis_key} ({c.why}{': hit' if c.found else ''})" for c in result.candidates)
        self.note("lookup", "§7", f"{why}: {key!r}: {result.reason}" + (f"; tried {tried}" if tried else ""))
        return result.session

    def run(self, ext: Extraction) -> None:
        auth, ctx = self.auth, self.ctx
        if auth.keyless:
            self.note("auth", "§3", "use_keyless is true: no authentication")
        if auth.client_certificates.enabled:
            d = check_static_mtls(auth.client_certificates.allowlist, ctx.tls, ctx.certs, ctx.now)
            self.note("static-mtls", d.rule, d.detail)
            if not d.ok:
                raise _Stop(d.status, d.error)
        if auth.keyless:
            raise _Stop(200 if ctx.store is not None else None, None)
        if not auth.auth_token_runs():
            self.note("auth", "§3", "Auth Token middleware not installed: use_standard_auth is false and "
                                    f"other methods are enabled ({', '.join(auth.other_methods)}); "
                                    "their decision is not simulated")
            raise _Stop(None, None)
        self.auth_token(ext)
        self.after_auth()

    # ---- spec §6.2 (AuthKey.ProcessRequest)
    def auth_token(self, ext: Extraction) -> None:
        cfg, ctx = ext.config, self.ctx
        key = ext.token or ""
        cert = ctx.certs[0] if ctx.certs else None
        cert_hash = ""
        session: Session | None = None
        if not cfg.use_certificate:
            if not key:
                self.note("auth", "P1", "no token and use_certificate is false")
                raise _fail("auth.auth_field_missing")
            session = self.find(key, "token")
            if session is None:
                raise _fail("auth.key_not_found")
        elif not ctx.tls:
            self.note("auth", "P2", "use_certificate on, request not over TLS: the token alone decides")
            session = self.find(key, "token")
            if session is None:
                raise _fail("auth.key_not_found")
        else:
            if cert is not None:
                if cert.expired(ctx.now):
                    self.note("auth", "P3", f"client certificate expired at {cert.not_after.isoformat()}")
                    raise _fail("auth.cert_expired")
                cert_hash = self.org + cert.sha256
            unsafe = ctx.options.allow_unsafe_dynamic_mtls_token
            if cert is None and not unsafe:
                self.note("auth", "P4", "use_certificate on over TLS without a client certificate")
                raise _fail("auth.cert_required")
            if cert is not None:
                self.note("auth", "P3", f"dynamic mTLS: looking up the key of certificate {cert_hash}"
                          + ("; any presented token is ignored" if not unsafe else ""))
                session = (self.find(generate_token(self.org, cert_hash, ctx.options.hash_key_function),
                                     "certificate key") or self.find(cert_hash, "certificate id"))
                if session is None:
                    raise _fail("auth.cert_mismatch")
            if unsafe and key:
                session = self.find(key, "token (allow_unsafe_dynamic_mtls_token)")
                if session is None:
                    raise _fail("auth.key_not_found")
            if session is None:  # P4 unsafe, no cert, no token: Tyk keeps {IsInactive: true}
                self.note("auth", "P4", "no certificate and no token: the session is empty and inactive")
                session = Session(key_id="", is_inactive=True)
        self.session_cert = session.certificate
        self.certificate_checks(cfg.use_certificate, session, cert, cert_hash)
        self.session = session

    def cert_store(self) -> frozenset[str]:
        store = set(self.auth.client_certificates.allowlist or ())
        if self.ctx.store is not None:
            store |= self.ctx.store.certificates()
        if self.session_cert:
            store.add(self.session_cert)
        return frozenset(store)

    # ---- spec §6.2 P5 (validateCertificate and friends)
    def certificate_checks(self, use_certificate: bool, session: Session, cert: ClientCert | None,
                           cert_hash: str) -> None:
        binding = bool(session.bindings) and self.auth.client_certificates.enabled
        if not (use_certificate or binding):
            return
        if self.ctx.tls and cert is not None:
            cert_hash = cert_hash or self.org + cert.sha256
            if binding:
                if session.key_id and cert.expired(self.ctx.now):
                    self.note("certificate", "P5", "bound certificate has expired")
                    raise _fail("auth.cert_expired")
                if session.key_id and cert_hash not in session.bindings:
                    self.note("certificate", "P5", f"certificate {cert_hash} is not among the key's "
                                                   f"bindings {list(session.bindings)}")
                    raise _fail("auth.cert_mismatch")
                self.note("certificate", "P5", f"certificate {cert_hash} matches the key's binding")
                return
            if cert_hash not in self.cert_store():
                self.note("certificate", "P5", f"dynamic mTLS: certificate {cert_hash} is not in the "
                                               "certificate store (allowlist + session certificates)")
                raise _fail("auth.cert_not_found")
            self.note("certificate", "P5", f"dynamic mTLS: session certificate set to {cert_hash}")
            return
        # validateLegacyWithoutCert: a session certificate must be in the store.  Tyk refuses to
        # store a key whose certificate is unknown (spec §7), so in this model it always is.
        detail = (f"the session's certificate {session.certificate} is in the store"
                  if session.certificate else "the session has no certificate")
        self.note("certificate", "P5", f"no client certificate: {detail}")

    # ---- P6, §5, KeyExpired, AccessRightsCheck
    def after_auth(self) -> None:
        session = self.session
        assert session is not None
        ext_cfg = runtime_config(self.auth)[0]
        attached = self.auth.base_identity_provider in ("auth_token", "")
        if not attached:
            self.note("auth", "P6", f"base_identity_provided_by is {self.auth.base_identity_provider!r}: "
                                    "the Auth Token session is not attached")
        if ext_cfg.validate_signature:
            res = verify_signature(ext_cfg.signature, self.request, session.key_id, session.org_id,
                                   session.meta_data if attached else {}, int(self.ctx.now),
                                   self.ctx.max_clock_skew_window)
            self.keys.extend(res.candidates)
            self.note("signature", "§5", res.detail)
            if res.limit_note:
                self.note("signature", "limit", res.limit_note)
            if not res.ok:
                raise _Stop(res.status, res.error)
        if not attached:
            raise _Stop(None, None)
        if session.is_inactive:
            self.note("key-expiry", "KeyExpired", "session is_inactive is true")
            raise _Stop(403, "Key is inactive, please renew")
        if session.expires >= 1 and self.ctx.now > session.expires:
            self.note("key-expiry", "KeyExpired", f"session expired at {show_time(session.expires)}; "
                                                  f"now {show_time(self.ctx.now)}")
            raise _Stop(401, "Key has expired, please renew")
        api_id = self.api.identity.api_id
        if session.access_rights and api_id not in session.access_rights:
            self.note("access-rights", "AccessRightsCheck", f"the key has no access rights for API {api_id!r}")
            raise _Stop(403, "Access to this API has been disallowed")
        self.note("result", "", f"key {session.key_id!r} accepted")
        raise _Stop(200, None)


def evaluate(api: APIDefinition, request: Request, ctx: EvalContext) -> Evaluation:
    """Evaluate one request against one API definition.

    Args:
        api: the definition (IR).
        request: the parsed request.
        ctx: store, client certificate, TLS flag, clock and gateway options.

    Returns:
        an :class:`Evaluation`.  Order (gateway/api_loader.go): static mTLS (§6.1), Auth Token
        (§3.1 R, §6.2 P1–P6, §7 lookup, §5 signature), KeyExpired (``is_inactive`` → 403
        ``Key is inactive, please renew``; ``expires`` ≥ 1 and past → 401 ``Key has expired,
        please renew``), AccessRightsCheck (API id missing from non-empty ``access_rights`` →
        403).  The upstream view is always the request after algorithm S; it is what would be
        forwarded when the status is 200.

    Raises:
        InputError: only from a Redis store that cannot be reached.
    """
    ext = extract_token(api.authentication, request)
    decider = _Decider(api, request, ctx)
    try:
        decider.run(ext)
        status, error, error_id = None, None, None  # pragma: no cover - run always raises _Stop
    except _Stop as stop:
        status, error, error_id = stop.status, stop.error, stop.error_id
    stripped = strip_authorization(api.authentication, request)
    return Evaluation(
        extraction=ext,
        strip=stripped,
        method=stripped.request.method,
        target=upstream_target(api, stripped.request.target),
        headers=upstream_headers(stripped.request),
        status=status,
        error=error,
        error_id=error_id,
        session_key=decider.session.key_id if decider.session is not None else None,
        steps=tuple(decider.steps),
        keys_tried=tuple(dict.fromkeys(decider.keys)),
    )
