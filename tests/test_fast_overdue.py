"""``liaison overdue`` on a SQLite file runs without SQLAlchemy.

The fast path (``store/overdue_sqlite.py``) runs the statements of
``case_queries.overdue_statements`` compiled ahead of time into
``store/overdue_sql.py``. These tests hold it to the SQLAlchemy path: the
compiled module must be what the code compiles now, both paths must give the
same rows on the sample office for many dates, and anything unusual must
send the command down the ordinary path.
"""

from __future__ import annotations

import importlib.util
import shutil
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import ENGINE

from liaison_cli.store import case_queries, overdue_sqlite
from liaison_cli.store.database import Database, resolve_url
from liaison_cli.store.uow import unit_of_work

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(ENGINE != "sqlite", reason="a path for SQLite files")


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A copy of sample.db (20 cases overdue on 2026-11-20, reminders, extensions)."""
    path = tmp_path / "office.db"
    shutil.copy(ROOT / "sample.db", path)
    return path


def test_the_compiled_statements_are_current() -> None:
    spec = importlib.util.spec_from_file_location("compile_sql", ROOT / "scripts/compile_sql.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    assert module.TARGET.read_text(encoding="utf-8") == module.render(), (
        "run python scripts/compile_sql.py"
    )


def test_both_paths_give_the_same_report(office: Path) -> None:
    db = Database(resolve_url(str(office)))
    day, checked, late = date(2024, 1, 1), 0, 0
    try:
        while day <= date(2027, 1, 31):
            for within in (0, 7, 45):
                for limit in (None, 3):
                    fast = overdue_sqlite.overdue(office, as_of=day, within=within, limit=limit)
                    with unit_of_work(db) as conn:
                        slow = case_queries.overdue(conn, as_of=day, within=within, limit=limit)
                    assert fast == slow, (day, within, limit)
                    checked += 1
                    late += len(fast[0])
            day += timedelta(days=23)
    finally:
        db.dispose()
    assert checked == 294 and late > 1000, late  # real reports, not empty ones
    rows, summary = overdue_sqlite.overdue(office, as_of=date(2026, 11, 20))
    assert summary == {"overdue": 20, "due_soon": 0} and len(rows) == 20


def test_the_command_does_not_import_sqlalchemy(office: Path) -> None:
    code = (
        "import sys\n"
        f"sys.argv = ['liaison', '--db', {str(office)!r}, 'overdue', '--as-of', '2026-11-20']\n"
        "from liaison_cli.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] == 'sqlalchemy']\n"
        "print(sorted(loaded), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.rstrip().endswith("20 overdue as of 2026-11-20")
    assert done.stderr == "[]\n"


def test_anything_unusual_takes_the_ordinary_path(office: Path, tmp_path: Path, cli) -> None:
    day = date(2026, 11, 20)
    assert overdue_sqlite.overdue(tmp_path / "missing.db", as_of=day) is None
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    assert overdue_sqlite.overdue(junk, as_of=day) is None
    with sqlite3.connect(office) as con:
        con.execute("UPDATE alembic_version SET version_num = '0002'")
    con.close()
    assert overdue_sqlite.overdue(office, as_of=day) is None
    # ... and the command still answers: the ordinary path migrates the file
    out = cli("--db", str(office), "overdue", "--as-of", "2026-11-20", ok=False)
    assert out.exit_code in (0, 3), out.stderr
    # a bad --within is the user's error on either path
    with pytest.raises(Exception, match="--within"):
        overdue_sqlite.overdue(office, as_of=day, within=-1)


def test_both_paths_take_a_department(office: Path) -> None:
    db = Database(resolve_url(str(office)))
    try:
        with unit_of_work(db) as conn:
            names = [n for (n,) in conn.exec_driver_sql("SELECT name FROM departments")]
            ids = [str(i) for (i,) in conn.exec_driver_sql("SELECT id FROM departments")]
        day = date(2026, 11, 20)
        late = 0
        for dept in (*names, *ids):
            for within in (0, 45):
                fast = overdue_sqlite.overdue(office, as_of=day, within=within, dept=dept)
                with unit_of_work(db) as conn:
                    slow = case_queries.overdue(conn, as_of=day, within=within, dept=dept)
                assert fast == slow, (dept, within)
                late += len(slow[0])
        assert late > 20
        # a department that is not there is reported by the ordinary path
        assert overdue_sqlite.overdue(office, as_of=day, dept="no such department") is None
    finally:
        db.dispose()


def test_the_command_with_a_department_does_not_import_sqlalchemy(office: Path) -> None:
    with sqlite3.connect(office) as con:
        (dept,) = con.execute(
            "SELECT d.name FROM departments d JOIN case_rounds r ON r.department_id = d.id "
            "WHERE r.replied_on IS NULL AND r.due < '2026-11-20' LIMIT 1"
        ).fetchone()
    con.close()
    code = (
        "import sys\n"
        f"sys.argv = ['liaison', '--db', {str(office)!r}, 'overdue', '--as-of', '2026-11-20',"
        f" '--dept', {dept!r}]\n"
        "from liaison_cli.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] == 'sqlalchemy']\n"
        "print(sorted(loaded), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert "overdue as of 2026-11-20" in done.stdout
    assert done.stderr == "[]\n"
