"""The black-box conformance cases in ../shared/cases, run by their own runner against the
installed ``oascompile`` (every kind: to_oas, to_classic, roundtrip_classic, extract, lint).

Skipped with a reason when ../shared/cases is absent.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHARED

CASES = SHARED / "cases"


@pytest.mark.skipif(not (CASES / "run_cases.py").is_file(),
                    reason=f"{CASES} is absent (shared/ not beside the repository)")
def test_every_conformance_case_passes():
    bindir = Path(sys.executable).parent
    exe = shutil.which("oascompile", path=str(bindir)) or shutil.which("oascompile")
    assert exe, "the oascompile console script is not installed"
    env = {**os.environ, "PATH": f"{Path(exe).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.run([sys.executable, str(CASES / "run_cases.py"), str(CASES)],
                          capture_output=True, text=True, env=env, timeout=600, check=False)
    summary = proc.stdout.strip().splitlines()[-1]
    total = len(list(CASES.glob("*.json")))
    assert re.fullmatch(rf"conformance: {total} passed, 0 failed", summary), proc.stdout
    assert proc.returncode == 0
