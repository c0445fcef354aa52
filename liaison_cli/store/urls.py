"""Where the database is: ``--db``, ``LIAISON_DB`` or the default file, as a URL.

A plain path is a SQLite file; anything with ``://`` is a SQLAlchemy URL
(``postgresql+psycopg://…``). A URL is shown to people only through
:func:`safe_url`, so a password never reaches the screen.
"""

from __future__ import annotations

import os
from pathlib import Path


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("liaison", appauthor=False)) / "liaison.db"


def resolve_url(value: str | None) -> str:
    """The SQLAlchemy URL for ``--db`` / ``LIAISON_DB`` / the default file."""
    raw = value or os.environ.get("LIAISON_DB") or str(default_path())
    if "://" in raw:
        if raw.startswith("postgresql://") or raw.startswith("postgres://"):
            raw = "postgresql+psycopg://" + raw.split("://", 1)[1]
        return raw
    return "sqlite:///" + str(Path(raw).expanduser().absolute())


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for a server URL."""
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///") :])
    return None


def safe_url(url: str) -> str:
    """The URL as it may be shown: the password masked."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1] if "@" in url else url


def url_password(url: str) -> str | None:
    """The password in a URL, to mask it wherever a driver repeats it."""
    try:
        from sqlalchemy.engine import make_url

        password = make_url(url).password
    except Exception:
        return None
    return str(password) if password else None


def where(url: str) -> str:
    """How messages name a database: the file's path, or the masked URL."""
    path = sqlite_path(url)
    return str(path) if path is not None else safe_url(url)
