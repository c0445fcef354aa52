"""The attacker's set: invocations and files that once slipped past, generated.

``test_bad_input.py`` holds the everyday families of bad input. This module
adds the ones an adversarial run found, each drawn by Hypothesis with a fixed
seed, so that the whole set (the sum of both modules' ``EXAMPLES``, quoted in
the README) runs the same way in every CI run:

* invocations: references written with digits that are not ASCII digits
  (superscripts, circled, Arabic-Indic), unusable database URLs, text made
  only of invisible or bidirectional-control characters (also as ``--as``),
  years outside 1949-2100, a missing configuration file, files that are not
  databases;
* import files: a stale ``<dimension>``, several sheets, merged cells,
  formulas with no saved value, CSV in Big5, Shift-JIS or overlong UTF-8,
  rows shorter or longer than the header, a header below a title block, an
  encrypted workbook, deeply nested or huge-number JSON, a CSV of 100,000
  columns.

Every invocation must be refused cleanly (exit 1 or 2, one error line, no
traceback, nothing changed). Every file must either be refused whole, in the
same way, or imported whole: exit 0 with every row of the file stored as it
was written. An import that reports success with a row missing or altered
fails the test.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import uuid
import zipfile
from pathlib import Path
from typing import Any

import conftest
import pytest
from conftest import ENGINE
from dbtools import dump, table_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_bad_input import REF_SLOTS, TEXT_SLOTS, Office, prepare_office

pytestmark = pytest.mark.slow


@pytest.fixture
def office(cli: Any, tmp_path: Path) -> Any:
    o = prepare_office(cli, tmp_path)
    yield o
    o.close()


EXAMPLES = {
    "digits": 60,
    "urls": 30,
    "invisible": 60,
    "years": 20,
    "files": 40,
}

# -- invocations --------------------------------------------------------------

NOT_ASCII_DIGITS = ["²", "①", "٣", "⁰", "₁", "Ⅻ", "²⁰²⁶-⁰⁰⁰¹", "2026-000¹", "2026-000①", "߂", "໒"]


@st.composite
def digit_invocations(draw: Any) -> tuple[str, ...]:
    kind = draw(st.sampled_from(sorted(REF_SLOTS)))
    argv, _ = draw(st.sampled_from(REF_SLOTS[kind]))
    bad = draw(st.sampled_from(NOT_ASCII_DIGITS))
    return tuple(bad if a == "REF" else a for a in argv)


def _settings(name: str) -> Any:
    return settings(
        max_examples=EXAMPLES[name],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


@_settings("digits")
@given(argv=digit_invocations())
def test_references_with_digits_that_are_not_ascii_are_refused(
    office: Office, argv: tuple[str, ...]
) -> None:
    office.refuses(*argv)


BAD_URLS = [
    "mysql://u:p@localhost/liaison",
    "postgresql+psycopg2://u@localhost/liaison",
    "postgresql+asyncpg://u@localhost/liaison",
    "foo://bar",
    "://",
    "postgresql+psycopg://u@localhost:port/liaison",
    "postgresql+psycopg://u@localhost:99999999/liaison",
    "sqlite://",
    "sqlite:///:memory:",
    "oracle://scott:tiger@db/orcl",
]
URL_COMMANDS = [("cases",), ("db", "current"), ("overdue",), ("dept", "add", "新部门"),
                ("db", "check"), ("stats", "cases", "--year", "2026")]  # fmt: skip


@st.composite
def url_invocations(draw: Any) -> tuple[str, ...]:
    # a second --db overrides the office's own, which must stay untouched
    return ("--db", draw(st.sampled_from(BAD_URLS)), *draw(st.sampled_from(URL_COMMANDS)))


@_settings("urls")
@given(argv=url_invocations())
def test_unusable_database_urls_are_refused(office: Office, argv: tuple[str, ...]) -> None:
    office.refuses(*argv)
    run = office.cli(*argv, ok=False)
    assert "is the disk full" not in run.stderr
    assert "information_schema" not in run.stderr


INVISIBLE = ["\ufeff", "\u200b", "\u200c", "\u200d", "\u2060", "\u202e", "\u202d", "\u2066",
             "\u2067", "\u2069", "\u061c", "\u200e", "\u200f"]  # fmt: skip


@st.composite
def invisible_invocations(draw: Any) -> tuple[str, ...]:
    chars = draw(st.lists(st.sampled_from(INVISIBLE), min_size=1, max_size=6))
    pad = draw(st.sampled_from(["", " ", "\u3000"]))
    value = pad + "".join(chars) + pad
    if draw(st.integers(0, 4)) == 0:
        return ("--as", value, "remind", "2026-0002")
    required = [s for s in TEXT_SLOTS if s[2]]
    argv = draw(st.sampled_from(required))[0]
    return tuple(value if a == "T" else a for a in argv)


@_settings("invisible")
@given(argv=invisible_invocations())
def test_text_made_only_of_invisible_characters_is_refused(
    office: Office, argv: tuple[str, ...]
) -> None:
    office.refuses(*argv)


@st.composite
def year_invocations(draw: Any) -> tuple[str, ...]:
    year = draw(st.sampled_from(["0", "26", "1948", "2101", "9999", "0026", "-2026"]))
    cmd = draw(st.sampled_from([("stats", "cases"), ("stats", "contacts"), ("report",)]))
    return (*cmd, "--year", year)


@_settings("years")
@given(argv=year_invocations())
def test_years_outside_the_ledger_are_refused(office: Office, argv: tuple[str, ...]) -> None:
    office.refuses(*argv)


def test_missing_config_and_non_database_files_are_refused(office: Office) -> None:
    missing = office.folder / "no-such-liaison.toml"
    office.tried += 1
    run = office.cli(
        "add-suggestion", "--deputy", "李娜", "--title", "新件", ok=False,
        env={"LIAISON_CONFIG": str(missing)},
    )  # fmt: skip
    assert run.exit_code == 1 and str(missing) in run.stderr, run.stderr
    assert office.dump() == office.before
    fifo = office.folder / "pipe"
    os.mkfifo(fifo)
    for path in (str(fifo), "/dev/null", str(office.folder)):
        # not a liaison database: exit 3, the database error, in one line
        run = office.cli("--db", path, "cases", ok=False)
        assert run.exit_code == 3 and run.stderr.startswith("error: "), run.stderr
        assert len(run.stderr.splitlines()) == 1 and "disk full" not in run.stderr, run.stderr
        assert office.dump() == office.before
    office.refuses("db", "backup", "")


# -- import files -------------------------------------------------------------

HEADERS = {
    "cases": ["title", "deputies", "received", "kind"],
    "deputies": ["name", "level", "unit"],
    "contacts": ["date", "type", "deputies", "summary"],
}


def _row(table: str, i: int, word: str = "件") -> list[str]:
    if table == "cases":
        return [f"关于第{i}{word}的建议", "李娜", "2026-05-01", "suggestion"]
    if table == "deputies":
        return [f"新代表{word}{i}", "county", f"单位{i}"]
    return ["2026-05-02", "visit", "陈静", f"联络{word}{i}"]


KEY = {"cases": ("cases", "title"), "deputies": ("deputies", "name"),
       "contacts": ("contacts", "summary")}  # fmt: skip


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _workbook(rows: list[list[Any]], extra_sheet: bool = False) -> Any:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    for r in rows:
        ws.append(r)
    if extra_sheet:
        wb.create_sheet("去年").append(["title", "deputies"])
        wb["去年"].append(["另一张表里的件", "李娜"])
    return wb


def _save(wb: Any) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rewrite_sheet(data: bytes, change: Any) -> bytes:
    """The same workbook with the first sheet's XML passed through ``change``."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = change(body.decode()).encode()
            dst.writestr(item, body)
    return out.getvalue()


class FileCase:
    """One generated file: what it holds and what a whole import must store."""

    def __init__(self, table: str, suffix: str, content: bytes, expected: list[str],
                 must_refuse: bool = False, args: tuple[str, ...] = ()) -> None:  # fmt: skip
        self.table, self.suffix, self.content = table, suffix, content
        self.expected, self.must_refuse, self.args = expected, must_refuse, args


@st.composite
def attack_files(draw: Any) -> FileCase:
    kind = draw(
        st.sampled_from(
            ["stale-dimension", "huge-dimension", "sheets", "merged", "formula", "encoding",
             "overlong", "short-rows", "long-row", "title-block", "encrypted", "nested-json",
             "huge-number", "wide"]
        )
    )  # fmt: skip
    table = draw(st.sampled_from(sorted(HEADERS)))
    n = draw(st.integers(2, 8))
    header = HEADERS[table]
    rows = [_row(table, i) for i in range(n)]
    keys = [r[header.index(KEY[table][1])] for r in rows]
    if kind in ("stale-dimension", "huge-dimension"):
        ref = "A1:D2" if kind == "stale-dimension" else "A1:D1048576"
        data = _rewrite_sheet(
            _save(_workbook([header, *rows])),
            lambda x: re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', x),
        )
        return FileCase(table, ".xlsx", data, keys)
    if kind == "sheets":
        data = _save(_workbook([header, *rows], extra_sheet=True))
        if draw(st.booleans()):
            return FileCase(table, ".xlsx", data, keys, args=("--sheet", "台账"))
        return FileCase(table, ".xlsx", data, keys, must_refuse=True)
    if kind == "merged":
        # the same value merged down a column, as clerks lay out a ledger
        column = "deputies" if table != "deputies" else "level"
        col = header.index(column)
        wb = _workbook([header, *rows])
        letter = "ABCD"[col]
        wb.active.merge_cells(f"{letter}2:{letter}{n + 1}")
        return FileCase(table, ".xlsx", _save(wb), keys)
    if kind == "formula":
        wb = _workbook([header, *rows])
        at = draw(st.integers(2, n + 1))
        wb.active.cell(row=at, column=1).value = '=CONCAT("关于","件")'
        return FileCase(table, ".xlsx", _save(wb), keys, must_refuse=True)
    if kind == "encoding":
        codecs = [("big5", "關於交通號誌的議案"), ("shift_jis", "についての提案")]
        enc, word = draw(st.sampled_from(codecs))
        rows = [_row(table, i, word) for i in range(n)]
        keys = [r[header.index(KEY[table][1])] for r in rows]
        text_ = _csv([header, *rows])
        try:
            data = text_.encode(enc)
        except UnicodeEncodeError:  # a word the codec cannot write: write its own script
            data = text_.encode(enc, errors="replace")
        return FileCase(table, ".csv", data, keys)
    if kind == "overlong":
        data = _csv([header, *rows]).encode()
        at = data.index(b"\n") + 1
        junk = draw(st.sampled_from([b"\xc0\xaf", b"\xe0\x80\xaf", b"\xf0\x80\x80\xaf"]))
        return FileCase(table, ".csv", data[:at] + junk + data[at:], keys, must_refuse=True)
    if kind == "short-rows":
        # an optional last column that some rows leave off: empty cells, not a crash
        optional = {"cases": "content", "deputies": "phone", "contacts": "staff"}[table]
        cut = [r if i % 2 else [*r, ""] for i, r in enumerate(rows)]
        return FileCase(table, ".csv", _csv([[*header, optional], *cut]).encode(), keys)
    if kind == "long-row":
        bad = [*rows[0], "多出的一格"]
        return FileCase(table, ".csv", _csv([header, bad, *rows[1:]]).encode(), keys,
                        must_refuse=True)  # fmt: skip
    if kind == "title-block":
        above = [["2026年代表建议办理台账"], [], ["制表：代表联络室"], []][
            : draw(st.integers(1, 4))
        ]
        wb = _workbook([*above, header, *rows])
        return FileCase(table, ".xlsx", _save(wb), keys)
    if kind == "encrypted":
        # an OLE2 container, the way Excel stores a password-protected workbook
        data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096
        return FileCase(table, ".xlsx", data, keys, must_refuse=True)
    if kind == "nested-json":
        depth = draw(st.sampled_from([1000, 100_000]))
        return FileCase(table, ".json", b"[" * depth + b"]" * depth, keys, must_refuse=True)
    if kind == "huge-number":
        record = dict(zip(header, rows[0], strict=True))
        text_ = json.dumps([record], ensure_ascii=False)
        field = json.dumps(KEY[table][1])
        text_ = text_.replace(f"{field}: ", f'{field}: 1{"0" * 5000}, "x": ', 1)
        return FileCase(table, ".json", text_.encode(), keys, must_refuse=True)
    # a header followed by 100,000 columns nobody asked for
    extra = [f"c{i}" for i in range(100_000)]
    data = _csv([header + extra, *[r + [""] * len(extra) for r in rows[:2]]]).encode()
    return FileCase(table, ".csv", data, keys[:2])


def _stored(db: str, table: str) -> list[str]:
    name, column = KEY[table]
    return sorted(str(r[column]) for r in table_rows(db, name))


class Ledger:
    """A fresh database with the two deputies the generated files name."""

    def __init__(self, folder: Path) -> None:
        from typer.testing import CliRunner

        from liaison_cli.cli.app import app

        self.runner, self.app = CliRunner(), app
        if ENGINE == "postgresql":
            self.url = conftest._pg_admin_url(conftest._pg_new_database())
        else:
            path = folder / f"ledger-{uuid.uuid4().hex[:8]}.db"
            conftest._sqlite_new_database(path)
            self.url = str(path)
        self.run("deputy", "add", "李娜", "--level", "county", "--body", "cppcc")
        self.run("deputy", "add", "陈静", "--level", "national", "--term", "14")

    def run(self, *argv: str) -> Any:
        return self.runner.invoke(self.app, ["--db", self.url, *argv], catch_exceptions=True)

    def drop(self) -> None:
        if ENGINE == "postgresql":
            conftest._pg_exec(f"DROP DATABASE IF EXISTS {self.url.rpartition('/')[2]} WITH (FORCE)")


@_settings("files")
@given(spec=attack_files())
def test_attack_files_are_refused_or_imported_whole(tmp_path: Path, spec: FileCase) -> None:
    """Each file against its own fresh ledger: the audit trail cannot be rolled back."""
    ledger = Ledger(tmp_path)
    try:
        path = tmp_path / f"input-{uuid.uuid4().hex[:8]}{spec.suffix}"
        path.write_bytes(spec.content)
        before_dump = dump(ledger.url)
        before = _stored(ledger.url, spec.table)
        run = ledger.run("import", spec.table, str(path), *spec.args)
        where = f"import {spec.table} {spec.suffix} {spec.args}: {run.stderr[:300]}"
        assert run.exception is None or isinstance(run.exception, SystemExit), where
        assert "Traceback" not in run.stderr and "internal error" not in run.stderr, where
        assert len(run.stderr) < 2000, where
        if run.exit_code != 0 or spec.must_refuse:
            assert run.exit_code == 1, where
            lines = run.stderr.splitlines()
            assert len(lines) == 1 and lines[0].startswith("error: "), where
            assert "file is empty" not in lines[0], where
            assert dump(ledger.url) == before_dump, where
            return
        # imported: every row is there, exactly as written
        assert _stored(ledger.url, spec.table) == sorted(before + spec.expected), where
        if spec.table == "cases":
            shown = json.loads(ledger.run("--format", "json", "cases", "--deputy", "李娜").stdout)
            titles = {r["title"] for r in shown}
            assert set(spec.expected) <= titles, where  # every case kept its deputy
    finally:
        ledger.drop()


def test_an_xlsx_bomb_is_refused_before_it_is_inflated(office: Office, tmp_path: Path) -> None:
    """Shared strings that inflate to 300 MiB from a file of a few hundred KiB."""
    data = _save(_workbook([HEADERS["cases"], _row("cases", 1)]))
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        with dst.open("xl/sharedStrings.xml", "w") as f:
            chunk = b"<si><t>" + b"a" * 1_048_576 + b"</t></si>"
            for _ in range(300):
                f.write(chunk)
    path = office.file(".xlsx", out.getvalue())
    assert Path(path).stat().st_size < 2_000_000
    office.refuses("import", "cases", path)
    assert dump(office.cli.db_url) is not None
