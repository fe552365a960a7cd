"""The linter on the shared corpus: completes without a traceback, places OpenAPI schema errors
of the documents SOURCES.md marks invalid, and never touches the network for remote $refs."""

from __future__ import annotations

import socket

import pytest

from oascompile.lint.config import LintConfig
from oascompile.lint.runner import lint_paths

pytestmark = pytest.mark.corpus


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the linter tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def schema_errors(result, name):
    return [(f.line, f.column, f.message) for f in result.findings
            if f.rule == "oas-schema" and f.file.endswith(name)]


def test_corpus_runs_to_completion(shared_dir, no_network):
    corpus = shared_dir / "corpus"
    result = lint_paths([str(corpus / "apikey"), str(corpus / "tyk")], LintConfig())
    assert result.problems == []
    assert result.files == 8 + 75


def test_invalid_documents_get_oas_schema_errors(shared_dir, no_network):
    apikey = shared_dir / "corpus" / "apikey"
    result = lint_paths([str(apikey)], LintConfig())
    assert schema_errors(result, "redocly-apikey-query-minimal.yaml") == [
        (4, 3, "OpenAPI: 1.0 is not of type 'string'")]
    petstore = schema_errors(result, "tyk-testdata-petstore-no-responses.json")
    assert len(petstore) == 19
    assert petstore[0] == (49, 7, "OpenAPI: 'responses' is a required property")
    (radarr,) = schema_errors(result, "radarr-v3-openapi.json")
    assert radarr[:2] == (7536, 7) and "Path parameter 'path'" in radarr[2]
    for valid in ("swagger-petstore-v3.yaml", "qdrant-openapi.json",
                  "redocly-auth-header-query-cookie.yaml", "tyk-oas-multiauth-authtoken.json"):
        assert schema_errors(result, valid) == [], valid


def test_remote_refs_are_a_finding_not_a_fetch(shared_dir, no_network):
    path = shared_dir / "corpus" / "apikey" / "tyk-gateway-api.yaml"
    result = lint_paths([str(path)], LintConfig())
    assert result.problems == []
    (remote,) = [f for f in result.findings if f.rule == "remote-ref-not-fetched"]
    assert remote.severity == "warning"
    assert not [f for f in result.findings if f.rule == "oas-schema"]
    assert (remote.line, remote.column) == (756, 21)
    assert remote.pointer.endswith("/$ref")
    assert "remote $ref https://raw.githubusercontent.com/TykTechnologies/tyk/refs/heads/master/" \
           "apidef/oas/schema/3.0.json was not fetched (12 reference(s))" in remote.message
