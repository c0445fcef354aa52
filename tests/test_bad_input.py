"""Every bad input is answered: exit 1 or 2, one error line, no traceback, nothing changed.

Hypothesis generates the invocations, with a fixed seed (``derandomize``) so
that CI runs the same examples every time. Each test function prepares ONE
office ledger (departments, staff, two deputies sharing a name, cases in
every state, a contact), takes a logical dump of every table, and then runs
its examples in-process against it. Each example has exactly one thing wrong
and must end with:

* exit code 1 (our ``error: …`` line) or 2 (Typer's usage message, whose
  only error line is ``Error: …`` under the usage lines);
* exactly one error line on stderr, except for an ambiguous name, which lists
  its candidates, indented, under the error line (checked explicitly);
* nothing on stdout, no traceback;
* a dump of every table identical to the one taken before.

The families, each a test below: impossible dates, unknown and ambiguous
references, wrong choices and numbers, bad text (empty, 100 KB, control
characters and NUL, undecodable bytes; SQL metacharacters mixed into every
one), bad import files (invalid UTF-8, truncated XLSX, garbage, a bad row in
a good file), and bad paths and usage. ``EXAMPLES`` says how many each tries;
their sum is the count the README quotes.

SQL metacharacters in a VALID write are stored literally: the last test
writes them into every text field of every write command and reads them back.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ENGINE
from dbtools import engine_for
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, select, text

from liaison_cli.domain import vocab as domain
from liaison_cli.domain.lifecycle import STATUSES
from liaison_cli.errors import LiaisonError
from liaison_cli.store import schema

EXAMPLES = {
    "dates": 80,
    "references": 80,
    "choices_and_numbers": 80,
    "text": 100,
    "import_files": 60,
    "paths_and_usage": 25,
}

SQL_META = [
    "'; DROP TABLE cases; --",
    "' OR '1'='1",
    '" OR 1=1 --',
    "1; DELETE FROM events",
    "%",
    "_",
    "\\",
    "/* */",
    "'",
    "%' OR name LIKE '%",
    ") UNION SELECT * FROM deputies --",
]


def _settings(name: str) -> Callable[[Any], Any]:
    return settings(
        max_examples=EXAMPLES[name],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.filter_too_much,
        ],
    )


# -- the prepared office and its dump --------------------------------------------


class Office:
    """The test's ledger, its dump before the examples, and the checks per example."""

    def __init__(self, cli: Any, folder: Path) -> None:
        self.cli = cli
        self.folder = folder
        self.tried = 0
        self._files = 0
        self.engine = engine_for(cli.db_url)
        tables = set(inspect(self.engine).get_table_names())
        # the dump covers every table in the database, ours and Alembic's
        assert tables == set(schema.metadata.tables) | {"alembic_version"}
        self.before = self.dump()

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        out: dict[str, list[tuple[Any, ...]]] = {}
        with self.engine.connect() as conn:
            for name, table in sorted(schema.metadata.tables.items()):
                out[name] = sorted((tuple(r) for r in conn.execute(select(table))), key=repr)
            out["alembic_version"] = conn.execute(text("SELECT * FROM alembic_version")).all()
        return out

    def file(self, suffix: str, content: bytes) -> str:
        self._files += 1
        path = self.folder / f"input-{self._files}{suffix}"
        path.write_bytes(content)
        return str(path)

    def refuses(self, *argv: str) -> None:
        """``liaison ARGV`` must be refused cleanly and change nothing."""
        self.tried += 1
        run = self.cli(*argv, ok=False)
        where = f"liaison {' '.join(a[:60] for a in argv)}"
        assert run.exit_code in (1, 2), f"{where} -> {run.exit_code}: {run.stderr[:300]}"
        assert run.stdout == "", where
        assert "Traceback" not in run.stderr, where
        lines = run.stderr.splitlines()
        if run.exit_code == 1:
            assert lines and lines[0].startswith("error: "), (where, run.stderr[:300])
            assert "internal error" not in lines[0] and "database error" not in lines[0], where
            ambiguous = re.fullmatch(r"error: '.+' matches (\d+) deputies; use the id", lines[0])
            if ambiguous:
                # the candidates, one per line, indented under the error line
                assert len(lines) == 1 + int(ambiguous[1]), (where, lines)
                assert all(re.match(r"  \d+  ", line) for line in lines[1:]), (where, lines)
            else:
                assert len(lines) == 1, (where, lines[:5])
        else:
            # Typer's usage message: usage, hint, blank, and one error line
            assert [line for line in lines if line.startswith("Error: ")] == [lines[-1]], lines
            assert lines[0].startswith("Usage: liaison"), (where, lines)
            assert len(lines) == 4, (where, lines)
        assert self.dump() == self.before, f"{where} changed the database"

    def close(self) -> None:
        self.engine.dispose()


def prepare_office(cli: Any, tmp_path: Path) -> Office:
    """The ledger every example runs against (see the comment below it)."""
    cli("dept", "add", "第一检察部")
    cli("dept", "add", "第八检察部")
    cli("staff", "add", "王芳", "--dept", "第一检察部")
    cli("staff", "add", "刘强", "--dept", "第八检察部")
    cli("deputy", "add", "张伟", "--level", "provincial", "--unit", "省交通厅")
    cli("deputy", "add", "张伟", "--level", "municipal", "--unit", "市第一中学")
    cli("deputy", "add", "李娜", "--level", "county", "--body", "cppcc", "--liaison", "王芳")
    cli("deputy", "add", "陈静", "--level", "national", "--term", "14")
    for title, kind in (("一", "suggestion"), ("二", "suggestion"), ("三", "motion"),
                        ("四", "suggestion"), ("五", "letter")):  # fmt: skip
        cli("add-suggestion", "--deputy", "李娜", "--title", f"件{title}", "--kind", kind,
            "--received", "2026-03-01")  # fmt: skip
    for n in ("0002", "0003", "0004"):
        cli("assign", f"2026-{n}", "--dept", "第一检察部", "--handler", "王芳",
            "--date", "2026-03-05")  # fmt: skip
    for n in ("0003", "0004"):
        cli("reply", f"2026-{n}", "--method", "written", "--result", "A", "--date", "2026-04-01")
    cli("close", "2026-0004", "--satisfaction", "dissatisfied", "--date", "2026-04-02")
    cli("log-contact", "--deputy", "李娜", "--type", "visit", "--date", "2026-03-01")
    folder = tmp_path / "inputs"
    folder.mkdir()
    return Office(cli, folder)


@pytest.fixture
def office(cli: Any, tmp_path: Path) -> Any:
    o = prepare_office(cli, tmp_path)
    yield o
    o.close()
    print(f"{o.tried} bad invocations refused")


# 2026-0001 registered, 0002 assigned, 0003 replied, 0004 closed dissatisfied,
# 0005 a registered letter; deputies 1-4, departments and staff 1-2.

# -- impossible dates -------------------------------------------------------------

# (argv with DATE where the date goes, whether a blank value is an error there;
# a blank optional filter just means "no filter")
DATE_SLOTS: list[tuple[tuple[str, ...], bool]] = [
    (("deputy", "add", "赵敏", "--level", "county", "--date", "DATE"), True),
    (("deputy", "edit", "李娜", "--phone", "1", "--date", "DATE"), True),
    (("dept", "add", "新部门", "--date", "DATE"), True),
    (("staff", "add", "新人", "--dept", "第一检察部", "--date", "DATE"), True),
    (("log-contact", "--deputy", "李娜", "--type", "visit", "--date", "DATE"), True),
    (("add-suggestion", "--deputy", "李娜", "--title", "新件", "--received", "DATE"), True),
    (("assign", "2026-0001", "--dept", "第一检察部", "--date", "DATE"), True),
    (("assign", "2026-0001", "--dept", "第一检察部", "--due", "DATE"), False),
    (("remind", "2026-0002", "--date", "DATE"), True),
    (("extend", "2026-0002", "--due", "DATE", "--reason", "需要"), True),
    (("extend", "2026-0002", "--due", "2027-06-01", "--reason", "需要", "--date", "DATE"), True),
    (("reply", "2026-0002", "--method", "written", "--date", "DATE"), True),
    (("reply", "2026-0005", "--procedural", "--date", "DATE"), True),
    (("close", "2026-0003", "--date", "DATE"), True),
    (("reopen", "2026-0004", "--reason", "不满意", "--date", "DATE"), True),
    (("contacts", "--from", "DATE"), False),
    (("contacts", "--to", "DATE"), False),
    (("cases", "--from", "DATE"), False),
    (("cases", "--to", "DATE"), False),
    (("overdue", "--as-of", "DATE"), False),
    (("stats", "cases", "--from", "DATE"), False),
    (("stats", "cases", "--as-of", "DATE"), False),
    (("stats", "contacts", "--to", "DATE"), False),
    (("report", "--as-of", "DATE"), False),
]

MONTH_DAYS = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


@st.composite
def impossible_dates(draw: Any, blank_is_error: bool) -> str:
    y = draw(st.integers(1, 9999))
    choice = draw(st.integers(0, 6))
    if choice == 0:  # a day past the end of its month
        m = draw(st.integers(1, 12))
        leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
        last = 29 if m == 2 and leap else MONTH_DAYS[m]
        d = draw(st.integers(last + 1, 99))
        sep = draw(st.sampled_from(["-", "/", "."]))
        return f"{y:04d}{sep}{m:02d}{sep}{d:02d}"
    if choice == 1:  # month 0 or 13 and up, also in Chinese
        m = draw(st.sampled_from([0, 13, 14, 20, 99]))
        fmt = draw(st.sampled_from(["{y:04d}-{m:02d}-01", "{y}年{m}月1日"]))
        return fmt.format(y=y, m=m)
    if choice == 2:  # a year of five digits or more
        return f"{draw(st.integers(10_000, 10**12))}-01-01"
    if choice == 3:  # an offset past year 9999
        return draw(st.sampled_from(["+", "-"])) + f"{draw(st.integers(8000, 99999))}y"
    if choice == 4 and blank_is_error:
        return draw(st.sampled_from(["", " ", "\t"]))
    if choice == 5:  # not a date at all, SQL included
        return draw(st.sampled_from(["tomorrowish", "2026-1-1-1", "31/12/2026", "十一月",
                                     "2026-02-30'; --", "2026-01-01\x00", *SQL_META]))  # fmt: skip
    fixed = ["2026-02-30", "2026-02-29", "2025-02-29", "1900-02-29", "2026-04-31",
             "2026-13-01", "2026-00-10", "2026-01-00", "99999-01-01", "0000-01-01",
             "2026年2月30日", "20261341"]  # fmt: skip
    return draw(st.sampled_from(fixed))


@st.composite
def bad_date_invocations(draw: Any) -> tuple[str, ...]:
    argv, blank_is_error = draw(st.sampled_from(DATE_SLOTS))
    bad = draw(impossible_dates(blank_is_error))
    return tuple(bad if a == "DATE" else a for a in argv)


@_settings("dates")
@given(argv=bad_date_invocations())
def test_impossible_dates_are_refused(office: Office, argv: tuple[str, ...]) -> None:
    office.refuses(*argv)


# -- unknown and ambiguous references ---------------------------------------------

# (argv with REF, whether a blank reference is an error there: a blank
# optional filter or optional staff member just means "none")
REF_SLOTS: dict[str, list[tuple[tuple[str, ...], bool]]] = {
    "deputy": [
        (("deputy", "show", "REF"), True),
        (("deputy", "edit", "REF", "--phone", "1"), True),
        (("log-contact", "--deputy", "REF", "--type", "visit"), True),
        (("log-contact", "--deputy", "李娜", "--deputy", "REF", "--type", "visit"), True),
        (("add-suggestion", "--deputy", "REF", "--title", "新件"), True),
        (("add-suggestion", "--deputy", "陈静", "--deputy", "REF", "--title", "新件"), True),
        (("cases", "--deputy", "REF"), False),
        (("contacts", "--deputy", "REF"), False),
    ],
    "case": [
        (("show", "REF"), True),
        (("assign", "REF", "--dept", "第一检察部"), True),
        (("remind", "REF"), True),
        (("extend", "REF", "--due", "2027-06-01", "--reason", "需要"), True),
        (("reply", "REF", "--method", "written"), True),
        (("reply", "REF", "--procedural"), True),
        (("close", "REF"), True),
        (("reopen", "REF", "--reason", "不满意"), True),
    ],
    "dept": [
        (("staff", "add", "新人", "--dept", "REF"), True),
        (("staff", "list", "--dept", "REF"), False),
        (("assign", "2026-0001", "--dept", "REF"), True),
        (("assign", "2026-0001", "--dept", "第一检察部", "--co-dept", "REF"), False),
        (("cases", "--dept", "REF"), False),
        (("overdue", "--dept", "REF"), False),
    ],
    "staff": [
        (("assign", "2026-0001", "--dept", "第一检察部", "--handler", "REF"), False),
        (("log-contact", "--deputy", "李娜", "--type", "visit", "--staff", "REF"), False),
        (("deputy", "edit", "李娜", "--liaison", "REF"), False),
        (("deputy", "add", "赵敏", "--level", "county", "--liaison", "REF"), False),
    ],
}
KNOWN = {"张伟", "李娜", "陈静", "第一检察部", "第八检察部", "王芳", "刘强"}


@st.composite
def unknown_refs(draw: Any, kind: str, blank_is_error: bool) -> str:
    choice = draw(st.integers(0, 6))
    if choice == 0:  # an id nobody has
        return str(draw(st.integers(100, 10**30)))
    if choice == 1:  # SQL that would match everything if it were pasted into a query
        return draw(st.sampled_from(SQL_META))
    if choice == 2 and kind == "case":
        return draw(st.sampled_from(["2026-0099", "2025-0001", "2026-00001", "2026-", "0",
                                     "2026–0001", "2026_0001"]))  # fmt: skip
    if choice == 3 and blank_is_error:
        return draw(st.sampled_from(["", " ", "\u3000"]))
    if choice == 4 and kind == "deputy":  # a shared name: the candidates are listed
        return "张伟"
    if choice == 5:  # a known name spoilt by a NUL or by bytes that were not UTF-8
        known = {"deputy": "李娜", "case": "2026-0001", "dept": "第一检察部", "staff": "王芳"}
        return known[kind] + draw(st.sampled_from(["\x00", "\udcff", "\x00' OR '1'='1"]))
    name = draw(st.text(st.characters(categories=["Lo", "Ll", "Lu", "Nd"]), min_size=1,
                        max_size=12))  # fmt: skip
    assume(name.strip() not in KNOWN and not name.strip().isdigit())
    return name


@st.composite
def bad_ref_invocations(draw: Any) -> tuple[str, ...]:
    kind = draw(st.sampled_from(sorted(REF_SLOTS)))
    argv, blank_is_error = draw(st.sampled_from(REF_SLOTS[kind]))
    bad = draw(unknown_refs(kind, blank_is_error))
    return tuple(bad if a == "REF" else a for a in argv)


@_settings("references")
@given(argv=bad_ref_invocations())
def test_unknown_and_ambiguous_references_are_refused(
    office: Office, argv: tuple[str, ...]
) -> None:
    office.refuses(*argv)


# -- wrong choices, negative and huge numbers -------------------------------------

CHOICE_SLOTS: list[tuple[tuple[str, ...], domain.Vocabulary | None]] = [
    (("deputy", "add", "赵敏", "--level", "X"), domain.LEVELS),
    (("deputy", "add", "赵敏", "--level", "county", "--body", "X"), domain.BODIES),
    (("deputy", "edit", "李娜", "--level", "X"), domain.LEVELS),
    (("deputy", "list", "--body", "X"), domain.BODIES),
    (("log-contact", "--deputy", "李娜", "--type", "X"), domain.CONTACT_TYPES),
    (("contacts", "--type", "X"), domain.CONTACT_TYPES),
    (("add-suggestion", "--deputy", "李娜", "--title", "新件", "--kind", "X"), domain.KINDS),
    (("cases", "--status", "X"), STATUSES),
    (("cases", "--kind", "X"), domain.KINDS),
    (("reply", "2026-0002", "--method", "X"), domain.METHODS),
    (("reply", "2026-0002", "--method", "written", "--result", "X"), domain.RESULTS),
    (("close", "2026-0003", "--satisfaction", "X"), domain.SATISFACTION),
    (("stats", "cases", "--by", "X"), domain.CASE_GROUPINGS),
    (("stats", "contacts", "--by", "X"), domain.CONTACT_GROUPINGS),
]
# (argv, the numbers that are fine there)
NUMBER_SLOTS: list[tuple[tuple[str, ...], range]] = [
    (("deputy", "add", "赵敏", "--level", "county", "--term", "N"), range(1, 100)),
    (("deputy", "edit", "李娜", "--term", "N"), range(1, 100)),
    (("deputy", "list", "--limit", "N"), range(0, 10**9 + 1)),
    (("contacts", "--limit", "N"), range(0, 10**9 + 1)),
    (("cases", "--limit", "N"), range(0, 10**9 + 1)),
    (("overdue", "--limit", "N"), range(0, 10**9 + 1)),
    (("overdue", "--within", "N"), range(0, 36601)),
    (("stats", "cases", "--year", "N"), range(1949, 2101)),
    (("stats", "contacts", "--year", "N"), range(1949, 2101)),
    (("report", "--year", "N"), range(1949, 2101)),
]


def _accepted(vocab: domain.Vocabulary | None, value: str) -> bool:
    if vocab is None:
        return value in ("none", "dept", "handler", "kind", "level", "month", "type", "staff")
    try:
        vocab.parse(value)
    except LiaisonError:
        return False
    return True


@st.composite
def bad_choice_or_number(draw: Any) -> tuple[str, ...]:
    if draw(st.booleans()):
        argv, vocab = draw(st.sampled_from(CHOICE_SLOTS))
        value = draw(
            st.one_of(
                st.sampled_from(
                    [
                        "provincial ",
                        "Provinz",
                        "省级市",
                        "E",
                        "AB",
                        "written,",
                        "满意 不满意",
                        "0",
                        "-1",
                        *SQL_META,
                    ]
                ),  # fmt: skip
                st.text(min_size=1, max_size=20).filter(lambda s: s.strip() and "\x00" not in s),
            )
        )
        assume(not _accepted(vocab, value))
        return tuple(value if a == "X" else a for a in argv)
    argv, fine = draw(st.sampled_from(NUMBER_SLOTS))
    value = draw(
        st.one_of(
            st.integers(max_value=-1).map(str),
            st.integers(min_value=10**9 + 1, max_value=10**40).map(str),
            st.integers(min_value=-(10**40), max_value=10**40).map(str),
            st.sampled_from(["abc", "1.5", "1e3", "0x10", "--1", "1 OR 1=1"]),
        )
    )
    try:
        assume(int(value) not in fine)
    except ValueError:
        pass
    return tuple(value if a == "N" else a for a in argv)


@_settings("choices_and_numbers")
@given(argv=bad_choice_or_number())
def test_wrong_choices_and_numbers_are_refused(office: Office, argv: tuple[str, ...]) -> None:
    office.refuses(*argv)


# -- bad text ---------------------------------------------------------------------

# (argv with T, the field's maximum length, required, single line)
TEXT_SLOTS: list[tuple[tuple[str, ...], int, bool, bool]] = [
    (("deputy", "add", "T", "--level", "county"), 100, True, True),
    (("deputy", "add", "赵敏", "--level", "county", "--unit", "T"), 300, False, True),
    (("deputy", "add", "赵敏", "--level", "county", "--phone", "T"), 100, False, True),
    (("deputy", "add", "赵敏", "--level", "county", "--address", "T"), 300, False, True),
    (("deputy", "add", "赵敏", "--level", "county", "--delegation", "T"), 200, False, True),
    (("deputy", "add", "赵敏", "--level", "county", "--sector", "T"), 200, False, True),
    (("deputy", "edit", "李娜", "--name", "T"), 100, True, True),
    (("deputy", "edit", "李娜", "--unit", "T"), 300, False, True),
    (("dept", "add", "T"), 200, True, True),
    (("staff", "add", "T", "--dept", "第一检察部"), 100, True, True),
    (("log-contact", "--deputy", "李娜", "--type", "visit", "--summary", "T"), 20000, False, False),
    (("add-suggestion", "--deputy", "李娜", "--title", "T"), 500, True, True),
    (("add-suggestion", "--deputy", "李娜", "--title", "新件", "--content", "T"), 20000, False,
     False),
    (("add-suggestion", "--deputy", "李娜", "--title", "新件", "--number", "T"), 100, False, True),
    (("remind", "2026-0002", "--note", "T"), 20000, False, False),
    (("extend", "2026-0002", "--due", "2027-06-01", "--reason", "T"), 20000, True, False),
    (("reply", "2026-0002", "--method", "written", "--summary", "T"), 20000, False, False),
    (("reopen", "2026-0004", "--reason", "T"), 20000, True, False),
    (("deputy", "list", "--search", "T"), 0, False, False),
]  # fmt: skip
CONTROL = [chr(c) for c in range(32) if chr(c) not in "\n\t\r"] + ["\x7f"]


@st.composite
def bad_text_invocations(draw: Any) -> tuple[str, ...]:
    argv, max_len, required, single_line = draw(st.sampled_from(TEXT_SLOTS))
    meta = draw(st.sampled_from(["", *SQL_META]))
    kinds = ["nul", "surrogate"]
    if max_len:  # not the search filter, which takes any other text
        kinds += ["control", "long"]
    if required:
        kinds.append("blank")
    kind = draw(st.sampled_from(kinds))
    if kind == "nul":
        value = meta + draw(st.sampled_from(["\x00", "a\x00b", "\x00\x00"])) + "文本"
    elif kind == "surrogate":  # bytes that were not UTF-8, as Python passes them on
        value = "代表" + draw(st.sampled_from(["\udcff", "\udce4\udcb8", "\ud800"])) + meta
    elif kind == "control":
        bad = draw(st.sampled_from(CONTROL + (["\n", "\r", "\t"] if single_line else [])))
        value = "前" + bad + "后" + meta
    elif kind == "long":
        length = draw(st.sampled_from([max_len + 1, max_len + 1000, 100_000]))
        # (no blank at either end, which would be stripped off before counting)
        value = "长" + ((meta + "长") * (length // (len(meta) + 1) + 1))[: length - 2] + "长"
    else:
        value = draw(st.sampled_from(["", " ", "\t", "\u3000", "  \u3000 "]))
    return tuple(value if a == "T" else a for a in argv)


@_settings("text")
@given(argv=bad_text_invocations())
def test_bad_text_is_refused(office: Office, argv: tuple[str, ...]) -> None:
    office.refuses(*argv)


# -- bad import files -------------------------------------------------------------

GOOD_ROWS = {
    "deputies": (["name", "level", "unit"], lambda i: [f"导入代表{i}", "county", f"单位{i}"]),
    "cases": (
        ["title", "deputies", "received", "kind"],
        lambda i: [f"导入的件{i}", "李娜", "2026-05-01", "suggestion"],
    ),
    "contacts": (
        ["date", "type", "deputies", "summary"],
        lambda i: ["2026-05-02", "visit", "陈静", f"联络{i}"],
    ),
}
# a row that spoils the file: (column, value)
BAD_CELLS = {
    "deputies": [("level", "galactic"), ("name", ""), ("name", "名\x01字"),
                 ("unit", "长" * 100_000), ("level", "'; DROP TABLE deputies; --"),
                 ("name", "x" * 101)],
    "cases": [("received", "2026-02-30"), ("deputies", "无此人"), ("deputies", "张伟"),
              ("kind", "memo"), ("title", ""), ("title", "标\x07题"), ("received", "99999-01-01"),
              ("deputies", "' OR '1'='1"), ("title", "长" * 100_000), ("kind", "1; DROP TABLE x")],
    "contacts": [("date", "2026-13-01"), ("type", "party"), ("deputies", "无此人"),
                 ("summary", "a\x00b"), ("date", ""), ("type", "'; DELETE FROM contacts; --")],
}  # fmt: skip


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _xlsx(header: list[str], rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@st.composite
def bad_import_files(draw: Any) -> tuple[str, str, bytes, bool]:
    """(table, suffix, content, dry run)"""
    table = draw(st.sampled_from(sorted(GOOD_ROWS)))
    header, good = GOOD_ROWS[table]
    rows = [good(i) for i in range(draw(st.integers(1, 30)))]
    dry = draw(st.booleans())
    kind = draw(st.sampled_from(["bad-row", "bad-row", "utf8", "truncated", "garbage", "json"]))
    if kind == "bad-row":
        column, value = draw(st.sampled_from(BAD_CELLS[table]))
        if column not in header:
            header = [*header, column]
            rows = [[*r, ""] for r in rows]
        bad = [*good(999), ""][: len(header)]
        bad[header.index(column)] = value
        rows.insert(draw(st.integers(0, len(rows))), bad)
        if draw(st.booleans()) and "\x00" not in value and "\x07" not in value:
            return table, ".xlsx", _xlsx(header, rows), dry
        return table, ".csv", _csv(header, rows), dry
    if kind == "utf8":  # bytes neither UTF-8 nor GB18030 can read, inside a good file
        data = _csv(header, rows)
        at = draw(st.integers(0, len(data)))
        junk = draw(st.sampled_from([b"\xff", b"\x80", b"\xff\xfe\xfd", b"\xc3\x28\xff"]))
        return table, ".csv", data[:at] + junk + data[at:], dry
    if kind == "truncated":  # an XLSX cut short, as by a failed copy
        data = _xlsx(header, rows)
        # the cut is drawn independently of the file's length: a zipped file's
        # length varies by a byte or two between runs (timestamps compress
        # differently), which Hypothesis would see as a flaky strategy
        cut = draw(st.integers(0, 1_000_000)) % len(data)
        return table, ".xlsx", data[:cut], dry
    if kind == "garbage":
        suffix = draw(st.sampled_from([".csv", ".xlsx", ".json"]))
        data = draw(st.binary(min_size=0, max_size=400))
        assume(suffix != ".csv" or len(data) == 0 or b"\xff" in data or b"\x80" in data)
        return table, suffix, data, dry
    text_ = json.dumps([dict(zip(header, r, strict=True)) for r in rows], ensure_ascii=False)
    return table, ".json", text_[: draw(st.integers(0, len(text_) - 1))].encode(), dry


@_settings("import_files")
@given(spec=bad_import_files())
def test_bad_import_files_are_refused_whole(
    office: Office, spec: tuple[str, str, bytes, bool]
) -> None:
    table, suffix, content, dry = spec
    path = office.file(suffix, content)
    office.refuses("import", table, path, *(["--dry-run"] if dry else []))


# -- bad paths and usage ----------------------------------------------------------


@st.composite
def bad_paths_and_usage(draw: Any, folder: str) -> tuple[str, ...]:
    return draw(
        st.sampled_from(
            [
                ("report", "--out", f"{folder}/report.txt"),
                ("report", "--out", folder),
                ("report", "--out", "/proc/liaison-report.xlsx"),
                ("report", "--year", "2026", "--out", f"{folder}/no/such/dir/r.md"),
                ("export", "cases", "--out", f"{folder}/cases.doc"),
                ("export", "deputies", "--out", "/proc/deputies.csv"),
                ("export", "ledger"),
                ("import", "cases", f"{folder}/missing.csv"),
                ("import", "cases", folder),
                ("import", "everything", f"{folder}/x.csv"),
                ("import", "deputies", f"{folder}/x.csv", "--level"),
                ("db", "backup", folder),
                ("cases", "--bogus"),
                ("deputy", "frobnicate"),
                ("show",),
                ("assign", "2026-0001"),
                ("extend", "2026-0002", "--due", "2027-06-01"),
                ("add-suggestion", "--title", "没有代表"),
                ("log-contact", "--deputy", "李娜"),
                ("init", "extra"),
                ("--format", "bogus", "cases"),
                ("--lang", "fr", "cases"),
                ("--as", "办\x07事员", "remind", "2026-0002"),
                ("--as", "x" * 101, "remind", "2026-0002"),
                ("reply", "2026-0002", "--method", "written", "--procedural"),
            ]
        )
    )


def test_bad_paths_and_usage_are_refused(office: Office) -> None:
    folder = str(office.folder)

    @_settings("paths_and_usage")
    @given(argv=bad_paths_and_usage(folder))
    def run(argv: tuple[str, ...]) -> None:
        office.refuses(*argv)

    run()
    if ENGINE == "sqlite":
        existing = office.file(".db", b"somebody's file")
        office.refuses("db", "backup", existing)
        assert Path(existing).read_bytes() == b"somebody's file"


# -- SQL metacharacters in a valid write are data ---------------------------------


def test_sql_metacharacters_in_every_text_field_are_stored_literally(cli: Any) -> None:
    from dbtools import table_rows

    meta = "Robert'); DROP TABLE cases; -- \" % _ \\ /* */ ;"
    cli("dept", "add", f"部{meta}")
    cli("staff", "add", f"员{meta}", "--dept", f"部{meta}")
    cli("deputy", "add", f"代表{meta}", "--level", "county", "--unit", f"单位{meta}",
        "--phone", f"电话{meta}", "--address", f"地址{meta}", "--delegation", f"团{meta}",
        "--sector", f"界{meta}", "--liaison", f"员{meta}")  # fmt: skip
    cli("deputy", "edit", f"代表{meta}", "--unit", f"新单位{meta}")
    cli("log-contact", "--deputy", f"代表{meta}", "--type", "visit", "--summary", f"纪要{meta}",
        "--staff", f"员{meta}", "--date", "2026-03-01")  # fmt: skip
    cli("add-suggestion", "--deputy", f"代表{meta}", "--title", f"题{meta}", "--content",
        f"正文{meta}", "--number", f"号{meta}", "--received", "2026-03-01")  # fmt: skip
    ref = f"号{meta}"
    cli("assign", ref, "--dept", f"部{meta}", "--handler", f"员{meta}", "--date", "2026-03-02")
    cli("remind", ref, "--note", f"催{meta}", "--date", "2026-03-03")
    cli("extend", ref, "--due", "2026-12-31", "--reason", f"因{meta}", "--date", "2026-03-04")
    cli("reply", ref, "--method", "written", "--summary", f"复{meta}", "--date", "2026-03-05")
    cli("close", ref, "--satisfaction", "dissatisfied", "--date", "2026-03-06")
    cli("reopen", ref, "--reason", f"再{meta}", "--date", "2026-03-07")

    # every table is still there and holds the text exactly as typed
    assert [r["name"] for r in table_rows(cli.db_url, "departments")] == [f"部{meta}"]
    assert [r["name"] for r in table_rows(cli.db_url, "staff")] == [f"员{meta}"]
    (dep,) = table_rows(cli.db_url, "deputies")
    assert {k: dep[k] for k in ("name", "unit", "phone", "address", "delegation", "sector")} == {
        "name": f"代表{meta}", "unit": f"新单位{meta}", "phone": f"电话{meta}",
        "address": f"地址{meta}", "delegation": f"团{meta}", "sector": f"界{meta}",
    }  # fmt: skip
    (case,) = table_rows(cli.db_url, "cases")
    assert (case["number"], case["title"], case["content"]) == (ref, f"题{meta}", f"正文{meta}")
    assert [r["summary"] for r in table_rows(cli.db_url, "contacts")] == [f"纪要{meta}"]
    assert [r["reason"] for r in table_rows(cli.db_url, "extensions")] == [f"因{meta}"]
    rounds = table_rows(cli.db_url, "case_rounds")
    assert [r["reply_summary"] for r in rounds] == [f"复{meta}", None]
    details = " ".join(r["details"] or "" for r in table_rows(cli.db_url, "events"))
    for typed in (f"催{meta}", f"再{meta}"):
        assert json.dumps(typed, ensure_ascii=False)[1:-1] in details

    # and it reads back the same through the CLI, searched and shown
    shown = json.loads(cli("cases", "--deputy", f"代表{meta}", fmt="json").stdout)
    assert [(r["number"], r["title"], r["status"]) for r in shown] == [
        (ref, f"题{meta}", "assigned")
    ]
    found = json.loads(cli("deputy", "list", "--search", meta, fmt="json").stdout)
    assert [r["name"] for r in found] == [f"代表{meta}"]
    assert json.loads(cli("deputy", "list", "--search", "%", fmt="json").stdout) == found
    assert cli("db", "check").exit_code == 0
