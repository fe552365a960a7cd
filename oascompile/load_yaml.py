"""YAML half of the loader: ruamel.yaml round-trip parsing into plain data with positions.

Split from :mod:`oascompile.load` (which owns the public API and the JSON half); imported only
when a document is not JSON, so JSON-only runs never import ruamel.yaml.  Refuses duplicate
keys, alias bombs (counted before expansion), recursive aliases, collection keys and over-deep
nesting, each as an :class:`~oascompile.errors.InputError` with its position.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, Mapping

from oascompile import pointer as jp
from oascompile.errors import InputError
from oascompile.load import (_LONG_NUMBER, _LONG_NUMBER_MESSAGE, Document, LoadLimits,
                             _offset_position)

def _yaml_error_position(exc: Exception) -> tuple[int | None, int | None]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None:
        return None, None
    return mark.line + 1, mark.column + 1


def parse_yaml(name: str, text: str, limits: LoadLimits) -> Document:
    """Parse one YAML document into a :class:`Document` with key and value positions.

    Raises InputError (with line and column where ruamel.yaml gives them) for syntax errors,
    duplicate keys, several documents, alias bombs and over-deep nesting.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt")
    # a YAML timestamp stays the text it was written as (JSON has no dates, and Tyk reads it
    # as a string): without this, `2001-12-14 10:00:00` would come back reformatted
    yaml.constructor.add_constructor("tag:yaml.org,2002:timestamp",
                                     RoundTripConstructor.construct_yaml_str)
    yaml.allow_duplicate_keys = False
    try:
        docs = list(yaml.load_all(text))
    except DuplicateKeyError as exc:
        line, column = _yaml_error_position(exc)
        # ruamel's message quotes both values, which may be secrets: name the key only
        found = re.search(r'found duplicate key "(.*?)" with value', exc.problem or "", re.S)
        key = repr(found.group(1)) if found else "(unknown)"
        raise InputError(f"duplicate key {key} (a mapping key may appear only once)",
                         name, line, column) from None
    except MarkedYAMLError as exc:
        line, column = _yaml_error_position(exc)
        reason = (exc.problem or exc.context or "syntax error").replace("\n", " ")
        if "\t" in reason or "'\\t'" in reason:
            reason += " (tabs are not allowed for indentation in YAML)"
        raise InputError(f"invalid YAML: {reason}", name, line, column) from None
    except YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", name) from None
    except RecursionError:
        raise InputError(f"nesting is deeper than the limit of {limits.max_depth} levels",
                         name, 1, 1) from None
    except ValueError:  # ruamel's int() of a scalar with more than 4300 digits
        match = _LONG_NUMBER.search(text)
        line, column = _offset_position(text, match.start()) if match else (1, 1)
        raise InputError(_LONG_NUMBER_MESSAGE, name, line, column) from None
    except TypeError:  # ruamel hashing a mapping used as a key inside a flow-mapping key
        raise InputError("invalid YAML: a mapping or sequence is used as a mapping key; keys "
                         "must be strings", name, 1, 1) from None
    if len(docs) != 1:
        if not docs:
            raise InputError("the file is empty", name, 1, 1)
        raise InputError(f"the file holds {len(docs)} YAML documents; expected one", name, 1, 1)
    root = docs[0]
    _check_expansion(name, root, limits)
    key_pos: dict[str, tuple[int, int]] = {"": (1, 1)}
    value_pos: dict[str, tuple[int, int]] = {}
    try:
        data = _plain(root, "", key_pos, value_pos)
    except InputError as err:  # _plain does not know the file name
        err.file = name
        raise
    return Document(name, text, data, "yaml", _key_pos=key_pos, _value_pos=value_pos)


def _check_expansion(name: str, root: Any, limits: LoadLimits) -> None:
    """Count nodes as they would be after alias expansion, without expanding (memoised).

    Refuses (InputError) more than ``limits.max_nodes`` expanded nodes, and aliases that make
    the document more than ``limits.max_alias_growth`` times larger than it is written once it
    is past ``limits.alias_growth_floor`` nodes.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    sizes: dict[int, int] = {}
    written = 1  # nodes as written: each distinct container once, plus its member slots
    in_progress: set[int] = set()
    # iterative post-order traversal: (node, depth, children_done)
    stack: list[tuple[Any, int, bool]] = [(root, 0, False)]
    while stack:
        node, depth, done = stack.pop()
        if not isinstance(node, (CommentedMap, CommentedSeq, dict, list)):
            continue
        nid = id(node)
        if done:
            children = node.values() if isinstance(node, dict) else node
            total = 1
            for c in children:
                if isinstance(c, (dict, list)):
                    total += sizes[id(c)]
                else:
                    total += 1
                if total > limits.max_nodes:
                    raise InputError(f"the document expands to more than {limits.max_nodes} "
                                     "nodes (YAML alias expansion limit); refusing it",
                                     name, 1, 1)
            sizes[nid] = total
            written += len(node)
            in_progress.discard(nid)
            continue
        if nid in sizes:
            continue
        if nid in in_progress:
            raise InputError("recursive YAML alias (a node contains itself)", name, 1, 1)
        if depth > limits.max_depth:
            raise InputError(f"nesting is deeper than the limit of {limits.max_depth} levels",
                             name, 1, 1)
        in_progress.add(nid)
        stack.append((node, depth, True))
        children = node.values() if isinstance(node, dict) else node
        for c in children:
            if isinstance(c, (dict, list)):
                if id(c) in in_progress:
                    raise InputError("recursive YAML alias (a node contains itself)", name, 1, 1)
                stack.append((c, depth + 1, False))
    expanded = sizes.get(id(root), 1)
    if expanded > limits.alias_growth_floor and expanded > limits.max_alias_growth * written:
        raise InputError(f"YAML aliases expand the document from {written} to {expanded} nodes "
                         f"(more than {limits.max_alias_growth} times; alias expansion limit); "
                         "refusing it", name, 1, 1)


def _plain(node: Any, ptr: str, key_pos: dict, value_pos: dict) -> Any:
    """Convert ruamel round-trip objects to plain data, recording positions (1-based)."""
    lc = getattr(node, "lc", None)
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if isinstance(k, (Mapping, list, tuple, set)):
                at = lc.key(k) if lc is not None and k in lc.data else None
                raise InputError("a mapping or sequence is used as a mapping key; keys must be "
                                 "strings", None, *((at[0] + 1, at[1] + 1) if at else (1, 1)))
            key = k if isinstance(k, str) else _scalar_key(k)
            child = ptr + "/" + jp.escape(key)
            if lc is not None:
                try:
                    kl, kc, vl, vc = lc.data[k]
                    key_pos[child] = (kl + 1, kc + 1)
                    value_pos[child] = (vl + 1, vc + 1)
                except (KeyError, TypeError, ValueError):
                    pass
            out[key] = _plain(v, child, key_pos, value_pos)
        return out
    if isinstance(node, list):
        out_list = []
        for i, v in enumerate(node):
            child = f"{ptr}/{i}"
            if lc is not None:
                try:
                    il, ic = lc.data[i]
                    key_pos[child] = value_pos[child] = (il + 1, ic + 1)
                except (KeyError, TypeError, ValueError, IndexError):
                    pass
            out_list.append(_plain(v, child, key_pos, value_pos))
        return out_list
    tag = getattr(getattr(node, "tag", None), "value", None)
    if tag in _TEXT_TAGS and isinstance(getattr(node, "value", None), str):
        return str(node.value)  # an explicit `!!str 5` is the string "5"; a timestamp, its text
    if not isinstance(node, _JSON_LIKE):
        line, column = value_pos.get(ptr) or key_pos.get(ptr) or (1, 1)
        raise InputError(f"a YAML {_describe(node)} has no JSON equivalent (an API definition "
                         "is JSON data); write it as a plain string, number, list or mapping",
                         None, line, column, ptr or None)
    return _scalar(node)


_TEXT_TAGS = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp")
_JSON_LIKE = (str, int, float, bool, type(None), datetime.date, datetime.datetime)


def _describe(node: Any) -> str:
    """Name a YAML value that has no JSON form (``!!set``, ``!!binary``, a custom tag)."""
    if isinstance(node, (bytes, bytearray)):
        return "`!!binary` value"
    if isinstance(node, (set, frozenset)) or type(node).__name__ == "CommentedSet":
        return "`!!set`"
    if isinstance(node, tuple):
        return "`!!pairs` entry"
    tag = getattr(node, "tag", None)
    tag = getattr(tag, "value", tag)
    return f"value tagged `{tag}`" if tag else f"value of type {type(node).__name__}"


def _scalar_key(k: Any) -> str:
    value = _scalar(k)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def _scalar(v: Any) -> Any:
    if v is None or type(v) in (str, int, float, bool):
        return v
    if isinstance(v, bool):
        return bool(v)
    if isinstance(v, str):
        return str(v)
    # ruamel's ScalarBoolean subclasses int, so test it before int
    if type(v).__name__ == "ScalarBoolean":
        return bool(v)
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        return float(v)
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    if isinstance(v, bytes):
        return v.decode("latin-1")
    return str(v)
