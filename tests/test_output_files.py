"""Output that cannot be written, and the files liaison writes.

Real processes with real streams: standard output on ``/dev/full`` (every
write fails with "No space left on device") or closed; a full disk made by
the operating system's file-size limit (``RLIMIT_FSIZE``) on the process.
Files: created exclusively beside their target, mode 0600 whatever the
umask, never through a planted link, never over an existing file unless
``--overwrite``.
"""

from __future__ import annotations

import csv
import io
import os
import resource
import signal
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import as_json


def _proc(db: str, *args: str, stdout: Any = subprocess.PIPE, **kw: Any) -> Any:
    return subprocess.run(
        [sys.executable, "-m", "liaison_cli", "--db", db, *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        **kw,
    )


def _to_full(db: str, *args: str) -> Any:
    with open("/dev/full", "w") as full:
        return _proc(db, *args, stdout=full)


def _stdout_closed() -> None:
    os.close(1)


needs_dev_full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")

SAVED_BUT = (
    "warning: the change was saved, but its output could not be written "
    "(No space left on device); do not run the command again\n"
)


@needs_dev_full
@pytest.mark.parametrize("fmt", ["plain", "json"])
def test_a_write_whose_output_cannot_be_written_is_saved_once_and_says_so(cli, fmt) -> None:
    """The case is registered; the exit code (4) tells a script not to register it again."""
    cli("deputy", "add", "张伟", "--level", "county")
    done = _to_full(
        cli.db_url, "--format", fmt, "add-suggestion", "--deputy", "张伟", "--title", "修路"
    )
    assert (done.returncode, done.stderr) == (4, SAVED_BUT)
    # registered, once: a script that retries on any failure but 4 adds nothing more
    assert [c["title"] for c in as_json(cli("cases", fmt="json"))] == ["修路"]


@needs_dev_full
def test_a_listing_that_cannot_be_written_is_one_error_line(cli) -> None:
    cli("dept", "add", "第一检察部")
    done = _to_full(cli.db_url, "dept", "list")
    assert (done.returncode, done.stderr) == (
        1,
        "error: cannot write the output: No space left on device\n",
    )


@needs_dev_full
def test_help_that_cannot_be_written_is_one_error_line(cli) -> None:
    for args in (["--help"], ["export", "cases", "--help"], ["--version"]):
        done = _to_full(cli.db_url, *args)
        assert (done.returncode, done.stderr) == (
            1,
            "error: cannot write the output: No space left on device\n",
        ), args


def test_a_closed_standard_output_is_refused_before_anything_is_done(cli) -> None:
    for args in (["dept", "add", "第一检察部"], ["--help"]):
        done = _proc(cli.db_url, *args, stdout=None, preexec_fn=_stdout_closed)
        assert (done.returncode, done.stderr) == (
            1,
            "error: standard output is closed; nothing was done (redirect it to /dev/null)\n",
        ), args
    assert as_json(cli("dept", "list", fmt="json")) == []


def test_csv_and_tsv_listings_neutralise_formulas_and_json_stays_exact(cli) -> None:
    """A listing in CSV or TSV is opened by a spreadsheet: no cell may run as a formula."""
    cli("dept", "add", "=1+2")
    cli("deputy", "add", "@SUM(A1)", "--level", "county")
    cli("add-suggestion", "--deputy", "1", "--title", '=HYPERLINK("http://x","y")',
        "--received", "2026-02-01")  # fmt: skip
    cli("assign", "2026-0001", "--dept", "=1+2", "--date", "2026-02-02")

    rows = list(csv.DictReader(io.StringIO(cli("cases", fmt="csv").stdout)))
    assert [(r["title"], r["deputies"], r["department"], r["round"]) for r in rows] == [
        ('\'=HYPERLINK("http://x","y")', "'@SUM(A1)", "'=1+2", "1")
    ]
    depts = list(csv.DictReader(io.StringIO(cli("dept", "list", fmt="csv").stdout)))
    assert [(d["name"], d["staff"]) for d in depts] == [("'=1+2", "0")]
    tsv = cli("cases", fmt="tsv").stdout.splitlines()
    cells = [c.strip() for c in tsv[1].split("\t")]
    assert '\'=HYPERLINK("http://x","y")' in cells and "'=1+2" in cells
    assert not any(c.startswith(("=", "@", "+", "-")) for c in cells)
    # the stable interface for programs keeps the text as typed
    case = as_json(cli("cases", fmt="json"))[0]
    assert (case["title"], case["department"]) == ('=HYPERLINK("http://x","y")', "=1+2")


def _office(cli) -> None:
    cli("dept", "add", "第一检察部")
    cli("deputy", "add", "张伟", "--level", "county", "--phone", "13900000001",
        "--address", "江南路1号")  # fmt: skip
    cli("add-suggestion", "--deputy", "张伟", "--title", "修路", "--received", "2026-02-01")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_exports_and_reports_are_private_files_whatever_the_umask(cli, tmp_path) -> None:
    """Phones and addresses: mode 0600 like the database; --mode loosens it when asked."""
    _office(cli)
    old = os.umask(0)
    try:
        for name in ("d.csv", "d.xlsx", "d.json"):
            cli("export", "deputies", "--out", str(tmp_path / name))
            assert _mode(tmp_path / name) == 0o600, name
        for name in ("r.xlsx", "r.csv", "r.md"):
            cli("report", "--year", "2026", "--out", str(tmp_path / name))
            assert _mode(tmp_path / name) == 0o600, name
        cli("export", "deputies", "--out", str(tmp_path / "shared.csv"), "--mode", "0640")
        assert _mode(tmp_path / "shared.csv") == 0o640
        cli("report", "--year", "2026", "--out", str(tmp_path / "shared.md"), "--mode", "644")
        assert _mode(tmp_path / "shared.md") == 0o644
    finally:
        os.umask(old)
    bad = cli("export", "deputies", "--out", str(tmp_path / "x.csv"), "--mode", "0755", ok=False)
    assert (bad.exit_code, bad.stderr) == (
        1,
        "error: --mode '0755': give read/write bits in octal, such as 0600 or 0640\n",
    )
    assert not (tmp_path / "x.csv").exists()


def test_an_export_never_writes_through_a_planted_link(cli, tmp_path) -> None:
    """A link under the old temporary name, or as the target itself, is never followed."""
    _office(cli)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (tmp_path / ".deputies.csv.part").symlink_to(victim)
    cli("export", "deputies", "--out", str(tmp_path / "deputies.csv"))
    assert victim.read_text() == "keep me\n"
    assert "张伟" in (tmp_path / "deputies.csv").read_text(encoding="utf-8")

    (tmp_path / "linked.csv").symlink_to(victim)
    out = cli("export", "deputies", "--out", str(tmp_path / "linked.csv"), ok=False)
    assert (out.exit_code, out.stderr) == (
        1,
        f"error: {tmp_path / 'linked.csv'} already exists; add --overwrite to replace it\n",
    )
    cli("export", "deputies", "--out", str(tmp_path / "linked.csv"), "--overwrite")
    assert victim.read_text() == "keep me\n"
    assert not (tmp_path / "linked.csv").is_symlink()
    assert "张伟" in (tmp_path / "linked.csv").read_text(encoding="utf-8")
    # nothing is left beside the files but what was there
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "liaison.db") == [
        ".deputies.csv.part",
        "deputies.csv",
        "linked.csv",
        "victim.txt",
    ]


def test_an_existing_file_is_replaced_only_with_overwrite(cli, tmp_path) -> None:
    _office(cli)
    for args in (["export", "cases"], ["report", "--year", "2026"]):
        target = tmp_path / ("out.csv" if args[0] == "export" else "out.md")
        target.write_text("last year's\n")
        out = cli(*args, "--out", str(target), ok=False)
        assert (out.exit_code, out.stdout, out.stderr) == (
            1,
            "",
            f"error: {target} already exists; add --overwrite to replace it\n",
        )
        assert target.read_text() == "last year's\n"
        cli(*args, "--out", str(target), "--overwrite")
        text = target.read_text(encoding="utf-8-sig")
        assert ("修路" if args[0] == "export" else "2026: 1 cases received") in text


def test_a_missing_folder_is_named_as_given(cli, tmp_path) -> None:
    _office(cli)
    missing = tmp_path / "no-such-folder"
    for args in (["export", "cases"], ["report", "--year", "2026"]):
        out = cli(*args, "--out", str(missing / "out.csv"), ok=False)
        assert (out.exit_code, out.stderr) == (
            1,
            f"error: cannot write {missing / 'out.csv'}: no folder {missing}\n",
        )
    assert not missing.exists()


def _file_size_limit(limit: int):  # type: ignore[no-untyped-def]
    def apply() -> None:
        # a write past the limit fails with EFBIG instead of killing the process
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_during_an_xlsx_is_one_line_and_leaves_no_file(cli, tmp_path) -> None:
    """The export (a streamed sheet) and the report (a workbook) on a disk that fills up."""
    import secrets

    cli("dept", "add", "第一检察部")
    cli("deputy", "add", "张伟", "--level", "county")
    ledger = tmp_path / "ledger.csv"
    with ledger.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["title", "deputies", "received", "assigned", "department"])
        for _ in range(1200):  # overdue on the report's day: a long overdue sheet
            w.writerow([secrets.token_hex(40), "张伟", "2026-01-05", "2026-01-06", "第一检察部"])
    cli("import", "cases", str(ledger))
    limit = 96 * 1024  # the SQLite -shm file (32 KiB) fits; neither workbook does
    for args in (
        ["export", "cases", "--out", str(tmp_path / "cases.xlsx")],
        ["report", "--year", "2026", "--as-of", "2026-11-22", "--out", str(tmp_path / "r.xlsx")],
    ):
        done = _proc(cli.db_url, *args, preexec_fn=_file_size_limit(limit))
        name = args[-1]
        assert (done.returncode, done.stdout, done.stderr) == (
            1,
            "",
            f"error: cannot write {name}: File too large (is the disk full?)\n",
        ), args
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["ledger.csv", *(["liaison.db"] if (tmp_path / "liaison.db").exists() else [])]
    )
    # with room again the same export goes through
    cli("export", "cases", "--out", str(tmp_path / "cases.xlsx"))
