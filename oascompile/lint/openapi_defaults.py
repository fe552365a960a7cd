"""Whether a Schema Object's ``default`` certainly passes openapi-spec-validator's check.

osv 0.9 validates every visited schema's ``default`` with openapi-schema-validator's
``OAS30Validator`` and ``oas30_format_checker`` (``openapi_spec_validator/validation/
keywords.py``, ``SchemaValidator.__call__``).  :func:`default_certainly_valid` decides the
common simple cases exactly (a scalar default under ``type``, ``enum``, bounds, ``pattern`` and
the OpenAPI number formats) and answers False for everything else, so that the caller runs osv
itself (:mod:`oascompile.lint.openapi_fast`).
"""

from __future__ import annotations

import re
from typing import Any

SIMPLE_KEYS = frozenset({"type", "description", "title", "default", "nullable", "example",
                         "deprecated", "readOnly", "writeOnly", "externalDocs", "xml", "enum",
                         "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                         "minLength", "maxLength", "pattern"})
# Formats a FormatChecker may check (openapi-schema-validator's own plus every format jsonschema
# checks when optional libraries are installed); other formats are not checked by osv.
CHECKABLE_FORMATS = frozenset({
    "int32", "int64", "float", "double", "binary", "byte", "password", "regex", "date",
    "date-time", "time", "duration", "email", "idn-email", "hostname", "idn-hostname", "ipv4",
    "ipv6", "iri", "iri-reference", "uri", "uri-reference", "uri-template", "json-pointer",
    "relative-json-pointer", "uuid", "color"})
_TYPES = {"string": (str,), "boolean": (bool,), "integer": (int,), "number": (int, float)}


def default_certainly_valid(schema: dict) -> bool:
    """True when osv's check of ``schema["default"]`` against ``schema`` yields no error for
    sure (also when osv skips it: a null default with ``nullable: true``); False when it might
    fail or the case is not one decided here.  ``schema`` is a resolved Schema Object that has
    a ``default`` member."""
    value = schema["default"]
    if value is None and schema.get("nullable", False) is True:
        return True
    if value is None or isinstance(value, (dict, list)):
        return False
    if any(not k.startswith("x-") and k not in SIMPLE_KEYS for k in schema):
        return False
    kind = schema.get("type")
    if kind is not None and not _type_ok(kind, value):
        return False
    if "enum" in schema:
        enum = schema["enum"]
        if not isinstance(enum, list) or not any(type(e) is type(value) and e == value
                                                 for e in enum):
            return False
    return (_bound_ok(schema, "minimum", 1, value) and _bound_ok(schema, "maximum", -1, value)
            and _length_ok(schema, value) and _pattern_ok(schema, value)
            and ("format" not in schema or _format_ok(schema["format"], value)))


def _type_ok(kind: Any, value: Any) -> bool:
    if kind not in _TYPES or not isinstance(value, _TYPES[kind]):
        return False
    if isinstance(value, bool) and kind != "boolean":
        return False
    return not (isinstance(value, float) and kind == "integer")


def _bound_ok(schema: dict, bound: str, sign: int, value: Any) -> bool:
    """Draft-4 ``minimum``/``maximum`` with a boolean ``exclusiveMinimum``/``exclusiveMaximum``."""
    if bound not in schema:
        return True
    limit, exclusive = schema[bound], schema.get("exclusiveM" + bound[1:], False)
    if type(limit) not in (int, float) or type(value) not in (int, float) \
            or not isinstance(exclusive, bool):
        return False
    margin = (value - limit) * sign
    return margin > 0 or (margin == 0 and not exclusive)


def _length_ok(schema: dict, value: Any) -> bool:
    for bound in ("minLength", "maxLength"):
        if bound in schema:
            limit = schema[bound]
            if not isinstance(value, str) or type(limit) is not int:
                return False
            if (len(value) < limit) if bound == "minLength" else (len(value) > limit):
                return False
    return True


def _pattern_ok(schema: dict, value: Any) -> bool:
    """jsonschema's ``pattern`` keyword (``re.search``; osv uses ``re`` without ``regress``)."""
    if "pattern" not in schema:
        return True
    pattern = schema["pattern"]
    return isinstance(value, str) and isinstance(pattern, str) \
        and re.search(pattern, value) is not None


def _format_ok(fmt: Any, value: Any) -> bool:
    if fmt in ("password", "binary"):
        return True
    if fmt in ("int32", "int64") and type(value) is int:
        bits = 31 if fmt == "int32" else 63
        return ~(1 << bits) < value < 1 << bits
    if fmt in ("float", "double"):
        return type(value) in (int, float)
    return isinstance(fmt, str) and fmt not in CHECKABLE_FORMATS
