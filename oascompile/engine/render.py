"""Turning an :class:`~oascompile.engine.decide.Evaluation` into the ``eval`` outputs:
the contract JSON object (cli-contract.md ``eval``) and a readable text explanation."""

from __future__ import annotations

from typing import Any

from oascompile.engine.decide import Evaluation


def _text(s: str | None) -> str | None:
    # values may carry undecodable bytes (surrogateescape); show them as U+FFFD
    if s is None:
        return None
    return s.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def to_json(ev: Evaluation) -> dict[str, Any]:
    """The ``eval --format json`` object.

    Contract keys: ``token``, ``source``, ``source_name``, ``upstream`` {method, target, headers
    as ``[name, value]``}, ``status``, ``error``.  Extra keys: ``error_id`` (Tyk error id),
    ``session_key`` (key id of the matched session), ``forwarded`` (True when status is 200,
    False on a refusal, None when undecided), ``config`` (which config R0 chose), ``steps``
    (extraction, strip and decision trail).
    """
    ext = ev.extraction
    return {
        "token": _text(ext.token),
        "source": ext.source,
        "source_name": _text(ext.source_name),
        "upstream": {
            "method": ev.method,
            "target": _text(ev.target),
            "headers": [[_text(n), _text(v)] for n, v in ev.headers],
        },
        "status": ev.status,
        "error": ev.error,
        "error_id": ev.error_id,
        "session_key": _text(ev.session_key),
        "forwarded": None if ev.status is None else ev.status == 200,
        "config": ext.config_origin,
        "steps": {
            "extract": [{"location": s.location, "enabled": s.enabled, "name": _text(s.name),
                         "why": s.name_reason, "value": _text(s.value), "outcome": s.outcome}
                        for s in ext.steps],
            "bearer_stripped": ext.bearer_stripped,
            "strip": {"applied": ev.strip.applied, "reason": ev.strip.reason,
                      "actions": [{"rule": s.rule, "config": s.config, "name": s.name,
                                   "changed": s.changed, "detail": _text(s.detail)}
                                  for s in ev.strip.steps]},
            "decision": [{"stage": s.stage, "rule": s.rule, "detail": _text(s.detail)}
                         for s in ev.steps],
        },
    }


_OUTCOME = {"won": "→ token", "overridden": "overridden by a later source", "empty": "nothing found",
            "disabled": "disabled"}


def to_text(ev: Evaluation) -> str:
    """A readable explanation of every step, ending with the gateway's answer."""
    ext = ev.extraction
    lines = [f"Token config: {ext.config_origin}"]
    lines.append("Extraction (header, then query, then cookie; a later non-empty value wins):")
    for s in ext.steps:
        if not s.enabled:
            lines.append(f"  {s.location:<6}  disabled ({s.name_reason})")
            continue
        shown = repr(_text(s.value)) if s.value else "(none)"
        lines.append(f"  {s.location:<6}  {_text(s.name)!r} [{s.name_reason}]: {shown}  {_OUTCOME[s.outcome]}")
    if ext.bearer_stripped:
        lines.append("  'Bearer ' prefix removed")
    if ext.token is None:
        lines.append("  token: none")
    else:
        lines.append(f"  token: {_text(ext.token)!r} from {ext.source} {_text(ext.source_name)!r}")
    lines.append("Decision:")
    for s in ev.steps:
        rule = f"[{s.rule}] " if s.rule else ""
        lines.append(f"  {s.stage}: {rule}{_text(s.detail)}")
    if ev.status is None:
        lines.append("  status: undecided (" + ("give --sessions or --redis" if not ev.steps or
                                                 "no --sessions" in ev.steps[-1].detail else
                                                 "not simulated") + ")")
    elif ev.status == 200:
        lines.append("  status: 200, forwarded upstream")
    else:
        eid = f" ({ev.error_id})" if ev.error_id else ""
        lines.append(f"  status: {ev.status} {ev.error!r}{eid}")
    lines.append(f"Strip authorization data: {ev.strip.reason}")
    for s in ev.strip.steps:
        if s.changed:
            lines.append(f"  {s.rule} [{s.config}] {_text(s.detail)}")
    lines.append("Upstream request" + ("" if ev.status in (None, 200) else " (not sent: refused)") + ":")
    lines.append(f"  {ev.method} {_text(ev.target)}")
    for n, v in ev.headers:
        lines.append(f"  {_text(n)}: {_text(v)}")
    return "\n".join(lines) + "\n"
