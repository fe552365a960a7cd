"""Token extraction at request time: algorithm R (spec §3.1, Tyk ``getAuthToken`` and
``stripBearer``).

:func:`extract_token` is a pure function of the API's authentication settings and a request.
It returns what the gateway would read *and* the trail of locations it consulted, so ``eval``
can explain the decision.  The gateway itself keeps no "source"; we report the location whose
value survived the later-non-empty-wins rule (R6).
"""

from __future__ import annotations

from dataclasses import dataclass

from oascompile.engine.request import Request, is_token
from oascompile.ir import AuthConfig, Authentication



@dataclass(frozen=True)
class SourceStep:
    """One location R consulted (or skipped).

    Attributes:
        location: ``header``, ``query`` or ``cookie``.
        enabled: whether the config enables this location.
        name: the name looked up ("" when disabled).
        name_reason: why this name (configured, or which fallback applied).
        value: the value found ("" when absent or empty; None when the location is disabled).
        outcome: ``won`` (its value is the final token), ``overridden`` (non-empty but a later
            source replaced it), ``empty`` (nothing found, earlier value kept), ``disabled``.
    """

    location: str
    enabled: bool
    name: str
    name_reason: str
    value: str | None
    outcome: str


@dataclass(frozen=True)
class Extraction:
    """Result of algorithm R.

    Attributes:
        token: the token after ``Bearer `` stripping, or None when no non-empty token was found.
        raw: the value read before Bearer stripping ("" when none).
        source: ``header``/``query``/``cookie`` whose value won, or None.
        source_name: the header/parameter/cookie name read for ``source``, or None.
        bearer_stripped: True when a ``Bearer `` prefix was removed (R7).
        config_origin: which config R0 chose: ``auth_configs.authToken``, ``auth`` (deprecated)
            or ``default`` (neither present).
        config: that config.
        steps: one :class:`SourceStep` per location, in reading order.
    """

    token: str | None
    raw: str
    source: str | None
    source_name: str | None
    bearer_stripped: bool
    config_origin: str
    config: AuthConfig
    steps: tuple[SourceStep, ...]


def runtime_config(auth: Authentication) -> tuple[AuthConfig, str]:
    """R0: the config the Auth Token middleware reads and where it came from.

    Returns ``(config, origin)``; origin is ``auth_configs.authToken`` when that key exists, else
    ``auth`` when the deprecated object is present, else ``default`` (zero config).
    """
    if auth.token is not None:
        return auth.token, "auth_configs.authToken"
    if auth.deprecated_auth is not None:
        return auth.deprecated_auth, "auth"
    return AuthConfig(), "default"


def strip_bearer(key: str) -> str:
    """R7 (Tyk ``stripBearer``): drop a leading ``Bearer `` (7 bytes, ASCII case-insensitive,
    exactly one space) when the key is at least 7 bytes long; otherwise return it unchanged."""
    raw = key.encode("utf-8", "surrogateescape")
    if len(raw) > 6 and raw[:7].upper() == b"BEARER ":
        return raw[7:].decode("utf-8", "surrogateescape")
    return key


def extract_token(auth: Authentication, request: Request) -> Extraction:
    """Algorithm R steps R0–R7 (spec §3.1; Tyk ``BaseMiddleware.getAuthToken`` + ``stripBearer``).

    Args:
        auth: the API's authentication settings (IR).
        request: the parsed request.

    Returns:
        an :class:`Extraction` (never raises).  Header first, then query, then cookie; a later
        location replaces the key only when its value is non-empty (R6).  Empty query/cookie names
        fall back to ``auth_header_name`` only while the header is enabled, else to
        ``Authorization`` (R4/R5, E11/E12).
    """
    cfg, origin = runtime_config(auth)
    key = ""
    source: str | None = None
    source_name: str | None = None
    fallback_reason = "default 'Authorization'"
    found: list[tuple[str, bool, str, str, str | None]] = []

    if cfg.header.enabled:
        name = cfg.read_name("header")
        if cfg.header.name:
            reason = "configured auth_header_name"
            fallback_reason = "auth_header_name (header enabled)"
        else:
            reason = "auth_header_name empty: default 'Authorization'"
        if not is_token(name):
            reason += "; not a valid header name, so it never matches"
        key = request.header(name)
        if key:
            source, source_name = "header", name
        found.append(("header", True, name, reason, key))
    else:
        found.append(("header", False, "", "disable_header is true", None))

    for location, src in (("query", cfg.query), ("cookie", cfg.cookie)):
        if not src.enabled:
            flag = "use_param" if location == "query" else "use_cookie"
            found.append((location, False, "", f"{flag} is false", None))
            continue
        name = cfg.read_name(location)
        if src.name:
            reason = f"configured {'param_name' if location == 'query' else 'cookie_name'}"
        else:
            reason = f"name empty: falls back to {fallback_reason}"
        value = request.query(name) if location == "query" else request.cookie(name)
        if value:
            key, source, source_name = value, location, name
        found.append((location, True, name, reason, value))

    steps = []
    for location, enabled, name, reason, value in found:
        if not enabled:
            outcome = "disabled"
        elif not value:
            outcome = "empty"
        elif location == source:
            outcome = "won"
        else:
            outcome = "overridden"
        steps.append(SourceStep(location, enabled, name, reason, value, outcome))

    token = strip_bearer(key) if key else ""
    return Extraction(
        token=token or None,
        raw=key,
        source=source if token else None,
        source_name=source_name if token else None,
        bearer_stripped=bool(key) and token != key,
        config_origin=origin,
        config=cfg,
        steps=tuple(steps),
    )
