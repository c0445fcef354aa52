"""Small SQL expressions every query module shares, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, cast, func


def like_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, with wildcards escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def month_of(column: ColumnElement[Any]) -> ColumnElement[str]:
    """``YYYY-MM`` of a date column, the same text on SQLite and PostgreSQL."""
    return func.substr(cast(column, String), 1, 7)
