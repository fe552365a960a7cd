"""The loader: parsing, positions, kind detection, limits, and every refusal as an InputError."""

from __future__ import annotations

import time

import pytest

from oascompile.errors import InputError
from oascompile.load import LoadLimits, load_document, parse_document

JSON_TEXT = """{
  "openapi": "3.0.3",
  "components": {
    "securitySchemes": {
      "key/1": {"type": "apiKey", "in": "query", "name": "k"}
    }
  },
  "security": [
    {"key/1": []},
    {"b~x": []}
  ]
}
"""

YAML_TEXT = """openapi: 3.0.3
components:
  securitySchemes:
    key:
      type: apiKey
      in: query
security:
  - key: []
  - other: []
"""


def test_json_positions_of_keys_and_items():
    doc = parse_document("a.json", JSON_TEXT)
    assert doc.kind == "oas" and doc.syntax == "json"
    assert doc.position("/openapi") == (2, 3)
    assert doc.position("/components/securitySchemes/key~11") == (5, 7)
    assert doc.position("/components/securitySchemes/key~11/in") == (5, 35)
    assert doc.value_position("/components/securitySchemes/key~11/in") == (5, 41)
    assert doc.position("/security/1") == (10, 5)
    assert doc.position("/security/1/b~0x") == (10, 6)


def test_missing_pointer_falls_back_to_nearest_ancestor():
    doc = parse_document("a.json", JSON_TEXT)
    assert doc.position("/components/securitySchemes/key~11/nope/deeper") == (5, 7)
    assert doc.position("/nothing") == (1, 1)


def test_yaml_positions():
    doc = parse_document("a.yaml", YAML_TEXT)
    assert doc.syntax == "yaml"
    assert doc.data["security"] == [{"key": []}, {"other": []}]
    assert doc.position("/components/securitySchemes/key/in") == (6, 7)
    assert doc.value_position("/components/securitySchemes/key/in") == (6, 11)
    assert doc.position("/security/1") == (9, 5)


def test_yaml_scalars_become_plain_python_types():
    doc = parse_document("a.yaml", "api_id: x\nuse_keyless: true\nsession_lifetime: 0x10\n"
                         "when: 2020-01-02\n")
    assert type(doc.data["use_keyless"]) is bool
    assert doc.data["session_lifetime"] == 16 and type(doc.data["session_lifetime"]) is int
    assert doc.data["when"] == "2020-01-02"


def test_json_duplicate_key_is_refused_with_its_position():
    with pytest.raises(InputError) as exc:
        parse_document("d.json", '{\n  "api_id": "a",\n  "proxy": {},\n  "api_id": "b"\n}')
    assert exc.value.message == "duplicate key 'api_id' (a mapping key may appear only once)"
    assert (exc.value.line, exc.value.column) == (4, 3)


def test_json_duplicate_key_in_nested_object_position():
    with pytest.raises(InputError) as exc:
        parse_document("d.json", '{"a": {"x": 1}, "b": {"x": 1, "y": 2, "x": 3}}')
    assert (exc.value.line, exc.value.column) == (1, 39)


def test_yaml_duplicate_key_is_refused():
    with pytest.raises(InputError) as exc:
        parse_document("d.yaml", "api_id: a\nproxy: {}\napi_id: b\n")
    assert exc.value.message.startswith("duplicate key")
    assert exc.value.line == 3


def test_invalid_json_reports_parser_reason_and_position():
    with pytest.raises(InputError) as exc:
        parse_document("bad.json", '{\n  "api_id": "a"\n  "proxy": {}\n}')
    err = exc.value
    assert err.message == "invalid JSON: Expecting ',' delimiter"
    assert (err.line, err.column) == (3, 3)
    assert err.located() == "bad.json:3:3: invalid JSON: Expecting ',' delimiter"


def test_json_with_trailing_comma_is_read_as_yaml():
    doc = parse_document("t.json", '{"api_id": "a", "proxy": {"target_url": "x"},}')
    assert doc.kind == "classic" and doc.syntax == "yaml"
    assert doc.data == {"api_id": "a", "proxy": {"target_url": "x"}}


def test_tab_indentation_in_yaml():
    with pytest.raises(InputError) as exc:
        parse_document("t.yaml", "api_id: a\nproxy:\n\ttarget_url: x\n")
    assert exc.value.message.startswith("invalid YAML")
    assert exc.value.line == 3


@pytest.mark.parametrize("text,message", [
    ("", "the file is empty"),
    ("   \n", "the file is empty"),
    ("[1, 2]", "the top level is array; expected an object: a Tyk OAS or Tyk Classic "
               "API definition"),
    ('"text"', "the top level is string; expected an object: a Tyk OAS or Tyk Classic "
               "API definition"),
    ('{"hello": 1}', "not an API definition: expected a Tyk OAS API definition (top-level "
                     "`openapi`) or a Tyk Classic API definition (one of `api_id`, `proxy`, "
                     "`auth_configs`, `use_keyless`, `use_standard_auth`)"),
])
def test_wrong_document_kind(text, message):
    with pytest.raises(InputError) as exc:
        parse_document("x.json", text)
    assert exc.value.message == message
    assert (exc.value.line, exc.value.column) == (1, 1)


def test_unsupported_openapi_version_points_at_the_field():
    with pytest.raises(InputError) as exc:
        parse_document("x.json", '{\n  "openapi": "2.0"\n}')
    assert exc.value.message == "unsupported openapi version '2.0': expected 3.0.x or 3.1.x"
    assert (exc.value.line, exc.value.column) == (2, 3)


def test_classic_detected_by_any_marker():
    assert parse_document("c.json", '{"use_standard_auth": true}').kind == "classic"
    assert parse_document("c.json", '{"openapi": "3.1.0"}').kind == "oas"


def test_bom_is_skipped_and_invalid_utf8_located(tmp_path):
    p = tmp_path / "bom.json"
    p.write_bytes(b'\xef\xbb\xbf{"api_id": "a"}')
    assert load_document(str(p)).data == {"api_id": "a"}
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{\n  "api_id": "a\xff"\n}')
    with pytest.raises(InputError) as exc:
        load_document(str(bad))
    assert exc.value.message == "invalid UTF-8 (byte 0xff)"
    assert (exc.value.line, exc.value.column) == (2, 15)


def test_size_limit(tmp_path):
    p = tmp_path / "big.json"
    p.write_text('{"api_id": "' + "x" * 100 + '"}')
    with pytest.raises(InputError) as exc:
        load_document(str(p), limits=LoadLimits(max_bytes=50))
    assert exc.value.message.startswith("input is larger than the limit of 50 bytes")


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError) as exc:
        load_document(str(tmp_path / "nope.json"))
    assert exc.value.message == "no such file"
    with pytest.raises(InputError) as exc:
        load_document(str(tmp_path))
    assert exc.value.message == "is a directory, expected a file"


def test_depth_limit_json_and_yaml():
    deep = '{"api_id": ' + "[" * 40 + "]" * 40 + "}"
    with pytest.raises(InputError) as exc:
        parse_document("d.json", deep, limits=LoadLimits(max_depth=20))
    assert exc.value.message == "nesting is deeper than the limit of 20 levels"
    yaml_deep = "api_id: " + "[" * 40 + "]" * 40 + "\n"
    with pytest.raises(InputError):
        parse_document("d.yaml", yaml_deep, limits=LoadLimits(max_depth=20))


def test_alias_bomb_is_refused_before_expansion():
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    lines.append("api_id: *a9")
    text = "\n".join(lines) + "\n"
    start = time.monotonic()
    with pytest.raises(InputError) as exc:
        parse_document("bomb.yaml", text)
    assert time.monotonic() - start < 5  # sanity bound only; the real limit is in benchmarks
    assert exc.value.message == ("the document expands to more than 2000000 nodes "
                                 "(YAML alias expansion limit); refusing it")


def test_small_aliases_are_expanded():
    doc = parse_document("a.yaml", "base: &b {name: x}\napi_id: a\ncopy: *b\n")
    assert doc.data["copy"] == {"name": "x"}


def test_multiple_yaml_documents_refused():
    with pytest.raises(InputError) as exc:
        parse_document("m.yaml", "api_id: a\n---\napi_id: b\n")
    assert exc.value.message == "the file holds 2 YAML documents; expected one"


@pytest.mark.parametrize("text,message,where", [
    ('{\n  "api_id": NaN\n}', "invalid JSON: NaN is not a JSON number", (2, 13)),
    ('{"api_id": "a", "session_lifetime": ' + "9" * 4400 + "}",
     "a number has more than 4300 digits (no Tyk field holds more than a 64-bit integer)",
     (1, 37)),
    ("api_id: a\nsession_lifetime: " + "9" * 4400 + "\n",
     "a number has more than 4300 digits (no Tyk field holds more than a 64-bit integer)",
     (2, 19)),
])
def test_numbers_json_and_tyk_cannot_hold(text, message, where):
    with pytest.raises(InputError) as exc:
        parse_document("n.json", text)
    assert exc.value.message == message
    assert (exc.value.line, exc.value.column) == where


def test_lone_surrogate_refused_but_pairs_accepted():
    with pytest.raises(InputError) as exc:
        parse_document("s.json", '{\n  "api_id": "x",\n  "name": "a\\ud800b"\n}')
    assert exc.value.message.startswith("a string holds a lone UTF-16 surrogate escape")
    assert (exc.value.line, exc.value.column, exc.value.pointer) == (3, 3, "/name")
    assert parse_document("s.json", '{"api_id": "\\ud83d\\ude00"}').data == {"api_id": "😀"}


def test_json_read_as_yaml_keeps_the_json_error():
    doc = parse_document("t.json", '{"api_id": "a",}')
    assert doc.syntax == "yaml"
    assert doc.json_error is not None
    assert doc.json_error.located().startswith("t.json:1:16: invalid JSON")
    assert parse_document("t.json", '{"api_id": "a"}').json_error is None


def test_not_a_definition_is_its_own_error_type():
    from oascompile.errors import NotADefinitionError

    with pytest.raises(NotADefinitionError):
        parse_document("x.yaml", "KEY123: {org_id: org1}\n")


@pytest.mark.parametrize("value,what", [
    ("!!set {a, b}", "a YAML `!!set`"),
    ("!!binary aGVsbG8=", "a YAML `!!binary` value"),
    ("!custom x", "a YAML value tagged `!custom`"),
])
def test_yaml_values_without_json_form_are_refused_at_the_value(value, what):
    with pytest.raises(InputError) as exc:
        parse_document("t.yaml", f"api_id: a\nname: {value}\n")
    assert exc.value.message.startswith(f"{what} has no JSON equivalent")
    assert (exc.value.line, exc.value.column, exc.value.pointer) == (2, 7, "/name")


def test_explicit_str_tag_is_a_string():
    assert parse_document("t.yaml", "api_id: a\nname: !!str 5\n").data["name"] == "5"


def test_yaml_timestamps_keep_their_text():
    doc = parse_document("t.yaml", "api_id: a\nname: 2001-12-14 10:00:00\nx: !!timestamp 2001-12-14\n")
    assert doc.data == {"api_id": "a", "name": "2001-12-14 10:00:00", "x": "2001-12-14"}
