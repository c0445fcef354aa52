"""Reading import files safely: what a workbook or text file really holds.

Spreadsheets as generators and Excel really write them (a stale
``<dimension>``, several sheets, merged cells, formulas without a saved
value, a password, a zip bomb), text files in the wrong encoding, ragged
CSV rows, hostile JSON: each is read right or refused with one line, and a
refusal leaves the database as it was.
"""

from __future__ import annotations

import re
import time
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from helpers import as_json
from test_import import counts, registry, write_csv, write_xlsx

SHEET = "xl/worksheets/sheet1.xml"


def edit_part(book: Path, part: str, edit: Callable[[str], str]) -> Path:
    """Rewrite one XML part of an XLSX, as another generator would have written it."""
    with zipfile.ZipFile(book) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            if name == part:
                changed = edit(data.decode())
                assert changed != data.decode(), f"{part} unchanged"
                data = changed.encode()
            z.writestr(name, data)
    return book


def five_rows() -> list[list[object]]:
    return [
        ["标题", "代表", "收到日期"],
        *[[f"建议{i}", "王强", datetime(2026, 9, i)] for i in range(1, 6)],
    ]


def titles(cli) -> list[str]:
    return [r["title"] for r in as_json(cli("cases", fmt="json"))]


def refused(cli, *args: str) -> str:
    """The one error line of a refused import; the database is unchanged."""
    before = counts(cli.db_url)
    out = cli("import", *args, ok=False)
    assert out.exit_code == 1, out.stderr
    assert out.stderr.count("\n") == 1 and out.stderr.startswith("error: "), out.stderr
    assert counts(cli.db_url) == before
    return out.stderr.removeprefix("error: ").removesuffix("\n")


# -- 1. every row the sheet holds -------------------------------------------------------------


def test_a_stale_dimension_does_not_cut_the_sheet(cli, tmp_path):
    registry(cli)
    book = edit_part(
        write_xlsx(tmp_path / "l.xlsx", five_rows()),
        SHEET,
        lambda xml: xml.replace('<dimension ref="A1:C6"', '<dimension ref="A1:C2"'),
    )
    out = cli("import", "cases", str(book))
    assert out.stdout == f"imported 5 cases from {book}\n"
    assert titles(cli) == [f"建议{i}" for i in range(1, 6)]


def test_formatted_empty_rows_below_the_data_cost_nothing(cli, tmp_path):
    """A sheet formatted down to row 1048576: the rows are in the XML, empty."""
    registry(cli)
    empty = "".join(
        f'<row r="{r}" spans="1:15" ht="15" customHeight="1"><c r="A{r}" s="1"/></row>'
        for r in range(7, 600_007)
    )
    book = edit_part(
        write_xlsx(tmp_path / "l.xlsx", five_rows()),
        SHEET,
        lambda xml: xml.replace('<dimension ref="A1:C6"', '<dimension ref="A1:O1048576"').replace(
            "</sheetData>", empty + "</sheetData>"
        ),
    )
    start = time.process_time()
    out = cli("import", "cases", str(book))
    assert time.process_time() - start < 4  # parsing them all took 7 s, 400 MB
    assert out.stdout == f"imported 5 cases from {book}\n"


# -- 2. which sheet -----------------------------------------------------------------------------


def workbook(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    this = wb.active
    this.title = "2026年"
    for r in five_rows()[:3]:
        this.append(r)
    last = wb.create_sheet("2025年")
    last.append(["标题", "代表", "收到日期"])
    last.append(["去年的建议", "王强", datetime(2025, 3, 1)])
    wb.create_sheet("说明")  # empty
    codes = wb.create_sheet("代码表")  # the lists of a template, hidden
    codes.append(["建议", "提案"])
    codes.sheet_state = "hidden"
    wb.save(path)
    return path


def test_several_sheets_with_data_need_sheet(cli, tmp_path):
    registry(cli)
    book = workbook(tmp_path / "台账.xlsx")
    assert refused(cli, "cases", str(book)) == (
        f"{book} has 2 sheets with data (2026年, 2025年): choose one with --sheet NAME"
    )
    assert refused(cli, "cases", str(book), "--sheet", "2024年") == (
        f"{book} has no sheet '2024年'; its sheets: 2026年, 2025年, 说明, 代码表"
    )
    out = cli("import", "cases", str(book), "--sheet", "2025年")
    assert out.stdout == f"imported 1 cases from {book}\n"
    assert titles(cli) == ["去年的建议"]
    cli("import", "cases", str(book), "--sheet", "2026年")
    assert titles(cli) == ["去年的建议", "建议1", "建议2"]
    ledger = write_csv(tmp_path / "l.csv", [["标题", "代表", "收到日期"]])
    assert refused(cli, "cases", str(ledger), "--sheet", "2026年") == (
        "--sheet is for an .xlsx workbook, not l.csv"
    )


# -- 3. merged cells ---------------------------------------------------------------------------


def test_a_merged_cell_fills_every_row_it_covers(cli, tmp_path):
    from openpyxl import Workbook

    registry(cli)
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年代表建议台账"])
    ws.merge_cells("A1:D1")  # the title over the header
    ws.append(["标题", "代表", "收到日期", "承办部门"])
    ws.append(["一", "王强", datetime(2026, 9, 1), "第一检察部"])
    ws.append(["二", "陈静", datetime(2026, 9, 2)])
    ws.append(["三", "李娜", datetime(2026, 9, 3)])
    ws.append(["四", "张伟", datetime(2026, 9, 4), "第八检察部"])
    ws.merge_cells("D3:D5")
    book = tmp_path / "merged.xlsx"
    wb.save(book)
    cli("import", "cases", str(book))
    rows = as_json(cli("cases", fmt="json"))
    assert [(r["title"], r["department"]) for r in rows] == [
        ("一", "第一检察部"),
        ("二", "第一检察部"),
        ("三", "第一检察部"),
        ("四", "第八检察部"),
    ]


# -- 4. formulas -----------------------------------------------------------------------------


def formula_book(path: Path) -> Path:
    """A department given by a formula, as openpyxl (which calculates nothing) saves it."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["标题", "代表", "收到日期", "承办部门"])
    ws.append(["一", "王强", datetime(2026, 9, 1), "第一检察部"])
    ws.append(["二", "陈静", datetime(2026, 9, 2), "第一检察部"])
    ws.append(["三", "李娜", datetime(2026, 9, 3), '="第八"&"检察部"'])
    wb.save(path)
    return path


def test_a_formula_without_a_saved_value_is_refused(cli, tmp_path):
    registry(cli)
    message = "cell D4 holds a formula with no saved value; open and save the file in Excel first"
    book = formula_book(tmp_path / "f.xlsx")
    assert "<v />" in zipfile.ZipFile(book).read(SHEET).decode()  # an empty value
    assert refused(cli, "cases", str(book)) == message
    # no <v> at all
    edit_part(book, SHEET, lambda xml: xml.replace("<v />", ""))
    assert refused(cli, "cases", str(book)) == message


def test_a_formula_with_its_saved_value_imports_the_value(cli, tmp_path):
    registry(cli)
    book = edit_part(
        formula_book(tmp_path / "f.xlsx"),
        SHEET,
        lambda xml: xml.replace('<c r="D4">', '<c r="D4" t="str">').replace(
            "<v />", "<v>第八检察部</v>"
        ),
    )
    cli("import", "cases", str(book))
    rows = as_json(cli("cases", fmt="json"))
    assert [r["department"] for r in rows] == ["第一检察部", "第一检察部", "第八检察部"]


# -- 5. encodings -----------------------------------------------------------------------------

ENCODING_REFUSED = (
    "cannot tell the file's encoding: it is not UTF-8 (bad byte {pos}) and does not read as "
    "GB18030 Chinese text; give it with --encoding (for example --encoding big5)"
)


@pytest.mark.parametrize(
    ("encoding", "title", "deputy", "pos"),
    [
        ("big5", "關於加強公益訴訟的建議", "陳靜", 24),
        ("shift_jis", "東京の交通について", "山田太郎", 24),
    ],
)
def test_big5_and_shift_jis_are_not_taken_for_gb18030(cli, tmp_path, encoding, title, deputy, pos):
    text = f"title,deputies,received\n{title},{deputy},2026-09-01\n"
    path = tmp_path / "l.csv"
    path.write_bytes(text.encode(encoding))
    create = ("--create-deputies", "--level", "市")
    assert refused(cli, "cases", str(path), *create) == ENCODING_REFUSED.format(pos=pos)
    cli("import", "cases", str(path), *create, "--encoding", encoding)
    [case] = as_json(cli("cases", fmt="json"))
    assert (case["title"], case["deputies"]) == (title, deputy)


def test_damaged_utf8_is_not_taken_for_gb18030(cli, tmp_path):
    path = tmp_path / "l.csv"
    # "关于/公开建议" with the slash as an overlong two-byte sequence
    path.write_bytes(
        "title,deputies,received\n关于".encode()
        + b"\xc0\xaf"
        + "公开建议,陈静,2026-09-01\n".encode()
    )
    assert refused(
        cli, "cases", str(path), "--create-deputies", "--level", "市"
    ) == ENCODING_REFUSED.format(pos=30)


def test_gb18030_from_chinese_windows_still_reads(cli, tmp_path):
    registry(cli)
    path = tmp_path / "l.csv"
    path.write_bytes("标题,代表,收到日期\n关于检务公开的建议,陈静,2026-09-01\n".encode("gb18030"))
    cli("import", "cases", str(path))
    assert titles(cli) == ["关于检务公开的建议"]


def test_encoding_option_errors(cli, tmp_path):
    path = tmp_path / "l.csv"
    path.write_bytes("标题,代表,收到日期\n".encode())
    assert refused(cli, "cases", str(path), "--encoding", "klingon") == (
        "unknown encoding 'klingon' (for example utf-8, gb18030, big5, shift_jis)"
    )
    path.write_bytes(b"\xff\xfe\xfd")
    assert refused(cli, "cases", str(path), "--encoding", "utf-8") == (
        "cannot read the file as utf-8 text (byte 0)"
    )
    book = write_xlsx(tmp_path / "l.xlsx", five_rows())
    assert refused(cli, "cases", str(book), "--encoding", "big5") == (
        "--encoding is for a .csv or .json file, not l.xlsx"
    )


# -- 6. zip bombs -----------------------------------------------------------------------------


def test_a_workbook_unpacking_beyond_the_cap_is_refused(cli, tmp_path):
    book = write_xlsx(tmp_path / "big.xlsx", five_rows())
    with zipfile.ZipFile(book, "a") as z, z.open("xl/media/image1.bin", "w") as f:
        for _ in range(201):  # stored: no ratio to speak of, only its size
            f.write(b"\0" * (1 << 20))
    assert refused(cli, "cases", str(book)) == (
        f"{book} would unpack to 201 MiB, more than an import reads (200 MiB): split the workbook"
    )


def test_shared_strings_inflating_a_hundredfold_are_refused(cli, tmp_path):
    registry(cli)
    book = write_xlsx(tmp_path / "bomb.xlsx", five_rows())
    with zipfile.ZipFile(book) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            if name == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                    b"</Types>",
                )
            z.writestr(name, data)
        with z.open("xl/sharedStrings.xml", "w") as f:
            f.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for _ in range(20):
                f.write(b"<si><t>a</t></si>" * (1 << 16))
            f.write(b"</sst>")
    message = refused(cli, "cases", str(book))
    assert re.fullmatch(
        rf"{re.escape(str(book))} is not a plausible workbook: its part "
        r"xl/sharedStrings.xml unpacks to \d+ times its size",
        message,
    ), message


# -- 7. the right words -----------------------------------------------------------------------


def test_a_header_below_blank_lines_and_no_header_at_all(cli, tmp_path):
    registry(cli)
    path = tmp_path / "l.csv"
    path.write_text("\n" * 11 + "标题,代表,收到日期\n关于检务公开的建议,陈静,2026-09-01\n")
    out = cli("import", "cases", str(path))
    assert out.stdout == f"imported 1 cases from {path}\n"
    path.write_text("填表说明：每行一件\n" * 60 + "标题,代表,收到日期\n")
    assert refused(cli, "cases", str(path)) == (
        "no header row in the first 50 lines: expected a row naming the columns "
        "标题 (title), 代表 (deputies), 收到日期 (received)"
    )
    path.write_text("\n" * 60)
    assert refused(cli, "cases", str(path)) == (
        "no header row in the first 50 lines: expected a row naming the columns "
        "标题 (title), 代表 (deputies), 收到日期 (received)"
    )
    path.write_text("\n\n")
    assert refused(cli, "cases", str(path)) == "the file is empty: no header row"


def ole2(*streams: str) -> bytes:
    """An OLE2 compound file's header and a directory naming ``streams``,
    the layout of Office's password-protected workbook (EncryptionInfo and
    EncryptedPackage streams) and of an old .xls (Workbook)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + b"\x3e\x00\x03\x00\xfe\xff"
    header = header.ljust(512, b"\0")
    directory = b""
    for name in ("Root Entry", *streams):
        encoded = (name + "\0").encode("utf-16-le")
        entry = encoded.ljust(64, b"\0") + len(encoded).to_bytes(2, "little") + b"\x02"
        directory += entry.ljust(128, b"\0")
    return header + directory.ljust(4096, b"\0")


def test_a_password_protected_or_old_workbook_is_named(cli, tmp_path):
    book = tmp_path / "加密.xlsx"
    book.write_bytes(ole2("EncryptionInfo", "EncryptedPackage"))
    assert refused(cli, "cases", str(book)) == (
        f"{book} is encrypted (password-protected): save it in Excel without a password "
        "and import that copy"
    )
    book.write_bytes(ole2("Workbook"))
    assert refused(cli, "cases", str(book)) == (
        f"{book} is an Excel 97-2003 (.xls) workbook: save it as .xlsx first"
    )
    book.write_bytes(b"PK but not really")
    assert refused(cli, "cases", str(book)) == (
        f"cannot read {book} as an XLSX workbook: it is not a zip archive"
    )


def test_a_hundred_thousand_unknown_columns_are_not_all_listed(cli, tmp_path):
    registry(cli)
    extra = [f"x{i}" for i in range(100_000)]
    ledger = write_csv(
        tmp_path / "wide.csv",
        [["标题", "代表", "收到日期", *extra], ["一", "王强", "2026-09-01"]],
    )
    out = cli("import", "cases", str(ledger))
    assert out.stdout == (
        f"imported 1 cases from {ledger}; ignored columns: "
        "x0, x1, x2, x3, x4, x5, x6, x7, x8, x9 and 99990 more\n"
    )


# -- 8. ragged CSV rows -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "text", "message"),
    [
        (
            "cases",
            "编号,类型,标题,代表,收到日期\n,建议,关于A,李红梅\n",
            "line 2, column 收到日期: ",
        ),
        ("cases", "标题,代表,收到日期,承办部门\n关于A,王强,2026-09-01\n", None),
        ("deputies", "姓名,级别,工作单位\n宋雅琴,市\n", None),
        ("contacts", "日期,类型,代表,联络人,内容\n2026-11-19,走访,王强\n", None),
    ],
)
def test_a_row_shorter_than_its_header_has_empty_cells(cli, tmp_path, table, text, message):
    registry(cli)
    path = tmp_path / "short.csv"
    path.write_text(text)
    if message is None:
        out = cli("import", table, str(path))
        assert out.stdout == f"imported 1 {table} from {path}\n"
    else:
        out = cli("import", table, str(path), "--dry-run", ok=False)
        assert (out.exit_code, out.stderr[: 7 + len(message)]) == (1, "error: " + message)


def test_a_row_longer_than_its_header_is_refused(cli, tmp_path):
    registry(cli)
    path = tmp_path / "long.csv"
    # a trailing empty cell is no cell; a comma inside an unquoted title shifts the row
    path.write_text("标题,代表,收到日期,\n一,王强,2026-09-01,\n关于A,B,王强,2026-09-01,\n")
    assert refused(cli, "cases", str(path)) == (
        "line 3: the row has 4 cells but the header (line 1) has 3"
    )


# -- 9. hostile JSON --------------------------------------------------------------------------


def test_deep_or_huge_json_is_a_user_error(cli, tmp_path):
    path = tmp_path / "l.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    assert refused(cli, "cases", str(path)) == "not valid JSON for an import: nested too deeply"
    path.write_text('[{"title": ' + "1" * 5000 + "}]")
    assert refused(cli, "cases", str(path)) == (
        "not valid JSON for an import: a number with too many digits"
    )
    path.write_text('[{"title": "一", "deputies": [["王强"]], "received": "2026-09-01"}]')
    assert refused(cli, "cases", str(path)) == (
        "line 2, column deputies: a value must be text, a number or a list of these"
    )
