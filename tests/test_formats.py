"""Every ``--format`` of a listing, with Chinese text that must line up.

CJK characters take two terminal cells; a table lines up when each value
starts at the same *display* column as its header, which is measured here
with wcwidth, not with ``len``.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner
from wcwidth import wcswidth

from liaison_cli.cli.app import app

KEYS = [
    "id",
    "name",
    "body",
    "level",
    "term",
    "delegation",
    "unit",
    "sector",
    "phone",
    "address",
    "liaison",
]


def office(cli) -> None:  # type: ignore[no-untyped-def]
    cli("dept", "add", "第一检察部")
    cli("staff", "add", "王芳", "--dept", "第一检察部")
    cli(
        "deputy",
        "add",
        "欧阳建国",
        "--level",
        "省",
        "--term",
        "14",
        "--unit",
        "浙江省交通运输厅",
        "--phone",
        "13800000000",
        "--liaison",
        "王芳",
    )
    cli("deputy", "add", "Li Na", "--level", "county", "--body", "cppcc", "--unit", "Hangzhou No.2")
    cli(
        "deputy",
        "add",
        "张伟",
        "--level",
        "市",
        "--sector",
        "经济界",
        "--address",
        '杭州市, "西湖"区',
    )


# expected cells: (id, name, level label, unit) per deputy, as a person reads them
ROWS = [
    ("1", "欧阳建国", "provincial", "浙江省交通运输厅"),
    ("2", "Li Na", "county", "Hangzhou No.2"),
    ("3", "张伟", "municipal", ""),
]


def col_of(line: str, text: str) -> int:
    """The display column at which ``text`` starts in ``line``."""
    i = line.index(text)
    return wcswidth(line[:i])


def end_col_of(line: str, text: str) -> int:
    i = line.index(text)
    return wcswidth(line[: i + len(text)])


def check_aligned(header: str, rows: list[str]) -> None:
    """Left-aligned text columns start where their header starts; ids end together."""
    for label, idx in (("name", 1), ("level", 2), ("unit", 3)):
        at = col_of(header, label)
        for line, expected in zip(rows, ROWS, strict=True):
            if expected[idx]:
                assert col_of(line, expected[idx]) == at, (label, line)


def test_table_is_rich_and_lines_up_cjk(cli) -> None:  # type: ignore[no-untyped-def]
    office(cli)
    out = cli("deputy", "list", fmt="table")
    lines = [line.rstrip() for line in out.stdout.splitlines()]
    assert lines[0] == "Deputies"
    header = next(line for line in lines if line.strip().startswith("id"))
    rule = lines[lines.index(header) + 1]
    assert set(rule.strip()) == {"─"}
    body = lines[lines.index(header) + 2 : lines.index(header) + 5]
    assert [line.split()[0] for line in body] == ["1", "2", "3"]
    check_aligned(header, body)
    # right-justified ids end under the end of their header
    assert {end_col_of(line, line.split()[0]) for line in body} == {end_col_of(header, "id")}
    # every line of the table is padded to the same display width
    raw = out.stdout.splitlines()
    start = raw.index(next(r for r in raw if r.rstrip() == header))
    widths = {wcswidth(r) for r in raw[start : start + 5]}
    assert len(widths) == 1, widths


def test_plain_is_the_default_and_lines_up_cjk(cli) -> None:  # type: ignore[no-untyped-def]
    office(cli)
    out = cli("deputy", "list")
    assert out.stdout == cli("deputy", "list", fmt="plain").stdout
    assert out.stderr == ""
    header, *body = out.stdout.splitlines()
    assert header.split() == KEYS
    assert len(body) == 3
    check_aligned(header, body)
    assert body[1].startswith("2     Li Na     CPPCC member  county")


def test_format_from_the_environment(cli) -> None:  # type: ignore[no-untyped-def]
    office(cli)
    out = cli("deputy", "list", env={"LIAISON_FORMAT": "json"})
    assert [r["id"] for r in json.loads(out.stdout)] == [1, 2, 3]
    # the option wins over the environment
    out = cli("deputy", "list", fmt="csv", env={"LIAISON_FORMAT": "json"})
    assert out.stdout.startswith("id,name,")


def test_csv_is_rfc4180_with_a_header_of_keys(cli) -> None:  # type: ignore[no-untyped-def]
    office(cli)
    runner = CliRunner()
    result = runner.invoke(app, ["--db", cli.db_url, "--format", "csv", "deputy", "list"])
    assert result.exit_code == 0
    assert result.stderr == ""
    raw = result.stdout_bytes.decode("utf-8")
    assert raw.endswith("\r\n")
    assert raw.count("\r\n") == 4 and raw.count("\n") == 4  # CRLF only, no BOM
    assert raw.splitlines()[3] == '3,张伟,npc,municipal,,,,经济界,,"杭州市, ""西湖""区",'
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    assert rows[0] == KEYS
    assert rows[1:] == [
        [
            "1",
            "欧阳建国",
            "npc",
            "provincial",
            "14",
            "",
            "浙江省交通运输厅",
            "",
            "13800000000",
            "",
            "王芳",
        ],
        ["2", "Li Na", "cppcc", "county", "", "", "Hangzhou No.2", "", "", "", ""],
        ["3", "张伟", "npc", "municipal", "", "", "", "经济界", "", '杭州市, "西湖"区', ""],
    ]


def test_json_is_an_array_of_objects_with_stable_keys(cli) -> None:  # type: ignore[no-untyped-def]
    office(cli)
    out = cli("deputy", "list", fmt="json")
    assert out.stderr == ""
    rows = json.loads(out.stdout)
    assert isinstance(rows, list)
    assert [list(r) for r in rows] == [KEYS] * 3
    assert rows[0] == {
        "id": 1,
        "name": "欧阳建国",
        "body": "npc",
        "level": "provincial",
        "term": 14,
        "delegation": None,
        "unit": "浙江省交通运输厅",
        "sector": None,
        "phone": "13800000000",
        "address": None,
        "liaison": "王芳",
    }
    assert rows[2]["address"] == '杭州市, "西湖"区'
    assert "欧阳建国" in out.stdout  # UTF-8, not \\u escapes


def test_markdown(cli) -> None:  # type: ignore[no-untyped-def]
    office(cli)
    out = cli("deputy", "list", fmt="markdown")
    lines = out.stdout.splitlines()
    table = [line for line in lines if line.startswith("|")]
    assert [c.strip() for c in table[0].strip("|").split("|")] == KEYS
    assert set(table[1].replace("|", "").replace(":", "")) == {"-"}
    assert len(table) == 5
    # a title, if any, is its own paragraph before the table
    before = lines[: lines.index(table[0])]
    assert before in ([], ["Deputies", ""])
    # pipes line up in display columns (CJK counted double)
    assert len({tuple(col_of_all(line, "|")) for line in table}) == 1
    assert cli("deputy", "list", fmt="md").stdout == out.stdout


def col_of_all(line: str, ch: str) -> list[int]:
    return [wcswidth(line[:i]) for i, c in enumerate(line) if c == ch]


def test_grid_lines_up_cjk(cli) -> None:  # type: ignore[no-untyped-def]
    office(cli)
    out = cli("deputy", "list", fmt="grid")
    table = [line for line in out.stdout.splitlines() if line[:1] in ("+", "|")]
    assert table[0].startswith("+---") and table[-1].startswith("+---")
    borders = col_of_all(table[0], "+")
    assert len(borders) == len(KEYS) + 1
    for line in table:
        marks = col_of_all(line, "+" if line.startswith("+") else "|")
        assert marks == borders, line
    cells = [c.strip() for c in table[3].strip("|").split("|")]
    assert cells[:4] == ["1", "欧阳建国", "NPC deputy", "provincial"]


@pytest.mark.parametrize("fmt", ["tsv", "psql", "rst", "html", "pipe"])
def test_other_tabulate_formats(cli, fmt: str) -> None:  # type: ignore[no-untyped-def]
    office(cli)
    out = cli("deputy", "list", fmt=fmt)
    assert "欧阳建国" in out.stdout and "Li Na" in out.stdout
    if fmt == "tsv":
        # tab-separated data: no title line, a header and one line per row
        lines = out.stdout.splitlines()
        assert [c.strip() for c in lines[0].split("\t")] == KEYS
        assert len(lines) == 4


def test_other_listings_honour_the_format(cli) -> None:  # type: ignore[no-untyped-def]
    office(cli)
    assert json.loads(cli("dept", "list", fmt="json").stdout) == [
        {"id": 1, "name": "第一检察部", "staff": 1}
    ]
    assert cli("staff", "list", fmt="csv").stdout == "id,name,department\n1,王芳,第一检察部\n"
    grid = cli("staff", "list", fmt="grid").stdout
    assert "| 1    | 王芳   | 第一检察部   |" in grid


def test_empty_listings(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("deputy", "list", fmt="json").stdout == "[]\n"
    assert cli("deputy", "list", fmt="csv").stdout == ",".join(KEYS) + "\n"
    assert cli("deputy", "list").stdout.split() == KEYS


@pytest.mark.parametrize("fmt", ["yaml", "xlsx", ""])
def test_unknown_format_is_a_usage_error(cli, fmt: str) -> None:  # type: ignore[no-untyped-def]
    out = cli("--format", fmt or " ", "deputy", "list", ok=False)
    if fmt:
        assert out.exit_code == 2
        assert f"Invalid value for --format: '{fmt}' is not one of: table, plain, csv" in out.stderr
        assert "Traceback" not in out.stderr
    else:
        # a blank value means "not given": the default for the output stream
        assert out.exit_code == 0
    assert out.stdout.split() == ([] if fmt else KEYS)


def test_format_names_are_case_insensitive(cli) -> None:  # type: ignore[no-untyped-def]
    cli("deputy", "add", "张伟", "--level", "省")
    assert json.loads(cli("deputy", "list", fmt="JSON").stdout)[0]["name"] == "张伟"


def test_table_is_the_default_on_a_terminal(cli) -> None:  # type: ignore[no-untyped-def]
    """A real process whose stdout is a pseudo-terminal gets the rich table."""
    import os
    import pty
    import subprocess
    import sys

    office(cli)
    leader, follower = pty.openpty()
    env = dict(os.environ, COLUMNS="160", LIAISON_LANG="en")
    env.pop("LIAISON_FORMAT", None)
    proc = subprocess.run(
        [sys.executable, "-m", "liaison_cli", "--db", cli.db_url, "deputy", "list"],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
        timeout=60,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal is closed once everything is read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.returncode == 0, proc.stderr
    shown = b"".join(chunks).decode("utf-8")
    assert "─" in shown  # rich's rule under the header
    assert "欧阳建国" in shown and "Deputies" in shown
