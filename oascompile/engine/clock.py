"""The gateway clock: parsing ``--now`` / a case file's ``now``, and showing a clock value."""

from __future__ import annotations

import datetime as dt
import math
import re
import time

from oascompile.errors import InputError

DEFAULT_MAX_SKEW_WINDOW = 1_000_000
"""Default cap, in seconds each side of the clock, on the signature timestamps tried
(``--max-clock-skew-window``; see :func:`oascompile.engine.signature.verify_signature`)."""

MIN_NOW, MAX_NOW = -62135596800, 253402300799
"""Accepted clock range in Unix seconds: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, the
span RFC 3339 can write (and far inside Go's ``int64`` seconds)."""

_EXPECTED = "expected RFC 3339 (e.g. 2023-11-14T22:13:20Z) or Unix seconds"


def _in_range(seconds: float, shown: str, where: str) -> float:
    if not math.isfinite(seconds) or not MIN_NOW <= seconds <= MAX_NOW:
        raise InputError(f"{where}: {shown} is not a usable clock: Unix seconds must be finite and "
                         f"between {MIN_NOW} and {MAX_NOW} (0001-01-01T00:00:00Z to "
                         "9999-12-31T23:59:59Z)")
    return float(seconds)


def parse_now(value: str | int | float | None, where: str = "--now") -> float:
    """Parse a clock value into Unix seconds.

    Args:
        value: Unix seconds (int/float, or a string of digits with an optional fraction), an
            RFC 3339 timestamp with a zone offset, a ``datetime``, or None for the current time.
        where: how the value is named in messages (``--now``, ``now``).

    Returns:
        Unix seconds (float).

    Raises:
        InputError (no file; the message starts with ``where``): for anything else, and for
        NaN, infinities and values outside :data:`MIN_NOW`..:data:`MAX_NOW` (``1.0e400``,
        ``.inf`` and ``.nan`` in a YAML case file used to be accepted).
    """
    if value is None:
        return time.time()
    if isinstance(value, bool):
        raise InputError(f"{where}: {_EXPECTED}, got {value!r}")
    if isinstance(value, (int, float)):
        shown = "NaN" if value != value else repr(value).replace("inf", "infinity")
        return _in_range(value, shown, where)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.timestamp()
    text = str(value).strip()
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return _in_range(float(text) if "." in text else int(text), repr(text), where)
    if re.fullmatch(r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)", text):
        try:
            seconds = dt.datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00")).timestamp()
        except (ValueError, OverflowError):
            pass
        else:
            return _in_range(seconds, repr(text), where)
    raise InputError(f"{where}: {_EXPECTED}, got {text!r}")


def show_time(seconds: float) -> str:
    """Unix seconds as whole seconds and RFC 3339 UTC: ``1700000000 (2023-11-14T22:13:20Z)``.

    A fraction is dropped (rounded down); a value no ``datetime`` can hold is shown as whole
    seconds only."""
    whole = math.floor(seconds)
    try:
        d = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(seconds=whole)
    except OverflowError:
        return str(whole)
    return f"{whole} ({d.year:04d}-{d:%m-%dT%H:%M:%S}Z)"
