"""Strip authorization data: algorithm S (spec §4.1, Tyk ``StripAuth`` in
gateway/mw_strip_auth.go), plus the upstream view of the request.

:func:`strip_authorization` is pure: request in, new request plus a list of what was removed
out.  It reproduces the quirks of the gateway on purpose (examples S1–S14): every
``auth_configs`` entry is processed, query stripping re-encodes the whole query with sorted keys,
cookie stripping is a prefix match on the first ``Cookie`` line only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from oascompile.engine.request import (Request, canonical_header_key, encode_query, is_token,
                                       parse_query)
from oascompile.ir import APIDefinition, AuthConfig, Authentication



@dataclass(frozen=True)
class StripStep:
    """One action of algorithm S.

    Attributes:
        rule: ``S1`` (query), ``S2`` (header) or ``S3`` (cookie).
        config: the ``auth_configs`` key (or ``auth``) the action came from.
        name: the parameter/header/cookie-prefix targeted.
        changed: whether the request changed.
        detail: a human-readable account (what was removed or why nothing was).
    """

    rule: str
    config: str
    name: str
    changed: bool
    detail: str


@dataclass(frozen=True)
class StripResult:
    """Result of algorithm S: ``request`` after stripping, ``applied`` (False when stripping is
    off or the API is keyless), ``reason`` and the ``steps`` taken."""

    request: Request
    applied: bool
    reason: str
    steps: tuple[StripStep, ...]


def remove_dot_segments(path: str) -> str:
    """Go ``url.resolvePath`` for an absolute reference path: resolve ``.`` and ``..`` segments;
    a trailing ``.``/``..`` keeps a trailing slash (spec §4.1 step 1, URL re-resolution)."""
    if path == "":
        return ""
    if "." not in path:
        return path
    out: list[str] = []
    segments = path.split("/")
    if segments and segments[0] == "":
        segments = segments[1:]
    for seg in segments:
        if seg == ".":
            continue
        if seg == "..":
            if out:
                out.pop()
            continue
        out.append(seg)
    result = "/" + "/".join(out)
    if segments and segments[-1] in (".", "..") and not result.endswith("/"):
        result += "/"
    if result.startswith("//"):
        result = result[1:]
    return result


def strip_query(request: Request, name: str) -> Request:
    """S step 1 (Tyk ``stripFromParams``): delete every value of ``name`` and re-encode the whole
    query Go-style (:func:`encode_query`: keys sorted, values re-escaped, malformed pairs dropped,
    ``flag`` → ``flag=``); an empty result removes the ``?`` (unless the target ended in a bare
    ``?``, which Go keeps as ``ForceQuery``).  Dot segments in the path are resolved."""
    raw = request.raw_query
    pairs = [kv for kv in parse_query(raw or "") if kv[0] != name]
    query = encode_query(pairs)
    path = remove_dot_segments(request.path)
    if query:
        target = f"{path}?{query}"
    elif raw == "":
        target = f"{path}?"
    else:
        target = path
    return replace(request, target=target)


def delete_header(request: Request, name: str) -> Request:
    """S step 2 (Go ``Header.Del``): remove every line of header ``name`` (case-insensitive;
    a name with non-token characters removes nothing)."""
    if not is_token(name):
        return request
    key = canonical_header_key(name)
    kept = tuple((n, v) for n, v in request.headers if canonical_header_key(n) != key)
    return replace(request, headers=kept)


def strip_cookie(request: Request, target: str) -> tuple[Request, str | None]:
    """S step 3 (Tyk ``stripFromHeaders``, cookie part).

    Splits the **first** ``Cookie`` line on ``;``, removes the first part whose trimmed text
    starts with ``target`` (case-sensitive prefix), rejoins the rest with ``;`` (leading spaces
    kept) and replaces **all** ``Cookie`` lines with that single value at the first line's
    position.  Returns ``(request, removed part or None)``.
    """
    lines = [i for i, (n, _) in enumerate(request.headers) if canonical_header_key(n) == "Cookie"]
    if not lines:
        return request, None
    first = request.headers[lines[0]][1]
    parts = first.split(";")
    for index, part in enumerate(parts):
        if part.strip().startswith(target):
            value = ";".join(parts[:index] + parts[index + 1:])
            headers = []
            for i, (n, v) in enumerate(request.headers):
                if i == lines[0]:
                    headers.append((n, value))
                elif i not in lines:
                    headers.append((n, v))
            return replace(request, headers=tuple(headers)), part
    return request, None


def _entries(auth: Authentication) -> tuple[tuple[str, AuthConfig], ...]:
    if auth.auth_configs:
        return auth.auth_configs
    return (("auth", auth.deprecated_auth if auth.deprecated_auth is not None else AuthConfig()),)


def strip_authorization(auth: Authentication, request: Request) -> StripResult:
    """Algorithm S (spec §4.1; Tyk ``StripAuth.ProcessRequest``).

    Args:
        auth: the API's authentication settings.
        request: the request as it reached the gateway.

    Returns:
        a :class:`StripResult`.  Nothing happens when ``strip_auth_data`` is off or the API is
        keyless (the middleware is not installed, quirk 12).  Otherwise, for every
        ``auth_configs`` entry in document order (or once for the deprecated ``auth`` when
        ``auth_configs`` is empty): query (only when that entry's ``use_param``), header, cookie.
    """
    if not auth.strip_authorization_data:
        return StripResult(request, False, "strip_auth_data is off", ())
    if auth.keyless:
        return StripResult(request, False,
                           "strip_auth_data is on but the API is keyless: the middleware is not installed",
                           ())
    steps: list[StripStep] = []
    current = request
    for key, cfg in _entries(auth):
        header_name = cfg.strip_name("header")
        if cfg.query.enabled:
            pname = cfg.strip_name("query")
            before = current.target
            current = strip_query(current, pname)
            steps.append(StripStep("S1", key, pname, before != current.target,
                                   f"query re-encoded without {pname!r}: {before!r} -> {current.target!r}"))
        before_headers = current.headers
        current = delete_header(current, header_name)
        removed = len(before_headers) - len(current.headers)
        steps.append(StripStep("S2", key, header_name, removed > 0,
                               f"removed {removed} {header_name!r} header line(s)" if removed
                               else f"no {header_name!r} header"))
        cname = cfg.strip_name("cookie")
        current, part = strip_cookie(current, cname)
        steps.append(StripStep("S3", key, cname, part is not None,
                               f"removed cookie part {part.strip()!r} (prefix {cname!r}) from the first Cookie line"
                               if part is not None else f"no cookie starting with {cname!r} on the first Cookie line"))
    return StripResult(current, True, "strip_auth_data is on", tuple(steps))


def upstream_target(definition: APIDefinition, target: str) -> str:
    """Path plus query as forwarded upstream: the listen path is removed when
    ``strip_listen_path`` is on, then the path is joined to the path of ``target_url`` with
    one slash (Go ``singleJoiningSlash``).  With ``strip_listen_path: false`` and a target URL
    without a path this is ``target`` unchanged."""
    ident = definition.identity
    path, sep, query = target.partition("?")
    if ident.strip_listen_path and ident.listen_path and path.startswith(ident.listen_path.rstrip("/")):
        path = path[len(ident.listen_path.rstrip("/")):] or "/"
        if not path.startswith("/"):
            path = "/" + path
    base = _url_path(ident.target_url)
    if base and base != "/":
        if base.endswith("/") and path.startswith("/"):
            path = base + path[1:]
        elif not base.endswith("/") and not path.startswith("/"):
            path = base + "/" + path
        else:
            path = base + path
    return path + sep + query


def _url_path(url: str) -> str:
    rest = url.split("://", 1)[1] if "://" in url else ""
    slash = rest.find("/")
    if slash < 0:
        return ""
    return rest[slash:].split("?", 1)[0]


def upstream_headers(request: Request) -> tuple[tuple[str, str], ...]:
    """Header lines as the upstream receives them: Go's client trims values when writing
    (``Header.writeSubset``), so a Cookie value ``" b=2"`` arrives as ``"b=2"`` (spec §4.1)."""
    return tuple((n, v.strip(" \t")) for n, v in request.headers)
