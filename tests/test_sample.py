"""``sample.db``: regenerated from its seed it has the same content, and it shows real work.

The sample is always SQLite (it is a file in the repository), so these tests
run on a copy of it whatever engine the rest of the suite uses; the committed
file itself is never opened.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import as_json
from typer.testing import CliRunner

from liaison_cli.cli.app import app
from liaison_cli.store.database import HEAD_REVISION

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample.db"
# the generator lives beside the other development scripts, outside the package
sys.path.insert(0, str(ROOT / "scripts"))
from sample_office import SEED, TODAY, build, dump  # noqa: E402

AS_OF = TODAY.isoformat()


@pytest.fixture(scope="module")
def sample_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("sample") / "sample.db"
    shutil.copyfile(SAMPLE, target)
    return target


class Out:
    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.exit_code, self.stdout, self.stderr = code, stdout, stderr


@pytest.fixture(scope="module")
def liaison(sample_copy: Path) -> Callable[..., Out]:
    """Run ``liaison --db <copy of sample.db> …`` in-process."""
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> Out:
        result = runner.invoke(app, ["--db", str(sample_copy), *args], catch_exceptions=False)
        out = Out(result.exit_code, result.stdout, result.stderr)
        assert out.exit_code == code, f"liaison {' '.join(args)} -> {out.exit_code}: {out.stderr}"
        return out

    return run


def first_difference(a: list[tuple[Any, ...]], b: list[tuple[Any, ...]]) -> str:
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return f"row {i}: regenerated {x!r} != committed {y!r}"
    return f"regenerated {len(a)} rows, committed {len(b)} rows"


def test_regenerating_gives_the_committed_content(tmp_path: Path, sample_copy: Path) -> None:
    out = tmp_path / "again.db"
    counts = build(out, SEED, TODAY)
    assert counts["add_case"] > 800
    fresh = dump("sqlite:///" + str(out))
    committed = dump("sqlite:///" + str(sample_copy))
    assert list(fresh) == list(committed)
    stale = {
        table: first_difference(fresh[table], committed[table])
        for table in committed
        if fresh[table] != committed[table]
    }
    assert not stale, (
        "sample.db is out of date; regenerate it with `python scripts/make_sample.py` "
        f"and commit it: {stale}"
    )
    # the generator leaves one self-contained file behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again.db"]


def test_sample_is_at_the_head_revision(sample_copy: Path) -> None:
    conn = sqlite3.connect(sample_copy)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (HEAD_REVISION,)
        ]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()


def test_reading_the_sample_leaves_the_file_unchanged(tmp_path: Path) -> None:
    """A fresh clone stays clean after the README's first command."""
    copy = tmp_path / "sample.db"
    shutil.copyfile(SAMPLE, copy)
    runner = CliRunner()
    result = runner.invoke(app, ["--db", str(copy), "overdue", "--as-of", AS_OF])
    assert result.exit_code == 0, result.stderr
    assert copy.read_bytes() == SAMPLE.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sample.db"]


def test_nothing_is_dated_after_the_sample_today(sample_copy: Path) -> None:
    conn = sqlite3.connect(sample_copy)
    try:
        latest = conn.execute(
            "SELECT max(d) FROM ("
            " SELECT max(happened_on) AS d FROM events"
            " UNION ALL SELECT max(held_on) FROM contacts"
            " UNION ALL SELECT max(received) FROM cases"
            " UNION ALL SELECT max(replied_on) FROM case_rounds"
            " UNION ALL SELECT max(closed_on) FROM case_rounds)"
        ).fetchone()[0]
    finally:
        conn.close()
    assert latest <= AS_OF


def test_overdue_shows_the_late_cases(liaison: Callable[..., Out]) -> None:
    rows = as_json(liaison("--format", "json", "overdue", "--as-of", AS_OF))
    assert 5 <= len(rows) <= 30
    assert all(r["days_overdue"] >= 1 and r["due"] < AS_OF for r in rows)
    assert all(r["status"] == "assigned" and r["department"] and r["handler"] for r in rows)
    assert [r["days_overdue"] for r in rows] == sorted(
        (r["days_overdue"] for r in rows), reverse=True
    )
    # most have been chased already
    assert sum(1 for r in rows if r["reminders"] >= 1) * 2 >= len(rows)
    table = liaison("overdue", "--as-of", AS_OF).stdout
    assert f"{len(rows)} overdue as of {AS_OF}" in table


def test_stats_by_department_show_believable_rates(liaison: Callable[..., Out]) -> None:
    rows = as_json(
        liaison("--format", "json", "stats", "cases", "--year", "2025", "--by", "dept",
                "--as-of", AS_OF)
    )  # fmt: skip
    *groups, total = rows
    assert total["group"] == "total"
    assert len(groups) == 8 and all(g["received"] > 0 for g in groups)
    assert sum(g["received"] for g in groups) == total["received"]
    assert 250 <= total["received"] <= 400
    # a year ago: nearly everything answered and closed, mostly on time and to satisfaction
    assert total["completion_rate"] >= 95
    assert 85 <= total["on_time_rate"] < 100
    assert total["satisfaction_rate"] >= 95
    assert 75 <= total["strict_satisfaction_rate"] < 95
    assert 65 <= total["solve_rate"] < 95
    assert total["dissatisfied"] >= 1


def test_this_year_has_open_and_overdue_cases(liaison: Callable[..., Out]) -> None:
    rows = as_json(
        liaison("--format", "json", "stats", "cases", "--year", str(TODAY.year), "--by", "kind",
                "--as-of", AS_OF)
    )  # fmt: skip
    total = rows[-1]
    assert [r["group"] for r in rows[:-1]] == [
        "suggestion", "motion", "proposal", "letter", "concern", "petition",
    ]  # fmt: skip
    assert total["overdue"] >= 5
    assert total["received"] - total["closed"] >= 20


def test_contacts_of_every_type_and_level(liaison: Callable[..., Out]) -> None:
    by_type = as_json(
        liaison("--format", "json", "stats", "contacts", "--year", "2025", "--by", "type")
    )
    assert {r["group"] for r in by_type[:-1]} == {
        "visit", "symposium", "trial", "inspection", "open-day", "hearing",
        "briefing", "bulletin", "message", "phone", "other",
    }  # fmt: skip
    total = by_type[-1]
    assert 700 <= total["activities"] <= 1200
    assert total["person_times"] > 2 * total["activities"]
    bulletins = next(r for r in by_type if r["group"] == "bulletin")
    assert bulletins["activities"] == 12
    by_level = as_json(
        liaison("--format", "json", "stats", "contacts", "--year", "2025", "--by", "level")
    )
    assert [r["group"] for r in by_level] == [
        "national", "provincial", "municipal", "county", "township", "total",
    ]  # fmt: skip


def test_registry_has_every_level_and_shared_names(liaison: Callable[..., Out]) -> None:
    deputies = as_json(liaison("--format", "json", "deputy", "list"))
    assert 290 <= len(deputies) <= 310
    assert {d["level"] for d in deputies} == {
        "national", "provincial", "municipal", "county", "township",
    }  # fmt: skip
    assert {d["body"] for d in deputies} == {"npc", "cppcc"}
    assert sum(1 for d in deputies if d["name"] == "张伟") == 3
    assert all(d["phone"].startswith("139") and len(d["phone"]) == 11 for d in deputies)
    out = liaison("deputy", "show", "张伟", code=1)
    assert out.stderr.startswith("error: ")
    assert out.stderr.count("张伟") >= 4  # the message and the three candidates
    depts = as_json(liaison("--format", "json", "dept", "list"))
    assert len(depts) == 9  # eight handling departments and the liaison office
