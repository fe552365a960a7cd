"""Sessions and key lookup (spec §7; Tyk ``CheckSessionAndIdentityForValidKey`` and
``DefaultSessionManager.SessionDetail``).

A *store* maps storage keys (``apikey-`` + plain or hashed key) to raw session JSON objects,
exactly like Tyk's Redis.  Two stores exist:

* :class:`FileStore` — built from a ``--sessions`` file (JSON or YAML mapping key id → Tyk
  session object).  Keys in the file are the key ids clients present (plain, legacy
  ``org+id`` or base64-JSON tokens), never hashes; the store hashes them with the same gateway
  options as the lookup, so murmur32 collisions behave as in Tyk.
* :class:`RedisStore` — a live Redis holding sessions the way Tyk writes them (``redis`` is
  imported only when used).

:func:`lookup` implements the candidate order of ``SessionDetail``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping, Protocol

from oascompile.engine.hashing import generate_token, storage_key, token_org
from oascompile.errors import InputError


@dataclass(frozen=True)
class GatewayOptions:
    """Gateway-wide settings the decision depends on (Tyk ``config.Config``).

    Attributes:
        hash_keys: ``hash_keys`` (default False in code).
        hash_key_function: ``hash_key_function`` ("" = legacy ``org+id`` tokens).
        hash_key_function_fallback: ``hash_key_function_fallback`` list.
        min_token_length: ``min_token_length``; 0 means the default 3 (``effectiveMinTokenLength``).
        allow_unsafe_dynamic_mtls_token: ``security.allow_unsafe_dynamic_mtls_token``.
        disable_key_actions_by_username: ``disable_key_actions_by_username``.
    """

    hash_keys: bool = False
    hash_key_function: str = ""
    hash_key_function_fallback: tuple[str, ...] = ()
    min_token_length: int = 0
    allow_unsafe_dynamic_mtls_token: bool = False
    disable_key_actions_by_username: bool = False

    @property
    def effective_min_token_length(self) -> int:
        """``min_token_length`` or 3 when it is 0."""
        return self.min_token_length or 3


@dataclass(frozen=True)
class Session:
    """The parts of a Tyk ``user.SessionState`` the decision reads (spec §7 last bullet).

    Attributes:
        key_id: the stored key that matched (Tyk ``session.KeyID``).
        org_id, certificate, bindings (``mtls_static_certificate_bindings``), meta_data,
        is_inactive, expires (Unix seconds, 0 = never), access_rights (api id → entry).
    """

    key_id: str
    org_id: str = ""
    certificate: str = ""
    bindings: tuple[str, ...] = ()
    meta_data: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    is_inactive: bool = False
    expires: int = 0
    access_rights: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "org_id": (str,), "certificate": (str,), "mtls_static_certificate_bindings": (list,),
    "meta_data": (dict,), "is_inactive": (bool,), "expires": (int, float), "access_rights": (dict,),
}
"""JSON types of the fields read; ``null`` is accepted for each (Go leaves the zero value)."""

_TYPE_WORDS = {"org_id": "a string", "certificate": "a string",
               "mtls_static_certificate_bindings": "an array of strings", "meta_data": "an object",
               "is_inactive": "a boolean", "expires": "an integer (Unix seconds)",
               "access_rights": "an object"}

INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1


def _escape(key: Any) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def _non_finite(data: Any, ptr: str = "") -> tuple[str, float] | None:
    """The first NaN or infinity anywhere in ``data``: ``(relative pointer, value)``, or None."""
    stack: list[tuple[Any, str]] = [(data, ptr)]
    while stack:
        node, at = stack.pop()
        if isinstance(node, float) and not math.isfinite(node):
            return at, node
        if isinstance(node, dict):
            stack.extend((v, f"{at}/{_escape(k)}") for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend((v, f"{at}/{i}") for i, v in reversed(list(enumerate(node))))
    return None


def _int64_problem(name: str, value: int | float) -> str | None:
    """Why ``value`` cannot be Go ``int64`` field ``name``, or None."""
    if isinstance(value, float) and not value.is_integer():
        return f"`{name}` must be a whole number of seconds, not {value!r}"
    if not INT64_MIN <= value <= INT64_MAX:
        return (f"`{name}` is out of range: Tyk stores it as a 64-bit integer "
                f"({INT64_MIN} to {INT64_MAX})")
    return None


def session_problem(data: Any) -> tuple[str, str] | None:
    """Find why ``data`` is not a usable Tyk session object.

    Checks the JSON type of every field the decision reads (``null`` is accepted, as Go's
    decoder leaves the zero value), that ``expires`` is a whole number within Go's ``int64``,
    that binding items are strings, and that no number anywhere in the session is NaN or an
    infinity (JSON cannot hold them, so Tyk could not have stored the session).

    Returns ``(relative JSON Pointer of the offending member, "" for the session itself,
    message)``, or None when the session is usable.  Messages use JSON type names.
    """
    from oascompile.load import json_type_name

    if not isinstance(data, dict):
        return "", f"a session must be an object, not {json_type_name(data)}"
    bad = _non_finite(data)
    if bad is not None:
        where, value = bad
        shown = "NaN" if value != value else ("infinity" if value > 0 else "-infinity")
        name = where.rsplit("/", 1)[-1]
        return where, (f"`{name}` is {shown}: NaN, infinities and numbers beyond a 64-bit "
                       "float (such as 1e400) cannot be stored in a Tyk session")
    for name, types in _FIELD_TYPES.items():
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, types) or (name == "expires" and isinstance(value, bool)):
            return f"/{name}", f"`{name}` must be {_TYPE_WORDS[name]}, not {json_type_name(value)}"
        if name == "expires":
            problem = _int64_problem(name, value)
            if problem:
                return f"/{name}", problem
    for i, item in enumerate(data.get("mtls_static_certificate_bindings") or ()):
        if not isinstance(item, str):
            return (f"/mtls_static_certificate_bindings/{i}",
                    "`mtls_static_certificate_bindings` items must be strings, "
                    f"not {json_type_name(item)}")
    return None


def check_session_object(data: Any) -> str | None:
    """Return a problem description (with the offending field) when ``data`` is not a usable
    Tyk session object, else None (see :func:`session_problem`)."""
    problem = session_problem(data)
    return None if problem is None else problem[1]


def session_from_json(key_id: str, data: dict) -> Session:
    """Build a :class:`Session` from a checked session object (see :func:`check_session_object`)."""
    return Session(
        key_id=key_id,
        org_id=data.get("org_id") or "",
        certificate=data.get("certificate") or "",
        bindings=tuple(data.get("mtls_static_certificate_bindings") or ()),
        meta_data=MappingProxyType(dict(data.get("meta_data") or {})),
        is_inactive=bool(data.get("is_inactive", False)),
        expires=int(data.get("expires") or 0),
        access_rights=MappingProxyType(dict(data.get("access_rights") or {})),
    )


class Store(Protocol):
    """Anything that returns the raw session JSON text stored under a Redis-style key."""

    def get(self, key: str) -> str | None:
        """The stored JSON text under ``key`` (``apikey-…``), or None."""

    def certificates(self) -> frozenset[str]:
        """Certificate ids known from stored sessions (for the simplified certificate store)."""


class FileStore:
    """Sessions from a file, indexed by storage key with the given gateway options.

    Args:
        sessions: mapping key id → session object (already type-checked).
        options: gateway options (``hash_keys`` decides the index).
    """

    def __init__(self, sessions: Mapping[str, dict], options: GatewayOptions) -> None:
        self._index: dict[str, str] = {}
        certs = set()
        for key_id, data in sessions.items():
            self._index.setdefault(storage_key(key_id, options.hash_keys), json.dumps(data))
            if data.get("certificate"):
                certs.add(data["certificate"])
        self._certs = frozenset(certs)

    def get(self, key: str) -> str | None:
        """Stored JSON under ``key`` or None."""
        return self._index.get(key)

    def certificates(self) -> frozenset[str]:
        """``certificate`` values of every session in the file."""
        return self._certs


def display_url(url: str) -> str:
    """``url`` with its password replaced by ``***`` (``redis://u:***@host:6379/0``), for
    messages; unchanged when it has none or cannot be split."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        host = parts.netloc.rpartition("@")[2]
        user = parts.username or ""
        return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
    except ValueError:
        return url


class RedisStore:
    """Sessions read from a real Redis (``--redis URL``), keys as Tyk writes them.

    Raises InputError (on first use) when the ``redis`` package is missing, the URL is not a
    Redis URL, or Redis cannot be reached; messages read ``oascompile: --redis URL: …`` with
    any password in the URL shown as ``***``.  Only the URL the user gave is contacted.
    """

    def __init__(self, url: str) -> None:
        try:
            import redis  # lazy: only --redis needs it
        except ImportError:  # pragma: no cover - dependency present in the venv
            raise InputError("--redis needs the 'redis' Python package (pip install redis)") from None
        self._url = display_url(url)
        self._errors = (redis.RedisError, OSError, ValueError)
        try:
            self._client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        except self._errors as exc:
            raise InputError(f"--redis {self._url}: not a usable Redis URL: {exc}") from None

    def get(self, key: str) -> str | None:
        """``GET key`` decoded as UTF-8, or None."""
        try:
            raw = self._client.get(key)
        except self._errors as exc:
            raise InputError(f"--redis {self._url}: cannot read sessions: {exc}") from None
        return raw.decode("utf-8", "replace") if raw is not None else None

    def certificates(self) -> frozenset[str]:
        """Not enumerated for Redis: the certificate store is the allowlist plus the matched
        session's own ``certificate`` (see certs.py)."""
        return frozenset()


@dataclass(frozen=True)
class Candidate:
    """One key tried: ``key`` (presented or generated), ``redis_key`` (``apikey-…``), ``why``
    (its role in the lookup order) and ``found``."""

    key: str
    redis_key: str
    why: str
    found: bool


@dataclass(frozen=True)
class Lookup:
    """Result of :func:`lookup`: the ``session`` (None when not found), the ``candidates`` tried
    in order and a one-line ``reason``."""

    session: Session | None
    candidates: tuple[Candidate, ...]
    reason: str


def lookup(key: str, api_org: str, store: Store, options: GatewayOptions) -> Lookup:
    """Find the session for a presented key (Tyk ``CheckSessionAndIdentityForValidKey`` +
    ``SessionDetail``, spec §7 and §3.1 R9).

    Order: keys shorter than the effective ``min_token_length`` (bytes) are not found without any
    lookup; if ``TokenOrg(key) == api_org`` only ``key`` is tried; otherwise (1)
    generated-token(org, key) with ``hash_key_function`` (unless
    ``disable_key_actions_by_username``), (2) ``key``, (3) generated-token with each fallback
    function; the first stored one wins and becomes the session's key id.  A stored value that is
    not a JSON object counts as not found (Tyk fails to unmarshal it).
    """
    if len(key.encode("utf-8", "surrogateescape")) < options.effective_min_token_length:
        return Lookup(None, (), f"shorter than min_token_length "
                                f"{options.effective_min_token_length}: treated as not found")
    plan: list[tuple[str, str]] = []
    if token_org(key) == api_org:
        plan.append((key, "key as presented (its org matches the API org)"))
    else:
        if not options.disable_key_actions_by_username:
            fn = options.hash_key_function
            plan.append((generate_token(api_org, key, fn),
                         f"generated token for org {api_org!r}" + (f" ({fn})" if fn else " (legacy org+id)")))
        plan.append((key, "key as presented"))
        if not options.disable_key_actions_by_username:
            for fn in options.hash_key_function_fallback:
                plan.append((generate_token(api_org, key, fn), f"generated token, fallback {fn}"))
    tried = []
    for cand, why in plan:
        rkey = storage_key(cand, options.hash_keys)
        raw = store.get(rkey)
        data = None
        if raw is not None:
            try:
                data = json.loads(raw)
            except ValueError:
                data = None
        if isinstance(data, dict) and check_session_object(data) is None:
            tried.append(Candidate(cand, rkey, why, True))
            return Lookup(session_from_json(cand, data), tuple(tried), f"found under {rkey}")
        tried.append(Candidate(cand, rkey, why, False))
    return Lookup(None, tuple(tried), "no candidate key is stored")


def load_sessions(path: str, limits: Any = None) -> dict[str, dict]:
    """Read a ``--sessions`` file: a JSON or YAML mapping key id → Tyk session object.

    ``limits`` is a :class:`~oascompile.load.LoadLimits` (default limits when None).
    Returns the mapping (order kept).  Raises InputError with ``file:line:col`` when the file
    cannot be read or parsed, is not a mapping, or a session has a wrongly typed field.
    """
    from oascompile.load import LoadLimits, load_document

    doc = load_document(path, detect=False, limits=limits or LoadLimits())
    if not isinstance(doc.data, dict):
        raise doc.error("a sessions file must be a mapping of key id to Tyk session object", "")
    for key_id, data in doc.data.items():
        problem = session_problem(data)
        ptr = "/" + _escape(key_id)
        if problem is not None:
            where, message = problem
            at = ptr + where
            line, column = doc.position(at) if where else doc.value_position(ptr)
            raise InputError(f"session {key_id!r}: {message}", doc.name, line, column, at)
    return doc.data
