"""Parsing of the dates a clerk types.

ISO ``2026-11-20``, ``2026/11/20``, ``2026.11.20``, ``2026年11月20日``,
``20261120`` (the digits and signs also full-width:
``２０２６－１１－２０``), the words ``today`` / ``yesterday`` /
``tomorrow`` (and 今天 / 昨天 / 明天), and offsets from today such as
``+7d``, ``-3m``, ``+2w``, ``-1y``.
Month arithmetic clamps to the month's end (31 Mar + 3 months = 30 Jun).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from ..errors import InvalidValue
from ..i18n import _
from .values import half_width

# ASCII digits only: ``²`` or ``①`` is no digit of a date (full-width ones are
# made ASCII first)
_NUMERIC = re.compile(r"^\s*([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?\s*$")
_COMPACT = re.compile(r"^\s*([0-9]{4})([0-9]{2})([0-9]{2})\s*$")
_OFFSET = re.compile(r"^\s*([+-])\s*([0-9]{1,5})\s*([dwmy天周月年])\s*$", re.IGNORECASE)
_WORDS = {
    "today": 0,
    "今天": 0,
    "yesterday": -1,
    "昨天": -1,
    "tomorrow": 1,
    "明天": 1,
}


def today() -> date:
    """Today's date; one place so that tests and the sample can reason about it."""
    return date.today()


def add_months(d: date, months: int) -> date:
    """``d`` plus ``months`` calendar months, clamped to the end of the month."""
    return d + relativedelta(months=months)


def parse_date(text: str | None, *, base: date | None = None) -> date:
    """Parse a date typed by a user; raise :class:`InvalidValue` if impossible."""
    if text is None or not str(text).strip():
        raise InvalidValue(_("empty date"))
    raw = half_width(str(text)).strip()
    ref = base or today()
    word = _WORDS.get(raw.lower())
    if word is not None:
        return ref + timedelta(days=word)
    m = _OFFSET.match(raw)
    if m:
        sign = 1 if m.group(1) == "+" else -1
        n = int(m.group(2)) * sign
        unit = m.group(3).lower()
        try:
            if unit in ("d", "天"):
                return ref + timedelta(days=n)
            if unit in ("w", "周"):
                return ref + timedelta(weeks=n)
            if unit in ("m", "月"):
                return ref + relativedelta(months=n)
            return ref + relativedelta(years=n)
        except (OverflowError, ValueError) as exc:
            raise InvalidValue(_("date out of range: {value}").format(value=raw)) from exc
    m = _NUMERIC.match(raw) or _COMPACT.match(raw)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        try:
            return date(y, mo, d)
        except ValueError as exc:
            raise InvalidValue(_("no such date: {value}").format(value=raw)) from exc
    raise InvalidValue(
        _("cannot read date {value!r} (use 2026-11-20, 2026年11月20日, today, +7d, -3m)").format(
            value=raw
        )
    )


def parse_optional(text: str | None) -> date | None:
    """Like :func:`parse_date`, but ``None`` or blank gives ``None``."""
    if text is None or not str(text).strip():
        return None
    return parse_date(text)


def iso(d: date | None) -> str | None:
    """A date as the ledger shows it (``YYYY-MM-DD``), or None."""
    return d.isoformat() if d else None
