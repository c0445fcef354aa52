"""``liaison --help`` and ``--version``: the whole tree, and a cheap start-up.

The help must not import the database or spreadsheet libraries; that is
checked in a real process (one subprocess for all the help screens), since
this test process has imported them long ago.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version

import typer.main
from helpers import command_tree
from typer.testing import CliRunner

import liaison_cli
from liaison_cli.cli.app import app

HEAVY = ("sqlalchemy", "alembic", "openpyxl", "psycopg", "tabulate", "dateutil")


def command_lines(help_text: str) -> dict[str, str]:
    """The ``Commands:`` section of a help screen: name -> its one-line help."""
    lines = help_text.splitlines()
    start = lines.index("Commands:")
    out: dict[str, str] = {}
    for line in lines[start + 1 :]:
        if not line.startswith("  ") or line.startswith("   "):
            break
        name, _, text = line.strip().partition(" ")
        out[name] = text.strip()
    return out


def test_help_lists_the_whole_tree() -> None:
    tree = command_tree()
    assert len(tree) > 15 and sum(map(len, tree.values())) > 15  # the tree really was read
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    listed = command_lines(result.stdout)
    assert sorted(listed) == sorted(tree)
    for name, subcommands in tree.items():
        assert listed[name], f"{name} has no help"
        # a group names its sub-commands in its one line
        for sub in subcommands:
            assert sub in listed[name], (name, sub, listed[name])


def test_every_command_has_a_one_line_help() -> None:
    root = typer.main.get_command(app)
    tree = command_tree()
    seen = []

    def walk(group, path: str) -> None:  # type: ignore[no-untyped-def]
        for name, cmd in group.commands.items():
            full = f"{path} {name}".strip()
            seen.append(full)
            assert cmd.help and cmd.help.strip(), full
            if hasattr(cmd, "commands"):
                walk(cmd, full)

    walk(root, "")
    assert len(seen) == len(tree) + sum(len(v) for v in tree.values())
    for group in ("deputy", "dept", "staff", "db"):
        out = CliRunner().invoke(app, [group, "--help"])
        assert out.exit_code == 0
        lines = command_lines(out.stdout)
        assert sorted(lines) == tree[group]
        assert all(lines.values()), lines


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"liaison {liaison_cli.__version__}\n"
    assert liaison_cli.__version__ == version("liaison")


def test_help_does_not_import_heavy_libraries() -> None:
    """One process runs the help screens, then reports what got imported."""
    script = f"""
import io, json, sys, contextlib
from liaison_cli.__main__ import main
screens = [["--help"], ["--version"], ["deputy", "--help"], ["deputy", "add", "--help"],
           ["dept", "--help"], ["db", "--help"], ["stats", "--help"]]
outputs = []
for argv in screens:
    sys.argv = ["liaison", *argv]
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        try:
            main()
        except SystemExit as exc:
            assert exc.code in (0, None), (argv, exc.code)
    outputs.append(buf.getvalue())
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r})
print(json.dumps({{"heavy": heavy, "sizes": [len(o) for o in outputs]}}))
"""
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.splitlines()[-1])
    assert report["heavy"] == []
    assert all(size > 0 for size in report["sizes"])
