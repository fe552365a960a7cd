"""Shared test helpers: build documents from Python data, locate ../shared."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from oascompile.load import Document, parse_document

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FIXTURES = REPO / "fixtures"


def doc_from(data: Any, name: str = "input.json") -> Document:
    """A Document parsed from ``data`` serialised as pretty JSON (so positions are real)."""
    return parse_document(name, json.dumps(data, indent=2))


@pytest.fixture
def shared_dir() -> Path:
    """The ../shared folder handed to the project; tests that need it skip without it."""
    if not (SHARED / "corpus").is_dir():
        pytest.skip(f"{SHARED} is absent: corpus tests need the project's shared/ folder "
                    "beside the repository")
    return SHARED
