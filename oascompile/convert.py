"""Conversion pipeline: document → IR → document, with the migration report.

``compile --to oas`` is Tyk's migration (spec §2.1 ``MigrateAuthentication``) followed by a
fresh ``OAS.Fill``; ``compile --to classic`` is ``OAS.ExtractTo``.  The report is built in three
layers, so that nothing is lost silently (cli-contract.md, "every input field that is not
carried unchanged appears in one entry"):

1. ``dropped``: every input field the reader did not map into the IR (other middleware, other
   auth methods' details, unknown fields), collapsed to whole subtrees;
2. ``changed``: every IR field whose value differs after the round trip *output → IR*, i.e. the
   output read back by the other reader, compared with the input's IR field by field;
3. the entries of the migration step, the writer and the reader (``deviation``/``warning``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace
from typing import Any

from oascompile import ir
from oascompile import pointer as jp
from oascompile.classic import ReadResult, read_classic, write_classic
from oascompile.fields import provenance_of, unconsumed
from oascompile.load import Document
from oascompile.oas import read_oas
from oascompile.oas_fill import fill_oas
from oascompile.report.migration import ReportEntry, changed, dedupe

# IR fields that have no home in the other format by design and are reported by the reader
# or writer in words, not as raw value changes.
_NOT_DIFFED = ("authentication.other_methods", "authentication.certificate_contract",
               "authentication.deprecated_auth")


def read(doc: Document) -> ReadResult:
    """Read a loaded Tyk OAS or Tyk Classic document into the IR (dispatch on ``doc.kind``)."""
    return read_oas(doc) if doc.kind == "oas" else read_classic(doc)


def read_definition(doc: Document) -> ir.APIDefinition:
    """Return the IR of a loaded API definition (Classic or OAS, by ``doc.kind``).

    Raises InputError when a field that the IR reads has the wrong JSON type.
    """
    return read(doc).api


# ------------------------------------------------------------------------------ migration
def migrate(res: ReadResult) -> tuple[ir.APIDefinition, list[ReportEntry]]:
    """Tyk's migration step before Fill (spec §2.1), plus our runtime-equivalence decisions.

    1. The deprecated ``auth`` stands in when ``auth_configs`` has no ``authToken`` key (spec
       §1.4 oascompile decision: it is what the gateway reads, R0).
    2. ``auth_configs.authToken`` is removed unless Auth Token is enabled
       (``isAuthTokenEnabled``: ``use_standard_auth``, or not keyless and no other method).
    3. Every remaining entry's ``name`` becomes its map key (so the scheme is ``authToken``).
    4. An API relying on the implicit Auth Token gets ``use_standard_auth: true``, so the OAS
       says what runs (Tyk writes ``enabled: false`` with the same runtime effect).

    Returns the migrated IR and the report entries explaining each step.
    """
    api = res.api
    a = api.authentication
    prov = res.provenance
    entries: list[ReportEntry] = []
    configs = list(a.auth_configs or ())
    token_active = a.auth_token_enabled or (not a.keyless and not a.other_methods)
    if a.token is None and a.deprecated_auth is not None and token_active:
        configs.append((ir.AUTH_TOKEN_KEY, a.deprecated_auth))
        entries.append(ReportEntry(
            "deviation", "/auth",
            "`auth_configs` has no `authToken` entry, so the gateway reads the deprecated `auth` "
            "object (spec §1.4, R0); oascompile converts it as the Auth Token config. Tyk's own "
            "migration ignores `auth` and would produce no token scheme"))
        prov = {**prov, **{k.replace("authentication.deprecated_auth",
                                     "authentication.auth_configs.authToken"): p
                           for k, p in prov.items()
                           if k.startswith("authentication.deprecated_auth")}}
    elif a.token is None and a.implicit_auth_token():
        configs.append((ir.AUTH_TOKEN_KEY, ir.AuthConfig()))
        entries.append(ReportEntry(
            "deviation", "/use_keyless",
            "the API is not keyless and enables no auth method, so the gateway enforces Auth "
            "Token with the default config (header `Authorization`); oascompile writes that "
            "token scheme explicitly"))
    if not token_active and any(k == ir.AUTH_TOKEN_KEY for k, _ in configs):
        configs = [(k, c) for k, c in configs if k != ir.AUTH_TOKEN_KEY]
        entries.append(ReportEntry(
            "dropped", "/auth_configs/authToken",
            "Auth Token is not enabled (`use_standard_auth` is false and another auth method is "
            "on, or the API is keyless): Tyk's migration deletes this entry"))
    renamed = []
    for key, config in configs:
        if config.name != key:
            if key == ir.AUTH_TOKEN_KEY:
                entries.append(changed(
                    provenance_of(prov, "authentication.auth_configs.authToken.name")
                    or f"/auth_configs/{key}/name", config.name, key,
                    "Tyk's migration names every auth config after its map key, so the security "
                    "scheme is called `authToken`"))
            config = replace(config, name=key)
        renamed.append((key, config))
    requirements = a.security_requirements
    old_name = a.token.name if a.token is not None else ""
    if old_name and old_name != ir.AUTH_TOKEN_KEY:
        requirements = tuple(
            ir.SecurityRequirement(tuple((ir.AUTH_TOKEN_KEY if n == old_name else n, s)
                                         for n, s in req.schemes))
            for req in requirements)
    enabled = a.auth_token_enabled
    if a.implicit_auth_token():
        enabled = True
        entries.append(ReportEntry(
            "deviation", "/use_standard_auth",
            "the API relies on Tyk's implicit Auth Token (not keyless, no auth method enabled), "
            "which the gateway enforces anyway: the token scheme is written with `enabled: true` "
            "so the OAS says what runs; Tyk's own migration writes `enabled: false` with the "
            "same runtime effect"))
    used_auth = a.token is None and a.deprecated_auth is not None and token_active
    if a.deprecated_auth is not None and not used_auth:
        why = ("auth_configs.authToken exists, so the gateway ignores it" if a.token is not None
               else "Auth Token is not enabled")
        entries.append(ReportEntry(
            "dropped", "/auth", f"the deprecated `auth` object is not carried ({why}; Tyk OAS "
            "has no equivalent)"))
    entries += _strip_changes(a, renamed)
    new_auth = replace(a, auth_configs=tuple(renamed), auth_token_enabled=enabled,
                       security_requirements=requirements, deprecated_auth=None)
    res.provenance = prov
    return replace(api, authentication=new_auth), entries


# ------------------------------------------------------------------------------ IR diff
def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Flatten an IR value to ``{dotted field path: JSON value}`` (leaves only).

    ``auth_configs`` entries are keyed by their map key; tuples become lists.
    """
    out: dict[str, Any] = {}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            out.update(flatten(getattr(value, f.name), f"{prefix}.{f.name}" if prefix else f.name))
        return out
    if prefix.endswith("auth_configs") and isinstance(value, tuple):
        for key, config in value:
            out.update(flatten(config, f"{prefix}.{key}"))
        return out
    if isinstance(value, tuple):
        out[prefix] = _jsonable(value)
        return out
    out[prefix] = value
    return out


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_jsonable(v) for v in value]
    return value


def diff(before: ir.APIDefinition, after: ir.APIDefinition, prov: dict[str, str],
         consumed: set[str]) -> list[ReportEntry]:
    """Compare two IRs field by field; each difference is a ``changed`` (or ``dropped``) entry
    at the input pointer recorded in ``prov``."""
    a, b = flatten(before), flatten(after)
    entries = []
    for field in a:
        if field.startswith(_NOT_DIFFED) or field == "source_format":
            continue
        if field == "authentication.security_requirements" and not a[field]:
            continue  # a requirement the output adds loses nothing of the input
        old, new = a[field], b.get(field, _GONE)
        if new is not _GONE and old == new:
            continue
        if field.endswith("client_certificates.allowlist") and not old and not new:
            continue  # null and [] mean the same to the gateway (Go nil vs empty slice)
        ptr = provenance_of(prov, field)
        if ptr is None:
            continue
        if new is _GONE:
            entries.append(ReportEntry("dropped", ptr, "not carried to the output"))
        elif field in _FIELD_NOTES:
            entries.append(ReportEntry("dropped" if not new else "changed", ptr,
                                       _FIELD_NOTES[field]))
        else:
            entries.append(changed(ptr, old, new, f"the output carries a different value "
                                   f"(IR field {field})"))
    return _collapse_dropped(entries)


def _collapse_dropped(entries: list[ReportEntry]) -> list[ReportEntry]:
    """Replace the dropped leaves of one auth config by a single entry for the config."""
    dropped = [e for e in entries if e.kind == "dropped"]
    by_parent: dict[str, int] = {}
    for e in dropped:
        tokens = jp.split(e.pointer)
        if len(tokens) >= 2 and tokens[0] == "auth_configs":
            parent = jp.join(*tokens[:2])
            by_parent[parent] = by_parent.get(parent, 0) + 1
    out = []
    emitted: set[str] = set()
    for e in entries:
        tokens = jp.split(e.pointer) if e.kind == "dropped" else []
        parent = jp.join(*tokens[:2]) if len(tokens) >= 2 and tokens[0] == "auth_configs" else None
        if parent is not None and by_parent.get(parent, 0) > 1:
            if parent not in emitted:
                emitted.add(parent)
                out.append(ReportEntry("dropped", parent, "this auth config is not carried to "
                                       "the output (oascompile converts the Auth Token config "
                                       "only)"))
            continue
        out.append(e)
    return out


def prune(entries: list[ReportEntry]) -> list[ReportEntry]:
    """Remove entries inside a subtree that a ``dropped`` entry already reports whole."""
    roots = [e.pointer for e in entries if e.kind == "dropped"]
    return [e for e in entries
            if not any(e.pointer.startswith(r + "/") for r in roots if r)]


_GONE = object()
_FIELD_NOTES = {
    "authentication.processing_mode":
        "Tyk Classic has no security processing mode: the gateway runs a Classic API in legacy "
        "mode (every enabled method chained, alternatives ignored)",
    "authentication.vendor_security":
        "Tyk Classic has no vendor security requirements (`authentication.security`)",
}


# ------------------------------------------------------------------------------ pipeline
@dataclass
class Conversion:
    """The result of one conversion: the output document and the report entries."""

    output: dict[str, Any]
    entries: list[ReportEntry]
    api: ir.APIDefinition
    explained: list[ReportEntry] = dataclasses.field(default_factory=list)
    """The entries of the migration step, writer and reader (each says *why*), as opposed to
    the ``dropped``/``changed`` entries found by comparing input and output."""


def _version_name(data: dict) -> str:
    vd = data.get("version_data")
    if isinstance(vd, dict):
        default = vd.get("default_version")
        if isinstance(default, str) and default:
            return default
        versions = vd.get("versions")
        if isinstance(versions, dict) and versions:
            first = next(iter(versions))
            if isinstance(first, str) and first:
                return first
    return "1.0.0"


def to_oas(doc: Document) -> Conversion:
    """Convert a loaded Tyk Classic definition to Tyk OAS (migration + fresh Fill)."""
    res = read_classic(doc)
    migrated, migration_entries = migrate(res)
    out, fill_entries = fill_oas(migrated, res.provenance, title=res.api.identity.name or None,
                                 version=_version_name(doc.data))
    back = read_oas(Document(doc.name, "", out, "json", "oas")).api
    dropped = [ReportEntry("dropped", p, _dropped_message(p, "Tyk OAS"))
               for p in unconsumed(doc.data, res.consumed)]
    explained = migration_entries + fill_entries + _other_method_warnings(doc.data)
    entries = dropped + explained + diff(res.api, back, res.provenance, res.consumed)
    return Conversion(out, prune(dedupe(_sorted(entries, doc))), migrated, explained)


def _strip_changes(before: ir.Authentication,
                   kept: list[tuple[str, ir.AuthConfig]]) -> list[ReportEntry]:
    """Warn where strip-authorization-data will remove less after the conversion.

    Tyk strips the names of *every* ``auth_configs`` entry (spec §4.1, quirk 11); the OAS
    output keeps only the Auth Token config, so the other entries' header, cookie and query
    names reach the upstream from now on.
    """
    if not before.strip_authorization_data or before.keyless:
        return []
    kept_keys = {k for k, _ in kept if k == ir.AUTH_TOKEN_KEY}  # the OAS carries only this
    out = []
    for key, config in before.auth_configs or ():
        if key in kept_keys:
            continue
        names = [config.strip_name("header")]
        if config.query.enabled:
            names.append(f"query {config.strip_name('query')}")
        names.append(f"cookie {config.strip_name('cookie')}")
        out.append(ReportEntry(
            "warning", f"/auth_configs/{key}",
            "strip-authorization-data changes: the gateway strips every auth_configs entry, so "
            f"the Classic API removes {', '.join(names)} before proxying; without this entry "
            "the converted API forwards them to the upstream"))
    return out


def _other_method_warnings(data: dict) -> list[ReportEntry]:
    """A warning for each other auth method a Classic definition enables (not converted)."""
    from oascompile.classic import OTHER_METHOD_FLAGS

    flags = [(f"/{flag}", method) for flag, method in OTHER_METHOD_FLAGS
             if data.get(flag) is True]
    ext = data.get("external_oauth")
    if isinstance(ext, dict) and ext.get("enabled") is True:
        flags.append(("/external_oauth/enabled", "external_oauth"))
    token_on = data.get("use_standard_auth") is True
    consequence = ("only Auth Token is enforced" if token_on else
                   "the converted API has authentication enabled but no security scheme, so "
                   "the gateway enforces Auth Token on the `Authorization` header instead "
                   "(spec quirk 23): any valid Tyk key is let in. Do not deploy it unreviewed")
    return [ReportEntry("warning", ptr, f"the {method} auth method is enabled but not "
                        f"converted (oascompile converts Auth Token only): {consequence}")
            for ptr, method in flags]


def to_classic(doc: Document) -> Conversion:
    """Convert a loaded Tyk OAS definition to Tyk Classic (``OAS.ExtractTo``)."""
    res = read_oas(doc)
    out = write_classic(res.api)
    back = read_classic(Document(doc.name, "", out, "json", "classic")).api
    dropped = [ReportEntry("dropped", p, _dropped_message(p, "Tyk Classic"))
               for p in unconsumed(doc.data, res.consumed)]
    warnings = [ReportEntry("warning", "/x-tyk-api-gateway/server/authentication",
                            f"the {m} auth method is not converted (oascompile converts Auth "
                            "Token only): the Classic output does not enforce it")
                for m in res.api.authentication.other_methods]
    explained = res.entries + warnings
    entries = dropped + explained + diff(res.api, back, res.provenance, res.consumed)
    return Conversion(out, prune(dedupe(_sorted(entries, doc))), res.api, explained)


def _dropped_message(ptr: str, target: str) -> str:
    return f"not converted: {target} output carries only identity and Auth Token fields"


def _sorted(entries: list[ReportEntry], doc: Document) -> list[ReportEntry]:
    """Order entries by where their pointer sits in the input (document order)."""
    order = {p: i for i, p in enumerate(_document_order(doc.data))}

    def key(e: ReportEntry) -> tuple[int, str]:
        for candidate in jp.parents(e.pointer):
            if candidate in order:
                return order[candidate], e.kind
        return len(order), e.kind

    return sorted(entries, key=key)


def _document_order(data: Any, ptr: str = "") -> list[str]:
    out = [ptr]
    if isinstance(data, dict):
        for k, v in data.items():
            out.extend(_document_order(v, jp.child(ptr, k)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.extend(_document_order(v, f"{ptr}/{i}"))
    return out
