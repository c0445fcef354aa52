"""``liaison cases`` of a period on a SQLite file runs without SQLAlchemy.

The fast path (``store/listing_sqlite.py``) runs the statement of
``case_queries.listing`` compiled ahead of time into ``store/overdue_sql.py``
(``test_fast_overdue`` holds that module to the code). These tests hold the
path to the SQLAlchemy one: the same rows for many periods and limits, the
command taken without importing SQLAlchemy, and anything unusual sent down
the ordinary path.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import ENGINE

from liaison_cli.store import case_queries, listing_sqlite
from liaison_cli.store.database import Database, resolve_url
from liaison_cli.store.uow import unit_of_work

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(ENGINE != "sqlite", reason="a path for SQLite files")


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A copy of sample.db (cases over several years, co-signed, reopened, key)."""
    path = tmp_path / "office.db"
    shutil.copy(ROOT / "sample.db", path)
    return path


def _fast(path: Path, **period: object) -> list[dict[str, object]] | None:
    with listing_sqlite.listed_cases(path, **period) as rows:  # type: ignore[arg-type]
        return None if rows is None else [dict(r) for r in rows]


def test_both_paths_list_the_same_cases(office: Path) -> None:
    db = Database(resolve_url(str(office)))
    days = [None, date(2024, 1, 1), date(2025, 3, 6), date(2026, 11, 20)]
    checked = 0
    try:
        for start in days:
            for end in days:
                for limit in (None, 0, 1, 7):
                    period = {"date_from": start, "date_to": end, "limit": limit}
                    fast = _fast(office, **period)
                    with unit_of_work(db) as conn:
                        slow = [dict(r) for r in case_queries.list_cases(conn, **period)]  # type: ignore[arg-type]
                    assert fast == slow, period
                    checked += len(slow)
        with unit_of_work(db) as conn:
            every = [dict(r) for r in case_queries.list_cases(conn)]
    finally:
        db.dispose()
    assert len(every) > 100 and checked > 500
    # the rows a user reads: co-signers joined, the lead first; key a boolean
    assert any("、" in str(r["deputies"]) for r in every)
    assert {r["key"] for r in every} == {True, False}
    assert _fast(office, date_from=None, date_to=None, limit=None) == every


def test_the_command_does_not_import_sqlalchemy(office: Path) -> None:
    code = (
        "import sys\n"
        f"sys.argv = ['liaison', '--db', {str(office)!r}, '--format', 'json', 'cases',"
        " '--from', '2026-01-01', '--limit', '3']\n"
        "from liaison_cli.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] == 'sqlalchemy']\n"
        "print(sorted(loaded), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.count('"number": "2026-') == 3, done.stdout
    assert done.stderr == "[]\n"


def test_anything_unusual_takes_the_ordinary_path(office: Path, tmp_path: Path, cli) -> None:
    period = {"date_from": None, "date_to": None, "limit": None}
    assert _fast(tmp_path / "missing.db", **period) is None
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    assert _fast(junk, **period) is None
    with sqlite3.connect(office) as con:
        con.execute("UPDATE alembic_version SET version_num = '0002'")
    con.close()
    assert _fast(office, **period) is None
    # ... and the command still answers: the ordinary path migrates the file
    out = cli("--db", str(office), "--format", "json", "cases", "--limit", "2", ok=False)
    assert out.exit_code in (0, 3), out.stderr
