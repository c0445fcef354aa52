"""The Chinese interface: the catalog is complete, and Chinese comes out of the CLI.

The language is chosen each time a command runs, so Chinese and English
commands run in one process, through ``cli`` (``env=ZH`` for Chinese). The
catalog checks extract the marked strings with Babel's Python API and compare
them with ``liaison_cli/locale/zh/LC_MESSAGES/liaison.po``.
"""

from __future__ import annotations

import ast
import json
import re
import string
from collections import Counter
from pathlib import Path

import pytest
from helpers import setup_office

from liaison_cli import i18n

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "liaison_cli"
PO = PACKAGE / "locale" / "zh" / "LC_MESSAGES" / "liaison.po"
MO = PO.with_suffix(".mo")
# the same keywords as scripts/i18n.sh: _ and N_, and C_/NC_ with a context first
KEYWORDS = {"_": None, "N_": None, "C_": ((1, "c"), 2), "NC_": ((1, "c"), 2)}
MARKERS = set(KEYWORDS)
HINT = (
    f"run `bash scripts/i18n.sh`, translate the new entries in {PO.relative_to(ROOT)}, run it again"
)

ZH = {"LIAISON_LANG": "zh"}
CJK = re.compile(r"[\u4e00-\u9fff]")


# -- the catalog -------------------------------------------------------------


def _marked_strings() -> dict[tuple[str | None, str], str]:
    """(context, msgid) -> first file, for every string marked in the package."""
    from babel.messages.extract import extract_from_dir

    found: dict[tuple[str | None, str], str] = {}
    for filename, _lineno, message, _comments, context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        msgid = message if isinstance(message, str) else message[0]
        found.setdefault((context, msgid), filename)
    return found


def _po():
    from babel.messages.pofile import read_po

    with PO.open("rb") as f:
        return read_po(f)


def test_every_marked_string_is_translated():
    marked = _marked_strings()
    assert len(marked) > 300  # the extraction really ran over the package
    catalog = _po()
    missing = []
    for (context, msgid), filename in sorted(marked.items(), key=lambda kv: str(kv[0])):
        entry = catalog.get(msgid, context=context)
        if entry is None or not entry.string or entry.fuzzy:
            missing.append(f"{filename}: {msgid!r}")
    assert not missing, f"untranslated ({HINT}):\n" + "\n".join(missing)


def test_compiled_catalog_is_up_to_date():
    from babel.messages.mofile import read_mo

    with MO.open("rb") as f:
        # (Babel's read_mo gives a context as bytes)
        compiled = {
            (m.context.decode() if isinstance(m.context, bytes) else m.context, m.id): m.string
            for m in read_mo(f)
            if m.id
        }
    source = {(m.context, m.id): m.string for m in _po() if m.id and m.string and not m.fuzzy}
    assert compiled == source, "liaison.mo is stale: run `bash scripts/i18n.sh compile`"


def _fields(text: str) -> Counter:
    return Counter(
        (name, conv, spec)
        for _lit, name, spec, conv in string.Formatter().parse(text)
        if name is not None
    )


def _positional(text: str) -> list[tuple[str, str | None, str]]:
    return [
        (name, conv, spec)
        for _lit, name, spec, conv in string.Formatter().parse(text)
        if name is not None
    ]


def test_translations_keep_their_placeholders():
    bad = []
    for m in _po():
        if not m.id or not m.string:
            continue
        if _fields(m.id) != _fields(m.string):
            bad.append(f"{m.id!r} -> {m.string!r}")
        # bare {} fill in order: the translation must keep their order
        elif ("", None, "") in _fields(m.id) and _positional(m.id) != _positional(m.string):
            bad.append(f"{m.id!r} -> {m.string!r} (order of the {{}})")
    assert not bad, "placeholders differ:\n" + "\n".join(bad)


class _AnyValue:
    """A value any format spec accepts (``{ratio:.0f}`` as well as ``{name}``)."""

    def __format__(self, spec: str) -> str:
        return "x"


def test_every_translation_formats():
    """A msgstr must survive ``.format`` with its msgid's fields (no stray braces)."""
    x = _AnyValue()
    for m in _po():
        if m.id and m.string and _fields(m.id):
            fields = _positional(m.id)
            values = {name: x for name, _c, _s in fields if name}
            m.string.format(*[x] * sum(1 for f in fields if not f[0]), **values)


def _python_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_marked_string_is_invisible_to_extraction():
    """``_()`` inside an f-string, or ``_()`` of an f-string, is never extracted."""
    problems = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Call) and getattr(inner.func, "id", None) in MARKERS:
                        problems.append(f"{path.name}:{inner.lineno}: marker inside an f-string")
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) in MARKERS
                and node.args
                and isinstance(node.args[-1], ast.JoinedStr)
            ):
                problems.append(f"{path.name}:{node.lineno}: f-string passed to a marker")
    assert not problems, "\n".join(problems)


# calls whose text arguments a person reads: a literal with words there is English only
_READ_BY_PEOPLE = {
    "echo",
    "fail",
    "emit_result",
    "LiaisonError",
    "NotFound",
    "Ambiguous",
    "InvalidValue",
    "IllegalTransition",
    "ImportFileError",
    "DatabaseError",
    "BadParameter",
}
_WORDS = re.compile(r"[A-Za-z]{2,}[ ,.:;]+[A-Za-z]{2,}")


def _literal_text(node: ast.AST) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " ".join(_literal_text(v) for v in node.values)
    return ""


def test_no_unmarked_english_for_people():
    """Messages, errors, titles and headers pass through ``_()``, not as bare literals."""
    problems = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            texts: list[ast.AST] = []
            if name in _READ_BY_PEOPLE:
                texts = list(node.args)
            elif name == "Column" and len(node.args) >= 2:
                texts = [node.args[1]]
            texts += [kw.value for kw in node.keywords if kw.arg in ("title", "help", "message")]
            for arg in texts:
                if _WORDS.search(_literal_text(arg)):
                    problems.append(f"{path.name}:{node.lineno}: {_literal_text(arg)[:60]!r}")
    assert not problems, "wrap these in _():\n" + "\n".join(problems)


# -- choosing the language -----------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "env", "lang"),
    [
        ([], {}, "en"),
        ([], {"LANG": "zh_CN.UTF-8"}, "zh"),
        ([], {"LANG": "zh_TW.UTF-8"}, "zh"),
        ([], {"LANG": "en_US.UTF-8"}, "en"),
        ([], {"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ([], {"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ([], {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),
        ([], {"LIAISON_LANG": "zh", "LANG": "C"}, "zh"),
        ([], {"LIAISON_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
        ([], {"LIAISON_LANG": "", "LANG": "zh_CN.UTF-8"}, "zh"),
        (["--lang", "zh", "cases"], {"LIAISON_LANG": "en"}, "zh"),
        (["--lang=en", "cases"], {"LIAISON_LANG": "zh"}, "en"),
        (["--lang", "中文"], {}, "zh"),
        (["cases", "--", "--lang", "zh"], {}, "en"),
    ],
)
def test_language_detection(argv, env, lang):
    assert i18n.detect(argv, env) == lang


def _seed(cli) -> None:
    """Deputies, departments, two cases and a contact, entered in English."""
    setup_office(cli)
    cli(
        "deputy",
        "add",
        "赵敏",
        "--level",
        "provincial",
        "--term",
        "14",
        "--delegation",
        "杭州代表团",
    )
    cli(
        "add-suggestion",
        "--deputy",
        "陈静",
        "--title",
        "关于加强公益诉讼的建议",
        "--received",
        "2026-03-31",
    )
    cli("assign", "2026-0001", "--dept", "第一检察部", "--handler", "王芳", "--date", "2026-03-31")
    cli(
        "add-suggestion",
        "--deputy",
        "李娜",
        "--title",
        "来信反映执行难",
        "--kind",
        "letter",
        "--received",
        "2026-10-01",
    )
    cli(
        "log-contact",
        "--deputy",
        "陈静",
        "--deputy",
        "李娜",
        "--type",
        "symposium",
        "--date",
        "2026-05-01",
    )


def _cells(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def test_root_help_in_chinese_from_liaison_lang(cli):
    out = cli("--help", env={**ZH, "COLUMNS": "80"}, ok=False)
    assert out.exit_code == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "用法：liaison [OPTIONS] COMMAND [ARGS]..."
    assert "代表联络工作台账" in out.stdout
    # a Chinese heading ends with a full-width colon, as 用法： does
    assert "选项：" in lines and "命令：" in lines
    assert any(ln.split() == ["-h,", "--help", "显示本帮助后退出。"] for ln in lines)
    assert any(
        ln.split()[:2] == ["assign", "将事项交办给承办部门，开始计算办理期限。"] for ln in lines
    )
    assert "Show this message" not in out.stdout and "Usage" not in out.stdout
    # Chinese help wraps by display width: no line wider than the terminal
    from wcwidth import wcswidth

    assert max(wcswidth(ln) for ln in lines) <= 80


def test_help_follows_lang_locale(cli):
    env = {"LIAISON_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8"}
    out = cli("deputy", "add", "--help", env=env, ok=False)
    assert out.exit_code == 0, out.stderr
    assert out.stdout.startswith(
        "用法：liaison deputy add [OPTIONS] NAME\n\n  登记一名人大代表或政协委员。"
    )
    assert "  NAME  姓名。  [必填]" in out.stdout
    assert "[默认：npc]" in out.stdout


def test_help_follows_lang_option(cli):
    out = cli("--lang", "zh", "reply", "--help", env={"LANG": "C"}, ok=False)
    assert out.exit_code == 0, out.stderr
    assert "记录对代表的答复；加 --procedural 记录程序性答复。" in out.stdout
    assert "答复方式：书面、当面或电话（written/in-person/phone）。" in out.stdout


def test_lang_en_overrides_a_chinese_locale(cli):
    env = {**ZH, "LANG": "zh_CN.UTF-8"}
    out = cli("--lang", "en", "deputy", "--help", env=env, ok=False)
    assert out.exit_code == 0, out.stderr
    assert out.stdout.startswith("Usage: liaison deputy [OPTIONS] COMMAND [ARGS]...")
    assert "Options:" in out.stdout and "Show this message and exit." in out.stdout
    # English help may quote a Chinese term in brackets, nothing more
    assert not CJK.search(re.sub(r"\([^)]*\)", "", out.stdout))


def test_every_help_text_is_chinese() -> None:
    """Walk the whole command tree: every help text has a Chinese translation."""
    import typer.main

    from liaison_cli.cli.app import app

    def walk(cmd, path):  # type: ignore[no-untyped-def]
        yield path, cmd.help or ""
        for p in cmd.params:
            if p.hidden or p.name in ("install_completion", "show_completion"):
                continue
            yield path + " " + (p.opts[0] if p.opts else p.name), p.help or ""
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, path + " " + name)

    helps = list(walk(typer.main.get_command(app), "liaison"))
    assert len(helps) > 100
    i18n.set_language("zh")
    try:
        english = [f"{where}: {text!r}" for where, text in helps if not CJK.search(i18n._(text))]
    finally:
        i18n.set_language("en")
    assert not english, "help texts without Chinese:\n" + "\n".join(english)


# -- Chinese tables, messages and errors -----------------------------------------


def test_deputy_list_headers_and_labels(cli):
    _seed(cli)
    out = cli("deputy", "list", "--level", "省", env=ZH, ok=False)
    assert out.exit_code == 0, out.stderr
    lines = out.stdout.splitlines()
    assert _cells(lines[0]) == (
        "ID 姓名 身份 级别 届次 代表团 工作单位 界别 电话 地址 联络人".split()
    )
    assert [_cells(ln)[:5] for ln in lines[1:]] == [
        ["1", "张伟", "人大代表", "省级", "省交通厅"],
        ["5", "赵敏", "人大代表", "省级", "14"],
    ]


def test_rich_table_title_headers_and_cjk_alignment(cli):
    _seed(cli)
    out = cli("--format", "table", "cases", env=ZH, ok=False)
    assert out.exit_code == 0, out.stderr
    lines = [ln for ln in out.stdout.splitlines() if ln.strip()]
    assert lines[0].strip() == "办理事项"
    header = lines[1]
    assert _cells(header) == [
        "编号",
        "类型",
        "标题",
        "代表",
        "状态",
        "收到日期",
        "承办部门",
        "办理期限",
    ]
    from wcwidth import wcswidth

    def starts(line: str) -> list[int]:
        """Display columns where each cell begins."""
        cols, pos, prev = [], 0, " "
        for ch in line:
            if ch != " " and prev == " " and (not cols or pos - cols[-1] > 1):
                cols.append(pos)
            pos += wcswidth(ch)
            prev = ch
        return cols

    rows = [ln for ln in lines[3:] if ln.strip()]
    assert _cells(rows[0])[:5] == ["2026-0001", "建议", "关于加强公益诉讼的建议", "陈静", "已交办"]
    assert _cells(rows[1])[:5] == ["2026-0002", "代表来信", "来信反映执行难", "李娜", "已登记"]
    # the cells of the full row line up with the headers in display columns
    assert starts(rows[0]) == starts(header)


def test_cases_plain_headers(cli):
    _seed(cli)
    out = cli("cases", "--kind", "建议", env=ZH, ok=False)
    assert out.exit_code == 0, out.stderr
    lines = out.stdout.splitlines()
    assert _cells(lines[0]) == [
        "编号",
        "类型",
        "标题",
        "代表",
        "状态",
        "收到日期",
        "承办部门",
        "办理期限",
    ]
    assert _cells(lines[1]) == (
        "2026-0001 建议 关于加强公益诉讼的建议 陈静 已交办 2026-03-31 第一检察部 2026-06-30".split()
    )
    assert len(lines) == 2


def test_json_and_csv_stay_english(cli):
    _seed(cli)
    out = cli("--format", "json", "deputy", "list", "--level", "省", env=ZH, ok=False)
    assert out.exit_code == 0, out.stderr
    rows = json.loads(out.stdout)
    assert list(rows[0])[:5] == ["id", "name", "body", "level", "term"]
    assert (rows[0]["body"], rows[0]["level"]) == ("npc", "provincial")
    out = cli("--format", "csv", "cases", env=ZH, ok=False)
    assert out.exit_code == 0, out.stderr
    header = out.stdout.splitlines()[0].split(",")
    assert header[:6] == ["id", "number", "kind", "title", "deputies", "status"]
    assert ",suggestion," in out.stdout and ",assigned," in out.stdout
    assert out.stderr == ""
    # an export is for people (and re-imports either way): Chinese headers in Chinese
    out = cli("export", "deputies", env=ZH, ok=False)
    assert out.exit_code == 0, out.stderr
    assert out.stdout.splitlines()[0].startswith("ID,姓名,")
    assert cli("export", "deputies").stdout.splitlines()[0].startswith("id,name,")


def test_a_case_handled_in_chinese(cli):
    """Chinese option values and Chinese messages, step by step."""
    setup_office(cli)
    run = lambda *a: cli(*a, env=ZH, ok=False)  # noqa: E731
    out = run(
        "add-suggestion",
        "--deputy",
        "陈静",
        "--title",
        "关于检察公益诉讼的建议",
        "--kind",
        "建议",
        "--received",
        "2026-03-31",
    )
    assert (out.exit_code, out.stdout) == (0, "已登记事项 2026-0001\n"), out.stderr
    out = run(
        "assign",
        "2026-0001",
        "--dept",
        "第一检察部",
        "--handler",
        "王芳",
        "--date",
        "2026年3月31日",
    )
    assert (out.exit_code, out.stdout) == (
        0,
        "已将 2026-0001 交办给第一检察部，办理期限 2026-06-30\n",
    )
    out = run("reply", "2026-0001", "--method", "书面", "--result", "A", "--date", "2026-06-30")
    assert out.exit_code == 0, out.stderr
    assert out.stdout.startswith("已记录 2026-0001 的答复")
    out = run("close", "2026-0001", "--satisfaction", "基本满意", "--date", "2026-07-02")
    assert out.exit_code == 0, out.stderr
    assert out.stdout.startswith("2026-0001 已办结")
    out = run("close", "2026-0001", "--date", "2026-07-03")
    assert out.exit_code == 1
    assert out.stderr == "错误：2026-0001 已经办结\n"
    rows = json.loads(cli("show", "2026-0001", fmt="json").stdout)
    case = rows[0].get("case", rows[0])
    assert (case["kind"], case["status"], case["satisfaction"]) == ("suggestion", "closed", "basic")
    assert case.get("reply_method", "written") == "written"


def test_contact_type_in_chinese(cli):
    setup_office(cli)
    out = cli(
        "log-contact",
        "--deputy",
        "陈静",
        "--type",
        "座谈会",
        "--date",
        "2026-05-01",
        env=ZH,
        ok=False,
    )
    assert out.exit_code == 0, out.stderr
    assert out.stdout.startswith("已登记联络 1：2026-05-01 座谈会")
    rows = json.loads(cli("contacts", fmt="json").stdout)
    assert [r["type"] for r in rows] == ["symposium"]


def test_show_case_in_chinese(cli):
    _seed(cli)
    out = cli("show", "2026-0001", env=ZH, ok=False)
    assert out.exit_code == 0, out.stderr
    labels = [ln.split()[0] for ln in out.stdout.splitlines() if ln.strip()]
    for label in (
        "编号",
        "类型",
        "标题",
        "状态",
        "领衔代表",
        "收到日期",
        "承办部门",
        "承办人",
        "办理期限",
    ):
        assert label in labels
    assert "办理过程" in out.stdout
    assert not re.search(r"\b(registered|assigned|due|handler|department)\b", out.stdout)


def test_overdue_in_chinese(cli):
    _seed(cli)
    out = cli("overdue", "--as-of", "2026-10-20", env=ZH, ok=False)
    assert out.exit_code == 0, out.stderr
    lines = out.stdout.splitlines()
    # the last column says which clock ran out
    assert _cells(lines[0])[-3:] == ["逾期天数", "催办次数", "逾期环节"]
    # most overdue first: the suggestion's reply, then the letter's 7-day procedural reply
    assert [(_cells(ln)[0], _cells(ln)[-3], _cells(ln)[-1]) for ln in lines[1:3]] == [
        ("2026-0001", "112", "答复"),
        ("2026-0002", "12", "程序性答复"),
    ]
    assert "截至 2026-10-20，逾期 2 件" in out.stdout + out.stderr


def test_stats_in_chinese(cli):
    _seed(cli)
    out = cli(
        "--format", "table", "stats", "cases", "--year", "2026", "--by", "kind", env=ZH, ok=False
    )
    assert out.exit_code == 0, out.stderr
    text = out.stdout
    assert "事项统计（收到日期：2026-01-01 至 2026-12-31" in text
    assert "办结率 = 已办结件数 ÷ 受理件数" in text
    assert "满意率 =（满意 + 基本满意）÷ 有反馈意见的件数" in text
    assert re.search(r"^\s*合计\s", text, re.M)
    assert not re.search(r"\b(completion|total|received|satisfaction)\b", text)


# one or two errors per command group: (arguments, exit code, start of stderr)
ERRORS = [
    (("deputy", "show", "王五"), 1, "错误：找不到代表 '王五'"),
    (("deputy", "add", "王五", "--level", "村"), 1, "错误：无效的级别 '村'；可选："),
    (("show", "2026-0099"), 1, "错误：找不到事项 '2026-0099'"),
    (("reply", "2026-0002", "--method", "书面"), 1, "错误：无法对 2026-0002 答复：该事项尚未交办"),
    (("cases", "--from", "去年"), 1, "错误：无法识别日期 '去年'"),
    (
        ("log-contact", "--deputy", "陈静", "--type", "宴请"),
        1,
        "错误：无效的联络形式 '宴请'；可选：",
    ),
    (
        ("stats", "cases", "--year", "2026", "--from", "2026-01-01"),
        1,
        "错误：--year 和 --from/--to",
    ),
    (("dept", "add", "第一检察部"), 1, "错误：承办部门 '第一检察部' 已存在"),
    (
        ("extend", "2026-0002", "--due", "2027-01-01", "--reason", "复杂"),
        1,
        "错误：无法对 2026-0002 延期",
    ),
    (("contacts", "--from", "2026-02-01", "--to", "2026-01-01"), 1, "错误：--from 2026-02-01 晚于"),
    (("import", "cases", "没有这个文件.csv"), 1, "错误：找不到文件：没有这个文件.csv"),
    (
        ("report", "--out", "年报.pdf"),
        1,
        "错误：无法将报告写入 年报.pdf：请使用 .xlsx、.md 或 .csv",
    ),
    (
        ("deputy", "add", "王五"),
        2,
        "用法：liaison deputy add [OPTIONS] NAME\n运行 'liaison deputy",
    ),
    (("assign", "2026-0002", "--dept"), 2, "错误：选项 '--dept' 需要一个值。"),
]


def test_errors_in_chinese(cli):
    _seed(cli)
    wrong, stderr = [], {}
    for args, code, start in ERRORS:
        out = cli(*args, env=ZH, ok=False)
        stderr[args] = out.stderr
        if out.exit_code != code or not out.stderr.startswith(start) or "Error" in out.stderr:
            wrong.append(f"liaison {' '.join(args)} -> {out.exit_code}: {out.stderr!r}")
    assert not wrong, "\n".join(wrong)
    # the usage error names what is missing, in Chinese, on its last line
    assert stderr[("deputy", "add", "王五")].splitlines()[-1] == "错误：缺少选项 '--level'。"


# -- wording and layout a Chinese reader checks ----------------------------------


def test_usage_and_help_placeholders(cli):
    out = cli("db", "backup", "--help", env=ZH, ok=False)
    assert out.stdout.startswith("用法：liaison db backup [OPTIONS] FILE\n"), out.stdout
    assert "{" not in out.stdout and "选项：" in out.stdout and "参数：" in out.stdout
    out = cli("overdue", "--help", env={**ZH, "COLUMNS": "100"}, ok=False)
    # one placeholder: the value of --within is the N of its help
    assert any(
        ln.split()[:3] == ["--within", "N", "同时列出今后"] for ln in out.stdout.splitlines()
    )
    assert "今后 N 天内到期" in out.stdout and "DAYS" not in out.stdout
    assert any(ln.split()[:3] == ["--limit", "N", "最多显示"] for ln in out.stdout.splitlines())


def test_command_list_keeps_whole_summaries(cli):
    """A summary too long for the line wraps; it is never cut (台账中已有的编…)."""
    out = cli("import", "--help", env={**ZH, "COLUMNS": "80"}, ok=False)
    commands = out.stdout.split("命令：\n", 1)[1]
    assert "…" not in commands
    assert "导入办理事项及其办理经过（交办、答复、办结等）；台账中已有的编号跳过。" in re.sub(
        r"\n\s+", "", commands
    )
    out = cli("--help", env={**ZH, "COLUMNS": "80"}, ok=False)
    assert "…" not in out.stdout.split("命令：\n", 1)[1]


def test_bulletin_has_recipients_not_participants(cli):
    setup_office(cli)
    out = cli(
        "log-contact",
        "--deputy",
        "陈静",
        "--type",
        "专刊",
        "--date",
        "2026-05-01",
        env=ZH,
        ok=False,
    )
    assert out.stdout == "已登记联络 1：2026-05-01 联络专刊，送达代表：陈静\n", out.stderr
    out = cli(
        "log-contact",
        "--deputy",
        "陈静",
        "--type",
        "座谈",
        "--date",
        "2026-05-02",
        env=ZH,
        ok=False,
    )
    assert out.stdout == "已登记联络 2：2026-05-02 座谈会，参加代表：陈静\n", out.stderr


def test_dept_list_counts_staff_in_ordinal_order(cli):
    for name in (
        "第八检察部",
        "第十一检察部",
        "第一检察部",
        "案件管理办公室",
        "第五检察部",
        "第十检察部",
    ):
        cli("dept", "add", name)
    cli("staff", "add", "王芳", "--dept", "第五检察部")
    cli("staff", "add", "刘强", "--dept", "第五检察部")
    out = cli("dept", "list", env=ZH, ok=False)
    lines = out.stdout.splitlines()
    # a department has a 名称 (a person a 姓名), and a count of staff (人数)
    assert _cells(lines[0]) == ["ID", "名称", "人数"]
    assert [_cells(ln)[1:] for ln in lines[1:]] == [
        ["第一检察部", "0"],
        ["第五检察部", "2"],
        ["第八检察部", "0"],
        ["第十检察部", "0"],
        ["第十一检察部", "0"],
        ["案件管理办公室", "0"],
    ]


def test_overdue_within_shows_days_left(cli):
    _seed(cli)
    out = cli("overdue", "--as-of", "2026-06-25", "--within", "10", env=ZH, ok=False)
    assert out.exit_code == 0, out.stderr
    lines = out.stdout.splitlines()
    header = _cells(lines[0])
    assert header[-4:] == ["逾期天数", "剩余天数", "催办次数", "逾期环节"]
    # due on 2026-06-30: 5 days left, not "逾期天数 -5"
    row = lines[1]
    assert row.startswith("2026-0001") and "-5" not in row
    assert _cells(row)[-4:] == ["2026-06-30", "5", "0", "答复"]


def test_export_sheet_of_cases_is_named_shixiang(cli, tmp_path):
    """The export holds letters and petitions too: its sheet is 事项, not 案件."""
    from openpyxl import load_workbook

    _seed(cli)
    target = tmp_path / "事项.xlsx"
    out = cli("export", "cases", "--out", str(target), env=ZH, ok=False)
    assert out.exit_code == 0, out.stderr
    assert load_workbook(target).sheetnames == ["事项"]


def test_table_never_cuts_a_name(cli):
    setup_office(cli)
    names = ["周建华", "欧阳明远", "司马相如", "诸葛孔明", "上官婉儿", "慕容复兴", "周建军"]
    for n in names:
        cli("deputy", "add", n, "--level", "county")
    cli("dept", "add", "未成年人检察部")
    cli("staff", "add", "周建军", "--dept", "未成年人检察部")
    args = ["add-suggestion", "--title", "关于加强未成年人综合司法保护工作的建议"]
    args += ["--received", "2026-03-01"]
    for n in names:
        args += ["--deputy", n]
    cli(*args)
    cli(
        "assign",
        "2026-0001",
        "--dept",
        "未成年人检察部",
        "--handler",
        "周建军",
        "--date",
        "2026-03-01",
    )
    out = cli("--format", "table", "cases", env={**ZH, "COLUMNS": "100"}, ok=False)
    assert out.exit_code == 0, out.stderr
    text = out.stdout
    # (before: 周建华、欧阳 / 明远、司马相 …, and 未成年人检察 / 部)
    # every name whole on one line: the deputies wrap after a 、, never inside a name
    for n in [*names, "未成年人检察部"]:
        assert n in text, (n, text)


def test_show_in_chinese_punctuation(cli):
    """No spaces before a full-width bracket; the assignment row is a date (交办日期)."""
    _seed(cli)
    cli(
        "assign",
        "2026-0002",
        "--dept",
        "第一检察部",
        "--co-dept",
        "第八检察部",
        "--date",
        "2026-10-02",
    )
    cli(
        "extend", "2026-0002", "--due", "2027-02-01", "--reason", "情况复杂", "--date", "2026-10-05"
    )
    out = cli("show", "2026-0002", env=ZH, ok=False)
    assert out.exit_code == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "承办部门    第一检察部（协办：第八检察部）" in lines
    assert any(re.fullmatch(r"办理期限\s+2027-02-01（由 \S+ 延期）", ln) for ln in lines), lines
    assert "交办日期    2026-10-02" in lines
    timeline = [ln for ln in lines if ln.startswith("2026-10-02")][0]
    assert "承办部门：第一检察部（协办：第八检察部）" in timeline and "办理期限 " in timeline
    assert "deputy show" not in out.stdout


def test_deputy_show_counts_in_chinese(cli):
    _seed(cli)
    cli("log-contact", "--deputy", "陈静", "--type", "visit", "--date", "2026-05-02")
    out = cli("deputy", "show", "陈静", env=ZH, ok=False)
    assert out.exit_code == 0, out.stderr
    # the types in the help's order, joined with 、, no space before the bracket
    assert "联络：2 人次（走访 1、座谈会 1）" in out.stdout.splitlines()
