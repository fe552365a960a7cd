"""A fast proof that openapi-spec-validator would report nothing for an OpenAPI 3.0 document.

``oas-schema`` must report exactly what openapi-spec-validator (osv) reports, with osv's own
messages.  Importing osv costs about 0.25 s and its pure-Python validation takes seconds on a
large description, yet nearly every document linted is valid.  :func:`proven_valid` answers
"would osv find nothing?" quickly and *conservatively*: True only when every check osv makes is
known to pass; False whenever anything is outside what it can decide (then the caller runs osv
itself, so every message and position stays osv's).  A False is never a finding.

What osv 0.9 checks for OpenAPI 3.0 (``openapi_spec_validator/validation/validators.py`` and
``keywords.py``), and how it is decided here:

* the document against osv's bundled OpenAPI 3.0 JSON Schema (draft 4, formats off): the same
  schema file, validated by jsonschema-rs (a Rust validator; ``offline``, so no network);
* duplicate tag names, duplicate ``(name, in)`` parameters, duplicate ``operationId`` s, path
  template parameters vs declared ``in: path`` parameters (``string.Formatter`` parsing, as osv);
* every Schema Object reached from parameters, media types and ``components/schemas`` (following
  ``$ref`` s as jsonschema-path does): the draft-04 meta-schema with osv's ``regex`` format
  check (``re.compile``), ``required`` names defined when ``allOf`` is used, and ``default``
  values against their schema (simple scalar cases only, :mod:`oascompile.lint.openapi_defaults`).

Answers False for: OpenAPI 3.1, any ``$ref`` not of the form ``#/…``, any ``$id``, ref cycles,
an unresolvable pointer, jsonschema-rs missing, the ``regress`` ECMA-regex package installed, an
osv other than 0.9.x, and any unexpected shape.  Source of truth: osv's own code, read for version 0.9.0;
``tests/test_perf_equivalence.py`` checks the answers against osv on the shared corpus.
"""

from __future__ import annotations

import json
import re
import string
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from oascompile.lint.openapi_defaults import default_certainly_valid

OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_MAX_REF_HOPS = 64
_MAX_DEPTH = 200


class _Unknown(Exception):
    """Raised inside the checks when the answer is not certain (caller runs osv)."""


def _package_file(package: str, *parts: str) -> Path | None:
    """Path of a data file inside an installed package, without importing the package."""
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0], *parts)
    return path if path.is_file() else None


def _no_retrieval(uri: str) -> Any:
    raise ValueError(f"refusing to retrieve {uri}")


@lru_cache(maxsize=None)
def _validators() -> tuple[Any, Any] | None:
    """(OpenAPI 3.0 document validator, draft-04 meta-schema validator), or None."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    if find_spec("regress") is not None:  # osv would then check regexes with ECMA rules
        return None
    osv = find_spec("openapi_spec_validator")
    if osv is None or not osv.submodule_search_locations or not any(
            Path(list(osv.submodule_search_locations)[0]).parent.glob(
                "openapi_spec_validator-0.9.*.dist-info")):
        return None  # the checks below mirror osv 0.9; another version gets osv itself
    doc_schema = _package_file("openapi_spec_validator", "resources", "schemas", "v3.0",
                               "schema.json")
    meta_schema = _package_file("jsonschema_specifications", "schemas", "draft4",
                                "metaschema.json")
    if doc_schema is None or meta_schema is None:
        return None
    document = jsonschema_rs.Draft4Validator(json.loads(doc_schema.read_text("utf-8")),
                                             validate_formats=False, retriever=_no_retrieval)
    meta = jsonschema_rs.Draft4Validator(json.loads(meta_schema.read_text("utf-8")),
                                         validate_formats=True, ignore_unknown_formats=True,
                                         formats={"regex": _is_regex},
                                         retriever=_no_retrieval)
    return document, meta


def _is_regex(value: str) -> bool:
    """openapi_schema_validator's ``regex`` format check without ``regress``: re.compile."""
    try:
        re.compile(value)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


def proven_valid(data: Any) -> bool:
    """True only when openapi-spec-validator 0.9 would yield no error for ``data``.

    Args:
        data: a parsed OpenAPI document (plain dicts/lists/scalars) whose ``openapi`` is 3.0.x.

    Returns:
        True when the document is certainly valid for osv; False when it may not be or when the
        question is outside what this module decides (the caller then runs osv).  Never raises.
    """
    if not isinstance(data, dict) or not str(data.get("openapi", "")).startswith("3.0"):
        return False
    validators = _validators()
    if validators is None:
        return False
    document, meta = validators
    try:
        if not document.is_valid(data):
            return False
        _Walk(data, meta).run()
    except (_Unknown, RecursionError, ValueError, TypeError, KeyError, IndexError):
        return False
    return True


class _Walk:
    """osv's RootValidator over plain data, raising _Unknown at the first possible error."""

    def __init__(self, root: dict, meta: Any) -> None:
        self.root = root
        self.meta = meta
        self.meta_checked: set[int] = set()
        self.visited: set[int] = set()
        self.operation_ids: list[Any] = []
        self._scan_refs(root)

    # -- references ----------------------------------------------------------------------
    def _scan_refs(self, root: Any) -> None:
        """Refuse documents with non-local ``$ref`` s or any ``$id`` (they change resolution)."""
        stack = [root]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                if "$id" in node:
                    raise _Unknown
                ref = node.get("$ref")
                if isinstance(ref, str) and not (ref == "#" or ref.startswith("#/")):
                    raise _Unknown
                stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
            elif isinstance(node, list):
                stack.extend(v for v in node if isinstance(v, (dict, list)))

    def resolve(self, node: Any) -> Any:
        """Follow ``$ref`` s like jsonschema-path (siblings of ``$ref`` are ignored)."""
        for _ in range(_MAX_REF_HOPS):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                return node
            node = self._lookup(node["$ref"])
        raise _Unknown  # a cycle or a very long chain: let osv say what it says

    def _lookup(self, ref: str) -> Any:
        cur: Any = self.root
        fragment = unquote(ref[1:])
        for token in fragment.split("/")[1:] if fragment else []:
            token = token.replace("~1", "/").replace("~0", "~")
            if isinstance(cur, dict) and token in cur:
                cur = cur[token]
            elif isinstance(cur, list) and token.isdigit() and int(token) < len(cur):
                cur = cur[int(token)]
            else:
                raise _Unknown
        return cur

    def child(self, node: Any, key: str) -> Any:
        """``node / key`` on a resolved mapping, itself resolved."""
        return self.resolve(node[key])

    def typed(self, node: Any, key: str, kind: type) -> Any:
        """:meth:`child`, which must be an instance of ``kind`` (else not proven)."""
        value = self.child(node, key)
        if not isinstance(value, kind):
            raise _Unknown
        return value

    def items_of(self, node: Any, key: str) -> list[Any]:
        value = self.child(node, key)
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if isinstance(value, dict):
            return [self.resolve(v) for v in value.values()]
        raise _Unknown

    # -- root, tags, paths ---------------------------------------------------------------
    def run(self) -> None:
        spec = self.resolve(self.root)
        if not isinstance(spec, dict):
            raise _Unknown
        if "tags" in spec:
            names = [self.child(t, "name") if isinstance(t, dict) else _raise()
                     for t in self.items_of(spec, "tags")]
            if len(names) != len(set(names)):
                raise _Unknown
        if "paths" in spec:
            paths = self.typed(spec, "paths", dict)
            for url, item in paths.items():
                self.path(url, self.resolve(item))
        if "components" in spec:
            components = self.child(spec, "components")
            if isinstance(components, dict) and "schemas" in components:
                schemas = self.typed(components, "schemas", dict)
                for schema in schemas.values():
                    self.schema(schema, True, False, 0)

    def path(self, url: str, item: Any) -> None:
        if not isinstance(item, dict):
            raise _Unknown
        shared = None
        if "parameters" in item:
            shared = self.parameters(self.child(item, "parameters"))
        for name, operation in item.items():
            if name in OPERATIONS:
                self.operation(url, self.resolve(operation), shared)

    def parameters(self, params: Any) -> list[dict]:
        if not isinstance(params, list):
            raise _Unknown
        resolved = [self.resolve(p) for p in params]
        seen = set()
        for param in resolved:
            if not isinstance(param, dict):
                raise _Unknown
            if "schema" in param:
                self.schema(param["schema"], True, False, 0)
            key = (self.resolve(param["name"]), self.resolve(param["in"]))
            if key in seen:
                raise _Unknown
            seen.add(key)
        return resolved

    def members(self, parent: dict, key: str) -> list[dict]:
        """The values of the mapping ``parent[key]``, each resolved; not proven (``_Unknown``)
        when that is not a mapping or a value is not an object."""
        value = self.typed(parent, key, dict)
        out = [self.resolve(v) for v in value.values()]
        if not all(isinstance(v, dict) for v in out):
            raise _Unknown
        return out

    def operation(self, url: str, op: Any, shared: list[dict] | None) -> None:
        if not isinstance(op, dict):
            raise _Unknown
        if "operationId" in op:
            op_id = self.child(op, "operationId")
            if op_id is not None and op_id in self.operation_ids:
                raise _Unknown
            self.operation_ids.append(op_id)
        if "responses" in op:
            for response in self.members(op, "responses"):
                if "content" in response:
                    for media in self.members(response, "content"):
                        if "schema" in media:
                            self.schema(media["schema"], True, False, 0)
        names: list[Any] = []
        if "parameters" in op:
            names += self._path_names(self.parameters(self.child(op, "parameters")))
        if shared is not None:
            names += self._path_names(shared)
        url_params = {p for _, p, _, _ in string.Formatter().parse(url) if p}
        if set(names) != url_params:
            raise _Unknown

    def _path_names(self, params: list[dict]) -> list[Any]:
        out = []
        for param in params:
            where = self.typed(param, "in", str)
            if where == "path":
                name = self.typed(param, "name", str)
                out.append(name)
        return out

    # -- schemas -------------------------------------------------------------------------
    def schema(self, node: Any, require_properties: bool, meta_checked: bool, depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise _Unknown
        value = self.resolve(node)
        if not isinstance(value, dict):
            raise _Unknown  # a boolean schema fails the draft-04 meta-schema; others too
        key = id(value)
        if not meta_checked and key not in self.meta_checked:
            self.meta_checked.add(key)
            if not self.meta.is_valid(value):
                raise _Unknown
        if key in self.visited:
            return
        self.visited.add(key)
        nested: set[Any] = set()
        for kw in ("allOf", "anyOf", "oneOf"):
            if kw in value:
                subs = self.typed(value, kw, list)
                for sub in subs:
                    self.schema(sub, False, True, depth + 1)
                    if kw == "allOf":
                        nested |= self._collect(sub, 0)
        for kw in ("not", "items"):
            if kw in value:
                self.schema(value[kw], False, True, depth + 1)
        properties: Any = {}
        if "properties" in value:
            properties = self.typed(value, "properties", dict)
            for prop in properties.values():
                self.schema(prop, False, True, depth + 1)
        if "allOf" in value and require_properties:
            required = self.child(value, "required") if "required" in value else []
            if not isinstance(required, list):
                raise _Unknown
            if set(required) - set(properties) - nested:
                raise _Unknown
        if "default" in value and not default_certainly_valid(value):
            raise _Unknown

    def _collect(self, node: Any, depth: int) -> set[Any]:
        if depth > _MAX_DEPTH:
            raise _Unknown
        value = self.resolve(node)
        if not isinstance(value, dict):
            raise _Unknown
        props: set[Any] = set()
        if "properties" in value:
            found = self.typed(value, "properties", dict)
            props.update(found)
        for kw in ("allOf", "anyOf", "oneOf"):
            if kw in value:
                subs = self.typed(value, kw, list)
                for sub in subs:
                    props |= self._collect(sub, depth + 1)
        for kw in ("items", "not"):
            if kw in value:
                props |= self._collect(value[kw], depth + 1)
        return props


def _raise() -> Any:
    raise _Unknown


_EXACT_CLASSES: dict[str, type] = {}


def exact_validator_class(version: str) -> type:
    """openapi-spec-validator's spec validator class for ``version`` ("3.0…" or "3.1…"), pinned
    to the pure-Python jsonschema backend.

    osv 0.9 switches its schema check to jsonschema-rs whenever that package is importable
    (``openapi_spec_validator/schemas/backend/__init__.py``, env
    ``OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND``), which changes the messages and drops
    the sub-errors ``best_match`` needs.  We install jsonschema-rs for :func:`proven_valid`, so
    the class returned here always uses the jsonschema backend: findings keep osv's messages.
    Importing osv happens here (about 0.25 s), only when a document needs the exact path.
    """
    key = "3.1" if version.startswith("3.1") else "3.0"
    if key not in _EXACT_CLASSES:
        from openapi_spec_validator.schemas import schema_v30, schema_v31
        from openapi_spec_validator.schemas.backend.jsonschema import create_validator
        from openapi_spec_validator.validation.validators import (OpenAPIV30SpecValidator,
                                                                  OpenAPIV31SpecValidator)

        base = OpenAPIV31SpecValidator if key == "3.1" else OpenAPIV30SpecValidator
        schema = schema_v31 if key == "3.1" else schema_v30
        _EXACT_CLASSES[key] = type("Python" + base.__name__, (base,),
                                   {"schema_validator": create_validator(dict(schema))})
    return _EXACT_CLASSES[key]
