"""Hijri <-> Gregorian conversion: Umm al-Qura (the Saudi civil calendar) where its table reaches
(1343-1500 AH, 1924-2077), the arithmetic tabular calendar outside it. No dependency: the table is a
2.9 kB data file built by scripts/build_arabic_ummalqura.py (from hijridate, MIT)."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from importlib import resources

__all__ = ["hijri_to_gregorian", "gregorian_to_hijri"]


def _load() -> tuple[int, list[int]]:
    lines = [
        ln.strip()
        for ln in resources.files(__package__).joinpath("ummalqura.txt").read_text("utf-8").splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    first_year, start, digits = int(lines[0]), int(lines[1]), lines[2]
    starts = [start]
    for ch in digits:  # last digit of the month's length: 8 9 0 1 -> 28 29 30 31
        starts.append(starts[-1] + {"8": 28, "9": 29, "0": 30, "1": 31}[ch])
    return first_year, starts


_FIRST_YEAR, _STARTS = _load()  # _STARTS[i]: ordinal of the first day of month i (i = 12 * years + month)
_LAST_YEAR = _FIRST_YEAR + (len(_STARTS) - 1) // 12 - 1

# Tabular Islamic calendar (the common "Kuwaiti" 30-year cycle with leap years 2 5 7 10 13 16 18 21 24 26 29),
# epoch 1 Muharram 1 AH = 16 July 622 Julian = ordinal 227015.
_EPOCH = 227015


def _tabular_to_ordinal(y: int, m: int, d: int) -> int:
    return d + (29 * (m - 1) + m // 2) + (y - 1) * 354 + (3 + 11 * y) // 30 + _EPOCH - 1


def _ordinal_to_tabular(n: int) -> tuple[int, int, int]:
    y = (30 * (n - _EPOCH) + 10646) // 10631
    m = min(12, 1 + (n - 29 - _tabular_to_ordinal(y, 1, 1)) * 10 // 295 + 0)
    # step to the right month: the estimate may be one off near month ends
    while m > 1 and _tabular_to_ordinal(y, m, 1) > n:
        m -= 1
    while m < 12 and _tabular_to_ordinal(y, m + 1, 1) <= n:
        m += 1
    return y, m, n - _tabular_to_ordinal(y, m, 1) + 1


def hijri_to_gregorian(year: int, month: int, day: int = 1) -> date | None:
    """The Gregorian date of a Hijri date; None when the date does not exist (month 13, day 31)."""
    if not (1 <= month <= 12 and 1 <= day <= 30 and year >= 1):
        return None
    if _FIRST_YEAR <= year <= _LAST_YEAR:
        i = (year - _FIRST_YEAR) * 12 + month - 1
        if day > _STARTS[i + 1] - _STARTS[i]:
            return None  # 30 in a 29-day month
        return date.fromordinal(_STARTS[i] + day - 1)
    return date.fromordinal(_tabular_to_ordinal(year, month, day))


def gregorian_to_hijri(d: date) -> tuple[int, int, int]:
    """(year, month, day) in the Hijri calendar of a Gregorian date."""
    n = d.toordinal()
    if _STARTS[0] <= n < _STARTS[-1]:
        i = bisect_right(_STARTS, n) - 1
        return _FIRST_YEAR + i // 12, i % 12 + 1, n - _STARTS[i] + 1
    return _ordinal_to_tabular(n)
