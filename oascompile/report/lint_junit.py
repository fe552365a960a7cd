"""Lint findings as JUnit XML, for CI systems that display test reports.

One ``<testsuite>`` per file; one failing ``<testcase>`` per finding (name ``rule-id at
line:col``), an ``<error>`` test case for a file that could not be linted, and one passing
``lint`` test case for a clean file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from oascompile.lint.runner import LintResult


def render(result: LintResult, files: list[str] | None = None) -> str:
    """The JUnit XML document as a string (UTF-8, with declaration)."""
    by_file: dict[str, list] = defaultdict(list)
    for f in result.findings:
        by_file[f.file].append(f)
    problems = defaultdict(list)
    for e in result.problems:
        problems[e.file or "<input>"].append(e)
    names = sorted(set(files or []) | set(by_file) | set(problems))
    root = ET.Element("testsuites", name="oascompile lint")
    total = failures = errors = 0
    for name in names:
        suite = ET.SubElement(root, "testsuite", name=name)
        cases = 0
        for f in by_file.get(name, []):
            case = ET.SubElement(suite, "testcase", classname=name,
                                 name=f"{f.rule} at {f.line}:{f.column}")
            fail = ET.SubElement(case, "failure", type=f.severity, message=f.message)
            fail.text = f"{f.file}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}\n" \
                        f"pointer: {f.pointer}\nhint: {f.hint}"
            cases += 1
        for e in problems.get(name, []):
            case = ET.SubElement(suite, "testcase", classname=name, name="load")
            err = ET.SubElement(case, "error", type="input-error", message=e.message)
            err.text = e.located()
            cases += 1
        if not cases:
            ET.SubElement(suite, "testcase", classname=name, name="lint")
            cases = 1
        n_fail, n_err = len(by_file.get(name, [])), len(problems.get(name, []))
        suite.set("tests", str(cases))
        suite.set("failures", str(n_fail))
        suite.set("errors", str(n_err))
        total, failures, errors = total + cases, failures + n_fail, errors + n_err
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", str(errors))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
