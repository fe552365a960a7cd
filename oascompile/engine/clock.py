"""The gateway clock: parsing ``--now`` / a case file's ``now``."""

from __future__ import annotations

import datetime as dt
import re
import time

from oascompile.errors import InputError

DEFAULT_MAX_SKEW_WINDOW = 1_000_000
"""Default cap, in seconds each side of the clock, on the signature timestamps tried
(``--max-clock-skew-window``; see :func:`oascompile.engine.signature.verify_signature`)."""


def parse_now(value: str | int | float | None, where: str = "--now") -> float:
    """Parse a clock value: Unix seconds (int/float or digits) or an RFC 3339 timestamp with a
    zone offset; None → the current time.  Raises InputError on anything else."""
    if value is None:
        return time.time()
    if isinstance(value, bool):
        raise InputError(f"expected RFC 3339 or Unix seconds, got {value!r}", where)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.timestamp()
    text = str(value).strip()
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return float(text)
    if re.fullmatch(r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)", text):
        try:
            return dt.datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00")).timestamp()
        except ValueError:
            pass
    raise InputError(f"expected RFC 3339 (e.g. 2023-11-14T22:13:20Z) or Unix seconds, got {text!r}",
                     where)
