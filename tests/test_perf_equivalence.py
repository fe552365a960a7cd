"""The fast paths give exactly the slow paths' answers.

Three speed-ups must never change a finding: the proof that openapi-spec-validator would find
nothing (``oascompile.lint.openapi_fast``), jsonschema-rs answering "valid" before jsonschema
(``oascompile.schemas``), and JSON positions computed per pointer (``oascompile.jsonpos``).
Here every corpus file SOURCES.md marks invalid (and the other small corpus files) is linted
with the fast paths and with all three switched off; the findings (rule, message, line, column,
pointer) must be identical.  Crafted documents check that each osv check makes the proof answer
False.  No timing here: speed is measured by benchmarks/bench_lint.py.
"""

from __future__ import annotations

import json
import re
import sys

import pytest

from oascompile import schemas
from oascompile.jsonpos import JsonLocator, json_positions
from oascompile.lint import openapi_fast
from oascompile.lint.config import LintConfig
from oascompile.lint.runner import lint_paths
from oascompile.load import Document, parse_document

INVALID_MARK = re.compile(r"\*\*(Invalid|Not valid JSON|Fails)|fails offline|\*\*Placeholder types")


def invalid_corpus_files(shared):
    """Files whose SOURCES.md row says they are invalid (OpenAPI, JSON or a Tyk schema)."""
    corpus = shared / "corpus"
    names = []
    for line in (corpus / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| ") and INVALID_MARK.search(line):
            names.append(line.split("|")[1].strip().split("/")[-1])
    found = sorted(p for p in corpus.rglob("*") if p.name in names)
    assert len(found) == len(names) >= 10, (names, found)
    return found


def lint_findings(paths):
    result = lint_paths([str(p) for p in paths], LintConfig())
    return ([(f.file, f.rule, f.line, f.column, f.pointer, f.message) for f in result.findings],
            [e.located() for e in result.problems])


@pytest.fixture
def slow_paths(monkeypatch):
    """Switch every fast path off: osv always runs, jsonschema always runs, full JSON scan."""
    def full_scan(self, pointer):
        if self._key_pos is None:
            self._key_pos, self._value_pos = json_positions(self.text)
        return None

    def enable():
        monkeypatch.setattr(openapi_fast, "proven_valid", lambda data: False)
        monkeypatch.setattr(schemas, "_fast", lambda name: None)
        monkeypatch.setattr(Document, "_json_locate", full_scan)
    return enable


def test_corpus_findings_identical_with_and_without_fast_paths(shared_dir, slow_paths):
    corpus = shared_dir / "corpus"
    files = invalid_corpus_files(shared_dir)
    files += sorted(p for p in (corpus / "apikey").iterdir() if p.stat().st_size < 100_000)
    files += sorted((corpus / "examples").rglob("*.*")) + sorted((corpus / "tyk").iterdir())
    files = sorted(set(files))
    fast = lint_findings(files)
    slow_paths()
    slow = lint_findings(files)
    assert fast == slow
    rules = {f[1] for f in fast[0]}
    assert {"oas-schema", "classic-schema", "tyk-extension-schema"} <= rules
    schema_findings = [f for f in fast[0] if f[1] == "oas-schema"]
    assert len(schema_findings) >= 21  # 19 petstore + radarr + redocly
    assert [f for f in fast[0] if f[1] == "remote-ref-not-fetched"]  # the remote $ref


def test_proof_only_for_documents_osv_finds_valid(shared_dir):
    for path in sorted((shared_dir / "corpus").rglob("*.*")):
        if path.suffix not in (".json", ".yaml") or path.stat().st_size > 1_000_000:
            continue
        try:
            doc = parse_document(str(path), path.read_text(encoding="utf-8"))
        except Exception:
            continue
        if doc.kind == "oas" and openapi_fast.proven_valid(doc.data):
            assert osv_errors(doc.data) == [], path


def osv_errors(data):
    cls = openapi_fast.exact_validator_class(str(data.get("openapi", "3.0")))
    return [e.message for e in cls(data).iter_errors()]


BASE = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}}


def op(**extra):
    return {"responses": {"200": {"description": "ok"}}, **extra}


def with_schema(schema):
    return {**BASE, "paths": {}, "components": {"schemas": {"S": schema}}}


VALID = {**BASE, "tags": [{"name": "a"}, {"name": "b"}],
         "paths": {"/p/{id}": {"parameters": [{"name": "id", "in": "path", "required": True,
                                               "schema": {"type": "string"}}],
                               "get": op(operationId="one"), "put": op(operationId="two")}},
         "components": {"schemas": {
             "A": {"type": "object", "properties": {"n": {"type": "integer", "default": 3,
                                                        "minimum": 1, "format": "int32"}}},
             "B": {"allOf": [{"$ref": "#/components/schemas/A"}], "required": ["n"]},
             "C": {"type": "string", "pattern": "^[a-z]+$", "default": "ab",
                   "enum": ["ab", "cd"]}}}}

INVALID = {
    "duplicate tag": {**BASE, "tags": [{"name": "a"}, {"name": "a"}], "paths": {}},
    "duplicate operationId": {**BASE, "paths": {"/a": {"get": op(operationId="x")},
                                                "/b": {"get": op(operationId="x")}}},
    "unresolved path parameter": {**BASE, "paths": {"/a/{id}": {"get": op()}}},
    "undeclared path parameter": {**BASE, "paths": {"/a": {"get": op(parameters=[
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}])}}},
    "duplicate parameter": {**BASE, "paths": {"/a": {"get": op(parameters=[
        {"name": "q", "in": "query", "schema": {"type": "string"}},
        {"name": "q", "in": "query", "schema": {"type": "string"}}])}}},
    "default of the wrong type": with_schema({"type": "integer", "default": "x"}),
    "default outside int32": with_schema({"type": "integer", "format": "int32",
                                          "default": 2 ** 40}),
    "default below minimum": with_schema({"type": "integer", "minimum": 5, "default": 1}),
    "default not in enum": with_schema({"type": "string", "enum": ["a"], "default": "b"}),
    "required not defined with allOf": with_schema({"allOf": [{"type": "object"}],
                                                    "properties": {"a": {}},
                                                    "required": ["b"]}),
    "invalid regex": with_schema({"type": "string", "pattern": "(unclosed"}),
    "meta-schema type": with_schema({"type": "strin"}),
    "schema fails the document schema": with_schema({"type": "object", "required": []}),
}


def test_proof_on_a_valid_document():
    assert osv_errors(VALID) == []
    assert openapi_fast.proven_valid(VALID) is True


@pytest.mark.parametrize("name", sorted(INVALID))
def test_proof_refuses_what_osv_reports(name):
    data = INVALID[name]
    assert osv_errors(data) != []
    assert openapi_fast.proven_valid(data) is False


@pytest.mark.parametrize("data", [
    {**BASE, "paths": {"/a": {"$ref": "https://example.test/paths.yaml#/a"}}},
    {**BASE, "paths": {}, "components": {"schemas": {"A": {"$ref": "other.yaml#/A"}}}},
    {**BASE, "paths": {}, "components": {"schemas": {"A": {"$id": "urn:a", "type": "string"}}}},
    {**BASE, "paths": {}, "components": {"schemas": {"A": {"$ref": "#/components/schemas/B"},
                                                     "B": {"$ref": "#/components/schemas/A"}}}},
    {**BASE, "paths": {}, "components": {"schemas": {"A": {"$ref": "#/nowhere"}}}},
    {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}},
], ids=["remote", "relative file", "$id", "cycle", "unresolvable", "3.1"])
def test_proof_leaves_references_and_31_to_osv(data):
    assert openapi_fast.proven_valid(data) is False


def test_json_locator_matches_the_full_scan(shared_dir):
    paths = sorted((shared_dir / "corpus").rglob("*.json"))
    for path in paths:
        text = path.read_text(encoding="utf-8")
        try:
            json.loads(text)
        except ValueError:
            continue
        keys, values = json_positions(text)
        locator = JsonLocator(text)
        pointers = list(keys)[:: max(1, len(keys) // 400)]
        pointers += [p + "/missing~1member/0" for p in pointers[:20]] + ["", "nope", "/"]
        for pointer in pointers:
            key_at, value_at = locator.locate(pointer)
            want_key = next((keys[c] for c in _parents(pointer) if c in keys), (1, 1))
            want_value = next((values[c] for c in _parents(pointer) if c in values), want_key)
            assert (key_at, value_at) == (want_key, want_value), (path.name, pointer)


def _parents(pointer):
    tokens = pointer.split("/") if pointer else [""]
    return ["/".join(tokens[:n]) for n in range(len(tokens), 0, -1)]


def test_json_locator_escapes_and_indexes():
    text = '{\n  "a/b": [10, {"~k": true}],\n  "": 1\n}'
    locator = JsonLocator(text)
    assert locator.locate("/a~1b/1/~0k") == ((2, 16), (2, 22))
    assert locator.locate("/a~1b/01") == ((2, 3), (2, 10))  # not an index: the array itself
    assert locator.locate("/") == ((3, 3), (3, 7))
    assert locator.locate("/a~2b") == ((1, 1), (1, 1))


def test_process_pool_gives_the_sequential_result(shared_dir, monkeypatch):
    from oascompile.lint import runner

    corpus = shared_dir / "corpus"
    paths = [str(corpus / "tyk"), str(corpus / "examples"), str(corpus / "apikey" /
                                                                "redocly-apikey-query-minimal.yaml")]
    monkeypatch.setenv("OASCOMPILE_JOBS", "1")
    sequential = lint_paths(paths, LintConfig())
    monkeypatch.setattr(runner, "POOL_MIN_FILES", 2)
    monkeypatch.setenv("OASCOMPILE_JOBS", "2")
    assert runner.pool_size(["a"] * 100) == 2
    pooled = lint_paths(paths, LintConfig())
    assert pooled.findings == sequential.findings and pooled.findings
    assert [e.located() for e in pooled.problems] == [e.located() for e in sequential.problems]
    assert (pooled.files, pooled.paths, pooled.suppressed) == \
        (sequential.files, sequential.paths, sequential.suppressed)


def test_pool_only_when_it_pays(monkeypatch):
    from oascompile.lint import runner

    monkeypatch.setenv("OASCOMPILE_JOBS", "4")
    assert runner.pool_size(["f.json"] * 75) == 1
    assert runner.pool_size(["f.json"] * 400 + ["-"]) == 1
    assert runner.pool_size(["f.json"] * 400) == (4 if sys.platform.startswith("linux") else 1)
