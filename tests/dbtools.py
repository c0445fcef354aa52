"""Reading a test database directly, to check what the CLI wrote (or did not)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, create_engine, inspect, select
from sqlalchemy.engine import Engine

from liaison_cli.store.database import resolve_url


def engine_for(db: str) -> Engine:
    """A plain engine on the test database (no liaison hooks, nothing created)."""
    url = resolve_url(db)
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :])
        assert path.exists(), f"{path} does not exist"
    return create_engine(url)


def table_rows(db: str, table: str) -> list[dict[str, Any]]:
    """The rows of one table as dicts, in primary-key order."""
    engine = engine_for(db)
    try:
        meta = MetaData()
        meta.reflect(engine, only=[table])
        t = meta.tables[table]
        order = list(t.primary_key.columns) or list(t.columns)
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(t).order_by(*order))]
    finally:
        engine.dispose()


def dump(db: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table and every row, sorted: equal dumps mean an unchanged database."""
    engine = engine_for(db)
    try:
        meta = MetaData()
        meta.reflect(engine)
        out: dict[str, list[tuple[Any, ...]]] = {}
        with engine.connect() as conn:
            for name in sorted(inspect(conn).get_table_names()):
                t = meta.tables[name]
                rows = conn.execute(select(t)).all()
                out[name] = sorted((tuple(r) for r in rows), key=repr)
        return out
    finally:
        engine.dispose()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
