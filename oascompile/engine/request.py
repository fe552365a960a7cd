"""The request model: one raw HTTP/1.1 request, parsed once, never mutated.

The evaluation engine works on :class:`Request` values (frozen dataclasses).  Every engine step
that "changes" the request (strip authorization data, spec §4) returns a new one.

Parsing follows what the gateway's Go ``net/http`` server sees (spec §3.1 "Notes on stdlib
parsing"):

* header names must be RFC 7230 tokens and are matched case-insensitively through Go's MIME
  canonicalisation (``textproto.CanonicalMIMEHeaderKey``); a configured name containing a
  non-token character is never canonicalised and never matches;
* header values have leading/trailing spaces and tabs trimmed; repeated headers are kept in order;
* ``Host`` is moved out of the header map by Go (``r.Host``), so a header lookup of ``Host`` is
  empty, although the line is still forwarded;
* the query string is parsed like ``url.ParseQuery`` (:func:`parse_query`), cookies like
  ``http.Request.Cookie`` (:func:`cookie_value`).

Query and cookie strings are handled as ``str`` holding the raw bytes decoded as UTF-8 with
``surrogateescape``, so percent-decoded bytes that are not UTF-8 survive re-encoding unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from oascompile.errors import InputError

_TOKEN_CHARS = frozenset("!#$%&'*+-.^_`|~0123456789"
                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_METHOD_RE = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_VERSION_RE = re.compile(r"^HTTP/[0-9]\.[0-9]$")
_OWS = " \t"


def is_token(name: str) -> bool:
    """True when ``name`` is a non-empty RFC 7230 token (valid header / cookie name)."""
    return bool(name) and all(c in _TOKEN_CHARS for c in name)


def canonical_header_key(name: str) -> str:
    """Go ``textproto.CanonicalMIMEHeaderKey``: ``x-api-key`` → ``X-Api-Key``.

    A name that is empty or contains a non-token character is returned unchanged (Go does the
    same), which is why such configured names never match a real header (spec quirk 44).
    """
    if not is_token(name):
        return name
    out = []
    upper = True
    for c in name:
        if upper and "a" <= c <= "z":
            c = chr(ord(c) - 32)
        elif not upper and "A" <= c <= "Z":
            c = chr(ord(c) + 32)
        out.append(c)
        upper = c == "-"
    return "".join(out)


@dataclass(frozen=True)
class Request:
    """One HTTP/1.1 request.

    Attributes:
        method: request method, e.g. ``GET``.
        target: the request-target exactly as sent (origin form ``/path?query``).
        version: e.g. ``HTTP/1.1``.
        headers: every header line in order as ``(name, value)``; names as written, values
            trimmed of spaces/tabs.
        body: the body bytes (may be empty).
    """

    method: str
    target: str
    version: str = "HTTP/1.1"
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    @property
    def path(self) -> str:
        """The target up to (not including) the first ``?``."""
        return self.target.split("?", 1)[0]

    @property
    def raw_query(self) -> str | None:
        """The raw query after the first ``?``; None when the target has no ``?``."""
        parts = self.target.split("?", 1)
        return parts[1] if len(parts) == 2 else None

    def header_values(self, name: str) -> tuple[str, ...]:
        """All values of header ``name`` in order (Go ``r.Header[CanonicalMIMEHeaderKey(name)]``).

        Names with non-token characters and ``Host`` (moved to ``r.Host`` by Go) match nothing.
        """
        key = canonical_header_key(name)
        if not is_token(name) or key == "Host":
            return ()
        return tuple(v for n, v in self.headers if canonical_header_key(n) == key)

    def header(self, name: str) -> str:
        """First value of header ``name`` or "" (Go ``r.Header.Get``)."""
        values = self.header_values(name)
        return values[0] if values else ""

    def query(self, name: str) -> str:
        """First value of query parameter ``name`` (case-sensitive) or "" (Go
        ``r.URL.Query().Get``), decoded per :func:`parse_query`."""
        for key, value in parse_query(self.raw_query or ""):
            if key == name:
                return value
        return ""

    def cookie(self, name: str) -> str:
        """Value of the first valid cookie named exactly ``name`` or "" (Go ``r.Cookie``)."""
        return cookie_value(self.header_values("Cookie"), name)


# --------------------------------------------------------------------------- query (net/url)
_HEX = "0123456789abcdefABCDEF"


def _unescape_component(s: str) -> str | None:
    """Go ``url.QueryUnescape``: ``+`` → space, ``%XX`` → byte; None on a bad escape."""
    if "%" not in s and "+" not in s:
        return s
    raw = s.encode("utf-8", "surrogateescape")
    out = bytearray()
    i, n = 0, len(raw)
    while i < n:
        b = raw[i]
        if b == 0x25:  # %
            if i + 2 >= n:
                return None
            h1, h2 = chr(raw[i + 1]), chr(raw[i + 2])
            if h1 not in _HEX or h2 not in _HEX:
                return None
            out.append(int(h1 + h2, 16))
            i += 3
        elif b == 0x2B:  # +
            out.append(0x20)
            i += 1
        else:
            out.append(b)
            i += 1
    return out.decode("utf-8", "surrogateescape")


def parse_query(raw: str) -> tuple[tuple[str, str], ...]:
    """Go ``url.ParseQuery`` on a raw query: ``(key, value)`` pairs in order.

    Pairs are split on ``&`` only; a pair containing ``;`` is dropped, as is a pair with a bad
    ``%`` escape in key or value; ``k`` without ``=`` gives value "" (spec §3.1 notes, E5–E10).
    """
    pairs = []
    for part in raw.split("&"):
        if not part or ";" in part:
            continue
        key, _, value = part.partition("=")
        k = _unescape_component(key)
        v = _unescape_component(value)
        if k is None or v is None:
            continue
        pairs.append((k, v))
    return tuple(pairs)


_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def query_escape(s: str) -> str:
    """Go ``url.QueryEscape``: space → ``+``, ``A-Za-z0-9-_.~`` kept, every other byte ``%XX``
    (upper-case hex)."""
    out = []
    for b in s.encode("utf-8", "surrogateescape"):
        if b in _UNRESERVED:
            out.append(chr(b))
        elif b == 0x20:
            out.append("+")
        else:
            out.append(f"%{b:02X}")
    return "".join(out)


def encode_query(pairs: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> str:
    """Go ``url.Values.Encode``: keys sorted byte-wise (stable, so values keep their order),
    ``QueryEscape(k)=QueryEscape(v)`` joined with ``&``."""
    ordered = sorted(pairs, key=lambda kv: kv[0].encode("utf-8", "surrogateescape"))
    return "&".join(f"{query_escape(k)}={query_escape(v)}" for k, v in ordered)


# --------------------------------------------------------------------------- cookies (net/http)
def _valid_cookie_value_byte(c: str) -> bool:
    return "\x20" <= c < "\x7f" and c not in '";\\'


def parse_cookie_value(raw: str) -> str | None:
    """Go ``parseCookieValue(raw, allowDoubleQuote=true)``: strip one pair of surrounding double
    quotes, then every byte must be 0x20–0x7E except ``"``, ``;``, ``\\``; None when invalid."""
    if len(raw) > 1 and raw[0] == '"' and raw[-1] == '"':
        raw = raw[1:-1]
    return raw if all(_valid_cookie_value_byte(c) for c in raw) else None


def parse_cookies(lines: tuple[str, ...] | list[str]) -> tuple[tuple[str, str], ...]:
    """Go ``readCookies``: every valid ``(name, value)`` across all ``Cookie`` lines, in order.

    Each line and each ``;``-separated part is trimmed; the name (trimmed) must be a token;
    invalid values are skipped; no percent-decoding (spec §3.1, E16–E20).
    """
    cookies = []
    for line in lines:
        for part in line.strip(" \t\r\n").split(";"):
            part = part.strip(" \t\r\n")
            if not part:
                continue
            name, _, value = part.partition("=")
            name = name.strip(" \t\r\n")
            if not is_token(name):
                continue
            parsed = parse_cookie_value(value)
            if parsed is None:
                continue
            cookies.append((name, parsed))
    return tuple(cookies)


def cookie_value(lines: tuple[str, ...] | list[str], name: str) -> str:
    """Value of the first valid cookie named exactly ``name`` (case-sensitive) or ""."""
    for cname, value in parse_cookies(lines):
        if cname == name:
            return value
    return ""


# --------------------------------------------------------------------------- raw request parser
_UTF16 = "UTF-16 is not supported; save the request as UTF-8/ASCII"


def parse_request(data: bytes | str, file: str | None = None) -> Request:
    """Parse one raw HTTP/1.1 request (request line, header lines, blank line, optional body).

    Args:
        data: the request bytes (UTF-8; other bytes are kept via ``surrogateescape``) or text.
            Line ends may be LF or CRLF; empty lines before the request line are skipped (as
            Go does) and still count for line numbers.
        file: the file name, used in error positions.

    Returns:
        a :class:`Request`.  An absolute-form target (``http://host/p?q``) is reduced to its
        origin form ``/p?q`` and a ``Host`` line is added when the request had none.

    Raises:
        InputError: with ``file:line:col`` for a UTF-16 byte-order mark or a NUL byte before the
            body (UTF-16 text), a malformed request line, an HTTP version Go's server does not
            serve (see :func:`check_version`), a header line without a colon or with an invalid
            name, obsolete line folding, or an empty input.
    """
    if isinstance(data, bytes):
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise InputError(f"the request starts with a UTF-16 byte-order mark: {_UTF16}", file, 1, 1)
        text = data.decode("utf-8", "surrogateescape")
    else:
        text = data
    if text.startswith("\ufeff"):
        text = text[1:]
    # split head and body at the first empty line; keep each head line's 1-based number
    lines: list[tuple[int, str]] = []
    pos = 0
    number = 0
    body = ""
    while True:
        nl = text.find("\n", pos)
        number += 1
        if nl < 0:
            line = text[pos:]
            if line:
                lines.append((number, line[:-1] if line.endswith("\r") else line))
            break
        line = text[pos:nl]
        if line.endswith("\r"):
            line = line[:-1]
        pos = nl + 1
        if line == "" and lines:
            body = text[pos:]
            break
        if line == "" and not lines:
            continue  # Go skips leading empty lines before the request line
        lines.append((number, line))
    if not lines:
        raise InputError("empty HTTP request: expected a request line like 'GET /path HTTP/1.1'",
                         file, 1, 1)
    for number, line in lines:
        if "\x00" in line:
            raise InputError(f"NUL byte in the request line or headers ({_UTF16})", file, number,
                             line.index("\x00") + 1)
    first_no, first = lines[0]
    parts = first.split(" ")
    if len(parts) != 3 or not all(parts):
        raise InputError(f"malformed request line {first[:80]!r}: expected 'METHOD TARGET HTTP/1.1'",
                         file, first_no, 1)
    method, target, version = parts
    if not _METHOD_RE.match(method):
        raise InputError(f"invalid request method {method!r}", file, first_no, 1)
    problem = check_version(version)
    if problem:
        raise InputError(problem, file, first_no, len(method) + len(target) + 3)
    headers: list[tuple[str, str]] = []
    for index, line in lines[1:]:
        if line[:1] in (" ", "\t"):
            raise InputError("obsolete header line folding is not supported", file, index, 1)
        name, colon, value = line.partition(":")
        if not colon:
            raise InputError(f"malformed header line {line[:80]!r}: missing ':'", file, index, 1)
        if not is_token(name):
            raise InputError(f"invalid header name {name!r}", file, index, 1)
        headers.append((name, value.strip(_OWS)))
    target = _origin_form(target, headers, file, first_no)
    return Request(method=method, target=target, version=version, headers=tuple(headers),
                   body=body.encode("utf-8", "surrogateescape"))


def check_version(version: str) -> str | None:
    """Why Go's HTTP/1 server would not serve a request with this version, or None.

    Go's ``http.ParseHTTPVersion`` reads exactly ``HTTP/<digit>.<digit>`` (else 400 "malformed
    HTTP version"), and ``http1ServerSupportsRequest`` serves major version 1 only (else 505
    HTTP Version Not Supported).  So ``HTTP/1.0`` and ``HTTP/1.1`` are served, and Go also
    serves ``HTTP/1.2`` … ``HTTP/1.9`` as HTTP/1.x; ``HTTP/2`` is malformed and ``HTTP/9.9``,
    ``HTTP/2.0`` and ``HTTP/0.9`` are answered 505.
    """
    if not _VERSION_RE.match(version):
        return (f"invalid HTTP version {version[:20]!r}: expected HTTP/1.1 or HTTP/1.0 "
                "(Go's server answers 400 Bad Request: malformed HTTP version)")
    if version[5] != "1":
        return (f"unsupported HTTP version {version!r}: expected HTTP/1.1 or HTTP/1.0 (Go's "
                "server answers 505 HTTP Version Not Supported)")
    return None


def _origin_form(target: str, headers: list[tuple[str, str]], file: str | None, line: int = 1) -> str:
    if target.startswith("/"):
        return target
    m = re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*://([^/?]*)(.*)$", target)
    if m:
        if not any(canonical_header_key(n) == "Host" for n, _ in headers):
            headers.insert(0, ("Host", m.group(1)))
        rest = m.group(2)
        return rest if rest.startswith("/") else "/" + rest
    raise InputError(f"unsupported request target {target[:80]!r}: expected '/path' or an "
                     "absolute URL", file, line, 1)
