"""Helpers shared by the rule families."""

from __future__ import annotations

import re
from typing import Iterator

from oascompile.lint.context import LintContext
from oascompile.lint.facts import TokenConfig

TCHAR = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
"""RFC 9110 §5.6.2 ``token``: the characters allowed in a header field name, and (RFC 6265
§4.1.1) in a cookie name."""


def is_token(name: str) -> bool:
    """True when ``name`` is a non-empty RFC 9110 token."""
    return bool(TCHAR.match(name))


def relevant_tokens(ctx: LintContext) -> Iterator[TokenConfig]:
    """The Auth Token configs whose settings matter.

    Plain OpenAPI (no ``x-tyk-api-gateway``): every apiKey scheme (the design is linted).
    Tyk OAS: every apiKey scheme unless authentication is off (keyless, spec X1).
    Classic: the config the runtime reads (R0) when the Auth Token middleware is installed
    (gateway/api_loader.go: not keyless and ``use_standard_auth`` or no other method).
    """
    facts = ctx.facts
    for token in facts.tokens:
        if facts.kind == "oas":
            if not facts.is_tyk or not facts.keyless:
                yield token
        elif facts.auth_token_runs(token):
            yield token


CLASSIC_HEAD = """\
use_keyless: false
use_standard_auth: true
"""
"""First lines of the Classic examples (Auth Token on)."""


def oas_doc(schemes: str, ext_schemes: str = "", security: str = "  - key: []\n",
            auth_extra: str = "") -> str:
    """Build a small Tyk OAS example document.

    ``schemes`` is the body of ``components.securitySchemes`` (indented 4), ``ext_schemes``
    the body of the extension's ``securitySchemes`` (scheme names indented 8), ``security`` the body of
    root ``security`` (indented 2), ``auth_extra`` more members of ``authentication``
    (indented 8).
    """
    doc = ("openapi: 3.0.3\n"
           "info: {title: Pets, version: '1'}\n"
           "paths: {}\n"
           "components:\n"
           "  securitySchemes:\n" + schemes)
    if security:
        doc += "security:\n" + security
    doc += ("x-tyk-api-gateway:\n"
            "  info: {name: Pets, state: {active: true}}\n"
            "  upstream: {url: 'http://upstream.test'}\n"
            "  server:\n"
            "    listenPath: {value: /pets/}\n"
            "    authentication:\n"
            "      enabled: true\n" + auth_extra)
    if ext_schemes:
        doc += "      securitySchemes:\n" + ext_schemes
    return doc
