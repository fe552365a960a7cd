"""oascompile's own JSON Schemas: loading, compiled validators and flat error lists.

Source: the ``*.schema.json`` files in the ``oascompile/schemas`` package folder (written from
``spec/tyk-auth-token.md`` §1; see ``docs/schemas.md``). Files are read with
:mod:`importlib.resources`, so this works from an installed wheel as well as from a checkout.
A schema is addressed by its file stem without ``.schema.json``: ``"x-tyk-api-gateway"``,
``"classic"``, ``"test-cases"`` …

Nothing here touches the network: the schemas use only local ``$ref`` s (``#/$defs/…``), and format
checking is off (``format`` is an annotation only).

Speed: :func:`iter_errors` first asks jsonschema-rs (compiled once, ``offline``) whether the
instance is valid, which costs microseconds and spares importing jsonschema (about 60 ms); only
an instance it rejects is validated again by jsonschema, whose errors give the messages.  The
Rust validator's ``pattern`` keyword is replaced by a format that runs Python's ``re.search``,
so both validators agree on every regular expression; anything the Rust side rejects only costs
the slower path, never a different answer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .pointer import join

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

__all__ = [
    "SchemaError",
    "UnknownSchemaError",
    "available",
    "iter_errors",
    "load_schema",
    "validator",
]

_SUFFIX = ".schema.json"


class UnknownSchemaError(KeyError, ValueError):
    """Raised for a schema name that has no ``<name>.schema.json`` file.

    It is both a :class:`KeyError` and a :class:`ValueError`, so either can be caught.
    """

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else "unknown schema"


@dataclass(frozen=True)
class SchemaError:
    """One schema violation.

    Attributes:
        pointer: RFC 6901 JSON Pointer to the offending value (for ``required``: the object that
            lacks the member), prefixed by the ``base_pointer`` given to :func:`iter_errors`.
        message: one human-readable line naming the field.
        validator: the JSON Schema keyword that failed (``type``, ``required``, ``pattern`` …).
    """

    pointer: str
    message: str
    validator: str


def _folder():
    return resources.files("oascompile").joinpath("schemas")


def available() -> list[str]:
    """Return the sorted names of all bundled schemas (file stems without ``.schema.json``)."""
    return sorted(
        entry.name[: -len(_SUFFIX)]
        for entry in _folder().iterdir()
        if entry.name.endswith(_SUFFIX) and entry.is_file()
    )


@lru_cache(maxsize=None)
def _load(name: str) -> dict:
    if not isinstance(name, str) or not name or "/" in name or "\\" in name:
        raise UnknownSchemaError(f"unknown schema {name!r}; available: {', '.join(available())}")
    entry = _folder().joinpath(name + _SUFFIX)
    if not entry.is_file():
        raise UnknownSchemaError(f"unknown schema {name!r}; available: {', '.join(available())}")
    return json.loads(entry.read_text(encoding="utf-8"))


def load_schema(name: str) -> dict:
    """Return the parsed schema ``<name>.schema.json`` as a fresh dict (safe to mutate).

    Raises:
        UnknownSchemaError: (a ``KeyError`` and ``ValueError``) when no such schema is bundled.
        json.JSONDecodeError: when the bundled file is not valid JSON (a packaging bug).
    """
    return json.loads(json.dumps(_load(name)))


@lru_cache(maxsize=None)
def validator(name: str) -> "Draft202012Validator":
    """Return a compiled, cached draft 2020-12 validator for schema ``name`` (format checks off).

    The schema itself is checked against the 2020-12 meta-schema on first use.

    Raises:
        UnknownSchemaError: when no such schema is bundled.
        jsonschema.exceptions.SchemaError: when the bundled schema is itself invalid.
    """
    from jsonschema import Draft202012Validator

    schema = _load(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _python_patterns(schema: Any, formats: dict[str, Any]) -> Any:
    """A copy of ``schema`` whose ``pattern`` keywords are custom formats running ``re.search``
    (a ``pattern`` keyword is a string value; a property named ``pattern`` has a dict value)."""
    if isinstance(schema, list):
        return [_python_patterns(item, formats) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _python_patterns(v, formats) for k, v in schema.items()}
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and "format" not in schema:
        del out["pattern"]
        out["format"] = name = f"python-re:{pattern}"
        compiled = re.compile(pattern)
        formats[name] = lambda value, rx=compiled: rx.search(value) is not None
    return out


@lru_cache(maxsize=None)
def _fast(name: str) -> Any:
    """jsonschema-rs validator for schema ``name`` (see the module docstring), or None when
    jsonschema-rs is not installed or cannot compile it."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    formats: dict[str, Any] = {}
    schema = _python_patterns(_load(name), formats)
    try:
        return jsonschema_rs.Draft202012Validator(schema, formats=formats, validate_formats=True,
                                                  ignore_unknown_formats=False,
                                                  retriever=_no_retrieval)
    except Exception:  # a schema jsonschema-rs cannot take: use jsonschema only
        return None


def _no_retrieval(uri: str) -> Any:
    raise ValueError(f"refusing to retrieve {uri}")


def iter_errors(name: str, instance: Any, base_pointer: str = "") -> list[SchemaError]:
    """Validate ``instance`` against schema ``name`` and return every violation.

    Args:
        name: schema name, e.g. ``"x-tyk-api-gateway"`` or ``"classic"``.
        instance: parsed JSON value (dicts, lists, scalars).
        base_pointer: JSON Pointer of ``instance`` inside its document (e.g.
            ``"/x-tyk-api-gateway"``); it prefixes every returned pointer.

    Returns:
        A list of :class:`SchemaError`, sorted by pointer, then keyword, then message; empty when
        the instance is valid.

    Raises:
        UnknownSchemaError: when no such schema is bundled.
    """
    _load(name)  # UnknownSchemaError for a bad name, as before
    fast = _fast(name)
    if fast is not None and fast.is_valid(instance):
        return []
    found = {
        SchemaError(base_pointer + join(*err.absolute_path), _message(err), str(err.validator))
        for err in validator(name).iter_errors(instance)
    }
    return sorted(found, key=lambda e: (e.pointer, e.validator, e.message))


# -- messages ---------------------------------------------------------------------------------

_JSON_TYPES = {
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
    type(None): "null",
}


def _show(value: Any, limit: int = 40) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _type_name(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _either(values: Any) -> str:
    items = values if isinstance(values, list) else [values]
    return " or ".join(str(v) for v in items)


SECRET_FIELDS = frozenset({"secret"})
"""Field names whose values are never quoted in messages (signature secrets)."""


def _message(err: "ValidationError") -> str:
    """One line naming the field (last path token, or ``document`` at the root)."""
    path = list(err.absolute_path)
    field = f"'{path[-1]}'" if path else "document"
    kw, want, got = err.validator, err.validator_value, err.instance
    if path and path[-1] in SECRET_FIELDS:  # never echo a secret, even a mistyped one
        return f"{field} must be {_either(want) if kw == 'type' else 'valid'} (value not shown)"
    if kw == "type":
        shown = "null" if got is None else f"{_type_name(got)} {_show(got)}"
        return f"{field} must be {_either(want)}, got {shown}"
    if kw == "required":
        missing = [m for m in want if isinstance(got, dict) and m not in got]
        names = ", ".join(f"'{m}'" for m in missing) or _show(want)
        return f"{field} is missing required field {names}"
    if kw == "pattern":
        return f"{field} = {_show(got)} does not match pattern '{want}'"
    if kw == "enum":
        return f"{field} = {_show(got)} is not one of {', '.join(_show(v) for v in want)}"
    if kw == "not" and isinstance(want, dict) and "pattern" in want:
        return f"{field} = {_show(got)} must not match pattern '{want['pattern']}'"
    if kw == "anyOf" and all(set(b) == {"required"} for b in want):
        options = " or ".join(f"'{r}'" for b in want for r in b["required"])
        return f"{field} needs at least one of {options}"
    line = err.message.splitlines()[0] if err.message else str(kw)
    return f"{field}: {line if len(line) <= 120 else line[:119] + '…'}"
