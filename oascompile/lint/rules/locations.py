"""Rules about where the token is read from: header, query string, cookie (spec §3.1, §8).

Rules: token-in-query, location-name-collision, no-enabled-location, header-name-invalid,
cookie-name-invalid, empty-name-fallback, extension-source-ignored.
"""

from __future__ import annotations

from oascompile.lint.context import LintContext
from oascompile.lint.registry import Example, rule
from oascompile.lint.rules._common import CLASSIC_HEAD, is_token, oas_doc, relevant_tokens

KEY_HEADER = "    key: {type: apiKey, in: header, name: X-API-Key}\n"
KEY_ENABLED = "        key: {enabled: true}\n"


@rule(
    id="token-in-query",
    severity="error",
    summary="The token is accepted from the query string, where it leaks into logs.",
    what="""
        Flags an Auth Token configuration that reads the token from a query parameter:
        Classic `use_param: true`, an OAS apiKey scheme with `in: query`, or an extension
        `query: {enabled: true}` source.
    """,
    why="""
        URLs end up in access logs, analytics records, browser history and `Referer` headers,
        so a token in the query string leaks to everyone who can read those. RFC 6750 §2.3 and
        §5.3 advise against sending bearer tokens in the URI. Tyk reads the parameter whenever
        it is enabled (gateway/middleware.go::getAuthToken, spec quirk 1), and with strip
        authorization data it also re-encodes and sorts the whole query on every request
        (quirk 9).
    """,
    fix="Send the token in a header (`Authorization` or `X-API-Key`) and disable the query source.",
    failing=[Example(CLASSIC_HEAD + "auth_configs:\n  authToken:\n    name: authToken\n"
                     "    use_param: true\n    param_name: api_key\n", 6, 5),
             Example(oas_doc("    key: {type: apiKey, in: query, name: api_key}\n", KEY_ENABLED),
                     6, 25)],
    passing=[Example(CLASSIC_HEAD + "auth_configs:\n  authToken:\n    name: authToken\n"
                     "    auth_header_name: X-API-Key\n"),
             Example(oas_doc(KEY_HEADER, KEY_ENABLED))],
    references=("spec §8 quirk 1, 9", "gateway/middleware.go::getAuthToken", "RFC 6750 §2.3, §5.3"),
)
def token_in_query(ctx: LintContext) -> None:
    for token in relevant_tokens(ctx):
        src = token.source("query")
        if src.enabled:
            where = src.enabled_ptr
            ctx.report(where, f"{token.label} accepts the token from the query parameter "
                       f"`{token.runtime_name('query')}`; URLs are logged and sent in Referer",
                       "read the token from a header and disable the query source")


@rule(
    id="location-name-collision",
    severity="warning",
    summary="Two token sources use the same name; the later source silently wins.",
    what="""
        Flags two enabled sources of one Auth Token config that read the same name, for
        example header `Authorization` and cookie `Authorization` (names compared
        case-insensitively when the header is involved, as header names are).
    """,
    why="""
        The gateway consults header, then query, then cookie, and a later non-empty value
        replaces an earlier one (gateway/middleware.go::getAuthToken, spec quirks 2 and 3). A
        stale cookie with the same name therefore overrides the token a client sends in the
        header, and the client cannot tell why it gets 403.
    """,
    fix="Give each source its own name, or enable only one source.",
    failing=[Example(CLASSIC_HEAD + "auth_configs:\n  authToken:\n    name: authToken\n"
                     "    auth_header_name: session\n    use_cookie: true\n"
                     "    cookie_name: session\n", 8, 5)],
    passing=[Example(CLASSIC_HEAD + "auth_configs:\n  authToken:\n    name: authToken\n"
                     "    auth_header_name: X-API-Key\n    use_cookie: true\n"
                     "    cookie_name: session\n")],
    references=("spec §8 quirks 2, 3", "gateway/middleware.go::getAuthToken"),
)
def location_name_collision(ctx: LintContext) -> None:
    for token in relevant_tokens(ctx):
        enabled = [s for s in token.sources if s.enabled]
        for i, later in enumerate(enabled):
            for earlier in enabled[:i]:
                a, b = token.runtime_name(earlier.location), token.runtime_name(later.location)
                same = a.lower() == b.lower() if earlier.location == "header" else a == b
                if same:
                    ctx.report(later.name_ptr if later.name else later.enabled_ptr,
                               f"{token.label}: the {later.location} and the {earlier.location} "
                               f"both read `{b}`; a non-empty {later.location} value wins",
                               "use a distinct name for each source")
                    break


@rule(
    id="no-enabled-location",
    severity="error",
    summary="Auth Token is on but no header, query or cookie source is enabled.",
    what="""
        Flags an Auth Token config that is in use while its header is disabled and neither
        the query nor the cookie source is enabled (Classic `disable_header: true`,
        `use_param: false`, `use_cookie: false`; an OAS apiKey scheme without a valid `in`
        and no enabled extension source).
    """,
    why="""
        No token can ever be read, so every request fails with 401 `Authorization field
        missing` (or needs a client certificate). Tyk's own Classic validator rejects the
        definition ("all auth sources are disabled for authToken",
        apidef/validator.go::RuleAtLeastEnableOneAuthSource), and migration to Tyk OAS yields
        an apiKey scheme without `in`/`name`, which is invalid OpenAPI (spec quirk 17, M6).
    """,
    fix="Enable at least one source, normally the header (`disable_header: false`).",
    failing=[Example(CLASSIC_HEAD + "auth_configs:\n  authToken:\n    name: authToken\n"
                     "    disable_header: true\n    use_param: false\n", 4, 3)],
    passing=[Example(CLASSIC_HEAD + "auth_configs:\n  authToken:\n    name: authToken\n"
                     "    disable_header: false\n")],
    references=("spec §8 quirk 17, example M6", "apidef/validator.go::RuleAtLeastEnableOneAuthSource"),
)
def no_enabled_location(ctx: LintContext) -> None:
    for token in relevant_tokens(ctx):
        if not any(s.enabled for s in token.sources):
            ctx.report(token.pointer, f"{token.label}: all auth sources are disabled; no token "
                       "can be read, every request gets 401",
                       "enable the header source (disable_header: false) or a query/cookie source")


@rule(
    id="header-name-invalid",
    severity="error",
    summary="A configured header name has characters a header name cannot have.",
    what="""
        Flags a token header name (Classic `auth_header_name`, OAS `in: header` `name`,
        extension `header.name`) or a signature header name that is not an RFC 9110 token, for
        example one with a space, a colon or a trailing blank.
    """,
    why="""
        Go canonicalises header names with textproto; a name with non-token characters is
        never canonicalised and never matches a header a client can send, so the source is
        dead and every request is rejected (spec §3.1 notes, quirk 44).
    """,
    fix="Use a plain header name such as `X-API-Key` (letters, digits and `-`).",
    failing=[Example(CLASSIC_HEAD + "auth_configs:\n  authToken:\n    name: authToken\n"
                     "    auth_header_name: 'X-API-Key '\n", 6, 5),
             Example(oas_doc("    key: {type: apiKey, in: header, name: 'X API Key'}\n",
                             KEY_ENABLED), 6, 37)],
    passing=[Example(CLASSIC_HEAD + "auth_configs:\n  authToken:\n    name: authToken\n"
                     "    auth_header_name: X-API-Key\n")],
    references=("spec §3.1, §8 quirk 44", "RFC 9110 §5.1, §5.6.2"),
)
def header_name_invalid(ctx: LintContext) -> None:
    for token in relevant_tokens(ctx):
        header = token.header
        if header.enabled and header.name and not is_token(header.name):
            ctx.report(header.name_ptr, f"{token.label}: header name {header.name!r} is not a "
                       "valid HTTP field name; it never matches a request header",
                       "remove spaces and separators from the header name")
        sig = token.signature
        if sig.enabled and sig.header and not is_token(sig.header):
            ctx.report(sig.ptr["header"], f"{token.label}: signature header {sig.header!r} is "
                       "not a valid HTTP field name", "use a plain header name")


@rule(
    id="cookie-name-invalid",
    severity="error",
    summary="A configured cookie name is not a valid cookie name.",
    what="""
        Flags an enabled cookie source whose name is not an RFC 6265 cookie-name (an RFC 9110
        token: no spaces, `=`, `;`, quotes, …).
    """,
    why="""
        Go's cookie parser skips cookies whose name is not a valid token, so the configured
        cookie is never found and the source never yields a token (spec §3.1 notes,
        gateway/middleware.go::getAuthToken).
    """,
    fix="Use a cookie name made of letters, digits and `-_.`.",
    failing=[Example(CLASSIC_HEAD + "auth_configs:\n  authToken:\n    name: authToken\n"
                     "    use_cookie: true\n    cookie_name: 'my session'\n", 7, 5)],
    passing=[Example(CLASSIC_HEAD + "auth_configs:\n  authToken:\n    name: authToken\n"
                     "    use_cookie: true\n    cookie_name: my_session\n")],
    references=("spec §3.1", "RFC 6265 §4.1.1", "gateway/middleware.go::getAuthToken"),
)
def cookie_name_invalid(ctx: LintContext) -> None:
    for token in relevant_tokens(ctx):
        cookie = token.source("cookie")
        if cookie.enabled and cookie.name and not is_token(cookie.name):
            ctx.report(cookie.name_ptr, f"{token.label}: cookie name {cookie.name!r} is not a "
                       "valid cookie name; the cookie is never read",
                       "use letters, digits and -_. only")


@rule(
    id="empty-name-fallback",
    severity="warning",
    summary="A query or cookie source has no name and falls back to another name.",
    what="""
        Flags an enabled query or cookie source with an empty name. The gateway then reads
        the header name instead, but only while the header is enabled with a name; otherwise
        it reads `Authorization`.
    """,
    why="""
        The fallback depends on a different setting (gateway/middleware.go::getAuthToken, spec
        quirk 4, examples E11/E12), and strip authorization data uses yet another rule (quirk
        5), so the name clients must use changes when someone disables the header.
    """,
    fix="Set `param_name` / `cookie_name` (or the extension source's `name`) explicitly.",
    failing=[Example(CLASSIC_HEAD + "auth_configs:\n  authToken:\n    name: authToken\n"
                     "    auth_header_name: X-Key\n    use_param: true\n", 7, 5)],
    passing=[Example(CLASSIC_HEAD + "auth_configs:\n  authToken:\n    name: authToken\n"
                     "    auth_header_name: X-Key\n    use_param: true\n    param_name: key\n")],
    references=("spec §3.1, §8 quirk 4", "gateway/middleware.go::getAuthToken"),
)
def empty_name_fallback(ctx: LintContext) -> None:
    for token in relevant_tokens(ctx):
        for loc in ("query", "cookie"):
            src = token.source(loc)
            if src.enabled and not src.name and not src.primary:
                ctx.report(src.enabled_ptr, f"{token.label}: the {loc} source has no name; the "
                           f"gateway reads `{token.runtime_name(loc)}`",
                           f"name the {loc} source explicitly")


@rule(
    id="extension-source-ignored",
    severity="warning",
    formats=("oas",),
    summary="An extension source repeats the scheme's own `in` location and is ignored.",
    what="""
        Flags `x-tyk-api-gateway…securitySchemes.<name>.<location>` when `<location>` is the
        `in` of the OpenAPI apiKey scheme `<name>` and the entry disagrees with the scheme
        (disabled, or another name). An entry that repeats the scheme is left alone.
    """,
    why="""
        On Extract the OpenAPI scheme overrides its own location: the gateway reads the
        scheme's `name` and the location is always enabled, whatever the extension says
        (apidef/oas/security.go::extractAPIKeySchemeTo, spec X6, quirk 26, example M11).
    """,
    fix="Remove the extension entry; change the OpenAPI scheme's `name` instead.",
    failing=[Example(oas_doc(KEY_HEADER, "        key:\n          enabled: true\n"
                             "          header: {enabled: false, name: X-Other}\n"), 19, 11)],
    passing=[Example(oas_doc(KEY_HEADER, "        key:\n          enabled: true\n"
                             "          query: {enabled: false, name: key}\n"))],
    references=("spec §2.3 X6, §8 quirk 26, example M11",
                "apidef/oas/security.go::extractAPIKeySchemeTo"),
)
def extension_source_ignored(ctx: LintContext) -> None:
    from oascompile.lint.facts import obj

    for token in ctx.facts.tokens:
        if token.ext_ptr is None:
            continue
        for src in token.sources:
            if src.primary:
                from oascompile import pointer as jp

                ext = obj(jp.resolve(ctx.data, token.ext_ptr, None))
                entry = ext.get(src.location)
                if isinstance(entry, dict) and (entry.get("enabled") is not True or entry.get(
                        "name", src.name) not in ("", src.name)):
                    ctx.report(f"{token.ext_ptr}/{src.location}",
                               f"{token.label} is `in: {src.location}`; this extension "
                               f"{src.location} entry is ignored (the scheme's name "
                               f"`{src.name}` is used, always enabled)",
                               "delete the extension entry")
