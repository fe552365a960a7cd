"""Structural rules: OpenAPI validity, the Tyk extension schema, the Classic schema.

Rules: oas-schema, tyk-extension-schema, classic-schema.

``oas-schema`` first asks :func:`oascompile.lint.openapi_fast.proven_valid` whether
openapi-spec-validator (osv) would report nothing; when that is proven, osv is not even
imported.  Otherwise osv runs (its pure-Python backend, so messages are osv's).  Its ``$ref``
resolution goes through jsonschema-path handlers; we install handlers that refuse every
non-local URI unless ``--allow-remote-refs`` was given.  A refused URI is answered with a stub
document that has an empty schema at every fragment the file asks for, so validation of the
rest of the document completes, and each refused URI becomes one finding at its first
``$ref``.  No network access happens without the option.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urldefrag, urlsplit

from oascompile import pointer as jp
from oascompile.lint.context import LintContext
from oascompile.lint.facts import EXT
from oascompile.lint.registry import Example, rule

MAX_MESSAGE = 240
CLASSIC_MIN = ("name: Pets\nproxy: {listen_path: /pets/, target_url: 'http://up.test'}\n"
               "version_data: {not_versioned: true, versions: {Default: {name: Default}}}\n")


def iter_refs(node: Any, ptr: str = "") -> Iterator[tuple[str, str]]:
    """(pointer of the ``$ref`` member, its value) for every string ``$ref`` in ``node``."""
    stack = [(node, ptr)]
    while stack:
        cur, p = stack.pop()
        if isinstance(cur, dict):
            ref = cur.get("$ref")
            if isinstance(ref, str):
                yield p + "/$ref", ref
            stack.extend((v, p + "/" + jp.escape(k)) for k, v in reversed(list(cur.items()))
                         if isinstance(v, (dict, list)))
        elif isinstance(cur, list):
            stack.extend((v, f"{p}/{i}") for i, v in reversed(list(enumerate(cur)))
                         if isinstance(v, (dict, list)))


def _stub(fragments: set[str]) -> dict:
    """A document holding ``{}`` at every JSON-Pointer fragment in ``fragments``."""
    root: dict = {}
    for frag in fragments:
        cur = root
        try:
            tokens = jp.split(frag) if frag else []
        except ValueError:
            continue
        for tok in tokens:
            cur = cur.setdefault(tok, {})
    return root


class _Handlers(dict):
    """jsonschema-path handlers for every URI scheme: local files are read, other URIs are
    refused (recorded, answered with a stub) unless remote references are allowed."""

    def __init__(self, allow_remote: bool, fragments: dict[str, set[str]]) -> None:
        super().__init__()
        self.allow_remote = allow_remote
        self.fragments = fragments
        self.refused: list[str] = []

    def __contains__(self, scheme: object) -> bool:
        return True

    def __getitem__(self, scheme: str):
        return self.fetch

    def fetch(self, uri: str) -> Any:
        from jsonschema_path.handlers import default_handlers

        scheme = urlsplit(uri).scheme
        if scheme == "file":
            return default_handlers["file"](uri)
        if self.allow_remote and scheme in ("http", "https"):
            return default_handlers[scheme](uri)
        base = urldefrag(uri)[0]
        if base not in self.refused:
            self.refused.append(base)
        return _stub(self.fragments.get(base, set()))


_VALIDATOR_CLASSES: dict[str, type] = {}


def _validator_class(version: str) -> type:
    """openapi-spec-validator's class for ``version``, subclassed to take our handlers."""
    key = "3.1" if version.startswith("3.1") else "3.0"
    if key not in _VALIDATOR_CLASSES:
        from oascompile.lint.openapi_fast import exact_validator_class

        base = exact_validator_class(key)

        def __init__(self, schema: Any, base_uri: str, handlers: dict) -> None:
            self.resolver_handlers = handlers
            base.__init__(self, schema, base_uri=base_uri)

        _VALIDATOR_CLASSES[key] = type("Local" + base.__name__, (base,), {"__init__": __init__})
    return _VALIDATOR_CLASSES[key]


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


@rule(
    id="oas-schema",
    severity="error",
    formats=("oas",),
    summary="The document is not a valid OpenAPI 3.0/3.1 description.",
    what="""
        Validates the document with openapi-spec-validator (OpenAPI 3.0 or 3.1 schema plus
        its semantic checks: path parameters, defaults against schemas, …) and places each
        error at its line and column. `$ref`s to other hosts are not fetched unless
        `--allow-remote-refs` is given; each unfetched URI is reported once.
    """,
    why="""
        Tyk validates every Tyk OAS definition with kin-openapi and the bundled OpenAPI schema
        before it accepts it (apidef/oas/validator.go, apidef/oas/oas.go::Validate, spec
        §1.6); an invalid document cannot be imported or migrated.
    """,
    fix="Fix the reported member; the message names the schema constraint that failed.",
    failing=[Example("openapi: 3.0.3\ninfo:\n  title: Pets\n  version: 1\npaths: {}\n", 4, 3)],
    passing=[Example("openapi: 3.0.3\ninfo:\n  title: Pets\n  version: '1'\npaths: {}\n")],
    references=("spec §1.5, §1.6", "apidef/oas/oas.go::Validate"),
)
def oas_schema(ctx: LintContext) -> None:
    from oascompile.lint.openapi_fast import proven_valid

    data = ctx.data
    if proven_valid(data):
        _ir_error(ctx, _outside_extension)
        return  # osv would report nothing (no remote $ref either); skip importing it
    from jsonschema.exceptions import best_match

    allow = bool(ctx.settings.get("allow_remote_refs"))
    fragments: dict[str, set[str]] = {}
    first_site: dict[str, str] = {}
    for ptr, ref in iter_refs(data):
        base, frag = urldefrag(ref)
        if base and urlsplit(base).scheme not in ("", "file"):
            fragments.setdefault(base, set()).add(frag)
            first_site.setdefault(base, ptr)
    handlers = _Handlers(allow, fragments)
    path = Path(ctx.doc.name)
    base_uri = path.resolve().as_uri() if ctx.doc.name != "<stdin>" and path.exists() else ""
    seen: set[tuple[str, str]] = set()
    try:
        validator = _validator_class(str(data.get("openapi", "3.0")))(data, base_uri, handlers)
        for err in validator.iter_errors():
            detail = best_match([err]) if err.context else err
            ptr = jp.join(*detail.absolute_path) if detail.absolute_path else jp.join(
                *err.absolute_path)
            if not ptr:
                ptr = _pointer_from_message(data, detail.message)
            message = _short(detail.message)
            if (ptr, message) in seen:
                continue
            seen.add((ptr, message))
            ctx.report(ptr, f"OpenAPI: {message}", "fix this member to match the OpenAPI "
                       f"{str(data.get('openapi', ''))[:3]} specification")
    except RecursionError:
        ctx.report("", "OpenAPI validation stopped: the document's $refs are too deeply nested",
                   "check for recursive $ref chains")
    except Exception as exc:  # an unresolvable reference or a validator limitation
        ctx.report(_ref_site(data, str(exc)) or "", f"OpenAPI validation stopped: "
                   f"{_short(type(exc).__name__ + ': ' + str(exc))}",
                   "fix the reference, or pass --allow-remote-refs for remote ones")
    ctx.memo["refused-remote"] = list(handlers.refused)
    _ir_error(ctx, _outside_extension)


def _remote_bases(data: Any) -> dict[str, str]:
    """Remote URI (without fragment) → pointer of its first ``$ref``, for every ``$ref`` whose
    URI has a scheme other than ``file``."""
    first: dict[str, str] = {}
    for ptr, ref in iter_refs(data):
        base = urldefrag(ref)[0]
        if base and urlsplit(base).scheme not in ("", "file"):
            first.setdefault(base, ptr)
    return first


@rule(
    id="remote-ref-not-fetched",
    severity="warning",
    formats=("oas",),
    summary="A `$ref` points outside the document and was not read, so its part was not checked.",
    what="""
        Reports each remote `$ref` URI that `oas-schema` did not fetch (no network unless
        `--allow-remote-refs`), once, at its first `$ref`; and a security scheme whose `$ref`
        points to another file or host, which oascompile never reads (the Auth Token rules
        cannot see that scheme).
    """,
    why="""
        Referencing shared schemas by URL is valid OpenAPI, but what the URI defines was not
        validated, and an Auth Token scheme defined elsewhere is not what Tyk extracts: Tyk
        reads the security schemes from the definition it is given (apidef/oas/security.go).
    """,
    fix="""
        Pass `--allow-remote-refs` to validate remote schemas, or vendor them locally; write
        security schemes inline in `components.securitySchemes`.
    """,
    failing=[Example("openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths:\n  /pets:\n"
                     "    get:\n      responses:\n        '200':\n          description: ok\n"
                     "          content:\n            application/json:\n              schema:\n"
                     "                $ref: 'https://schemas.example/pet.yaml#/Pet'\n", 12, 17)],
    passing=[Example("openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths: {}\n"
                     "components:\n  schemas:\n    Pet: {type: object}\n")],
    references=("spec §1.6", "apidef/oas/security.go"),
)
def remote_ref_not_fetched(ctx: LintContext) -> None:
    data = ctx.data
    _ir_error(ctx, _external_ref)
    if ctx.settings.get("allow_remote_refs"):
        return
    first = _remote_bases(data)
    refused = ctx.memo.get("refused-remote", list(first))
    for base in refused:
        site = first.get(base, "")
        if any(f.rule == ctx.rule.id and f.pointer == site and site for f in ctx.findings):
            continue  # the security scheme's own finding says it already
        sites = sum(1 for _, r in iter_refs(data) if urldefrag(r)[0] == base)
        ctx.report(site, f"remote $ref {base} was not fetched ({sites} "
                   "reference(s)); the parts it defines were not validated",
                   "pass --allow-remote-refs to fetch it, or vendor the schema locally")


_OPERATION = re.compile(r"for '(\w+)' operation in '([^']*)'")
_PATH = re.compile(r"in '(/[^']*)'")


def _pointer_from_message(data: Any, message: str) -> str:
    """Place openapi-spec-validator's semantic errors, which carry no path, by the operation or
    path their message names (e.g. "Path parameter 'x' for 'get' operation in '/' …")."""
    paths = data.get("paths") if isinstance(data, dict) else None
    if not isinstance(paths, dict):
        return ""
    m = _OPERATION.search(message)
    if m and m.group(2) in paths:
        ptr = jp.join("paths", m.group(2), m.group(1))
        return ptr if isinstance(paths[m.group(2)], dict) and m.group(1) in paths[m.group(2)] \
            else jp.join("paths", m.group(2))
    m = _PATH.search(message)
    if m and m.group(1) in paths:
        return jp.join("paths", m.group(1))
    return ""


def _ref_site(data: Any, text: str) -> str | None:
    for ptr, ref in iter_refs(data):
        if ref and ref in text:
            return ptr
    return None


def _schema_findings(ctx: LintContext, name: str, instance: Any, base: str, label: str) -> None:
    try:
        from oascompile.schemas import iter_errors
    except ImportError:
        return
    for err in iter_errors(name, instance, base):
        ctx.report(err.pointer, f"{label}: {_short(err.message)}",
                   f"fix this member to match the {label} schema (docs/schemas.md)")


def _external_ref(ctx: LintContext, err: Any) -> bool:
    """True when the converter refused a ``$ref`` string that points outside the document."""
    ptr = err.pointer or ""
    if not ptr.endswith("/$ref"):
        return False
    value = jp.resolve(ctx.data, ptr, None)
    return isinstance(value, str) and not value.startswith("#")


def _outside_extension(ctx: LintContext, err: Any) -> bool:
    """True for a converter error about the OpenAPI part of a Tyk OAS document (a ``$ref``
    cycle, an unresolvable ``$ref``, a security requirement's shape), not an external ref."""
    ptr = err.pointer or ""
    return bool(ptr) and not (ptr + "/").startswith("/" + EXT + "/") and \
        not _external_ref(ctx, err)


def _in_extension(ctx: LintContext, err: Any) -> bool:
    """True for a converter error that is not about the OpenAPI part (see the two above)."""
    return not _outside_extension(ctx, err) and not _external_ref(ctx, err)


def _ir_error(ctx: LintContext, belongs: Any = None) -> None:
    """Report the converter's refusal of the document (a wrong type in an auth field), when
    ``belongs(ctx, err)`` says it is this rule's (default: always)."""
    _ = ctx.ir
    err = ctx.ir_error
    if err is None:
        return
    from oascompile.errors import InputError

    if isinstance(err, InputError):
        if belongs is not None and not belongs(ctx, err):
            return
        if any(f.rule == ctx.rule.id and f.pointer == err.pointer for f in ctx.findings):
            return  # the schema already reported this member
        if err.pointer is not None:
            ctx.report(err.pointer, _short(err.message), "fix the type of this field")
        else:
            ctx.report_at(err.line or 1, err.column or 1, "", _short(err.message),
                          "fix the type of this field")


@rule(
    id="tyk-extension-schema",
    severity="error",
    formats=("oas",),
    summary="`x-tyk-api-gateway` does not match the Tyk extension schema.",
    what="""
        Validates the `x-tyk-api-gateway` object against oascompile's schema of the Tyk
        extension (docs/schemas.md), and reports auth fields whose type the gateway cannot
        read.
    """,
    why="""
        Tyk injects its extension schema into the OpenAPI schema it validates with
        (apidef/oas/validator.go, spec §1.6); a definition that fails it is refused by the
        Gateway and Dashboard APIs.
    """,
    fix="Fix the reported member (required members, types, patterns such as `listenPath.value`).",
    failing=[Example("openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths: {}\n"
                     "x-tyk-api-gateway:\n  info: {name: Pets, state: {active: yes please}}\n"
                     "  upstream: {url: 'http://up.test'}\n  server: {listenPath: {value: /}}\n",
                     5, 30)],
    passing=[Example("openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths: {}\n"
                     "x-tyk-api-gateway:\n  info: {name: Pets, state: {active: true}}\n"
                     "  upstream: {url: 'http://up.test'}\n  server: {listenPath: {value: /}}\n")],
    references=("spec §1.6", "apidef/oas/validator.go"),
)
def tyk_extension_schema(ctx: LintContext) -> None:
    if not isinstance(ctx.data, dict) or EXT not in ctx.data:
        return
    _schema_findings(ctx, "x-tyk-api-gateway", ctx.data[EXT], "/" + EXT, "x-tyk-api-gateway")
    _ir_error(ctx, _in_extension)


@rule(
    id="classic-schema",
    severity="error",
    formats=("classic",),
    summary="The Tyk Classic API definition does not match the Classic schema.",
    what="""
        Validates a Tyk Classic API definition against oascompile's Classic schema
        (docs/schemas.md), and reports auth fields whose type the gateway cannot read.
    """,
    why="""
        The gateway and Dashboard validate Classic definitions against their JSON schema
        (apidef/schema.json, spec §1.1) and Go decodes every field into a typed struct; a
        wrong type makes the whole definition fail to load.
    """,
    fix="Fix the reported member's type or value.",
    failing=[Example(CLASSIC_MIN + "use_keyless: false\nuse_standard_auth: 'yes'\n", 5, 1)],
    passing=[Example(CLASSIC_MIN + "use_keyless: false\nuse_standard_auth: true\n")],
    references=("spec §1.1", "apidef/schema.json"),
)
def classic_schema(ctx: LintContext) -> None:
    _schema_findings(ctx, "classic", ctx.data, "", "Tyk Classic")
    _ir_error(ctx)
