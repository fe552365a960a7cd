"""The gateway clock: ``--now`` / case-file ``now`` parsing and the way a clock value is shown."""

from __future__ import annotations

import pytest

from oascompile.engine.clock import MAX_NOW, MIN_NOW, parse_now, show_time
from oascompile.errors import InputError

RANGE = ("is not a usable clock: Unix seconds must be finite and between -62135596800 and "
         "253402300799 (0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z)")


@pytest.mark.parametrize("value, seconds", [
    (1700000000, 1700000000.0), (1700000000.5, 1700000000.5), ("1700000000", 1700000000.0),
    ("2023-11-14T22:13:20Z", 1700000000.0), ("2023-11-15T00:13:20+02:00", 1700000000.0),
    (MIN_NOW, float(MIN_NOW)), (str(MAX_NOW), float(MAX_NOW)), ("9999-12-31T23:59:59Z", float(MAX_NOW)),
])
def test_accepted_clock_values(value, seconds):
    assert parse_now(value) == seconds


@pytest.mark.parametrize("value, shown", [
    (float("nan"), "NaN"), (float("inf"), "infinity"), (float("-inf"), "-infinity"),
    (MAX_NOW + 1, str(MAX_NOW + 1)), (MIN_NOW - 1, str(MIN_NOW - 1)),
    ("99999999999999999999", "'99999999999999999999'"),
    ("0001-01-01T00:00:00+01:00", "'0001-01-01T00:00:00+01:00'"),
])
def test_non_finite_and_out_of_range_clocks_are_refused(value, shown):
    with pytest.raises(InputError) as err:
        parse_now(value, "now")
    assert (err.value.message, err.value.file) == (f"now: {shown} {RANGE}", None)


@pytest.mark.parametrize("value", [True, "nan", "1e400", "yesterday", "2023-11-14"])
def test_other_values_are_refused_with_the_expected_forms(value):
    with pytest.raises(InputError) as err:
        parse_now(value)
    assert err.value.located() == ("oascompile: --now: expected RFC 3339 (e.g. "
                                   f"2023-11-14T22:13:20Z) or Unix seconds, got {value!r}")


@pytest.mark.parametrize("seconds, text", [
    (1795960000.0, "1795960000 (2026-11-29T13:46:40Z)"),
    (1700000000.9, "1700000000 (2023-11-14T22:13:20Z)"),
    (float(MIN_NOW), "-62135596800 (0001-01-01T00:00:00Z)"),
    (2 ** 63 - 1, "9223372036854775807"),
])
def test_show_time_is_whole_seconds_and_rfc3339_utc(seconds, text):
    assert show_time(seconds) == text
