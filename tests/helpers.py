"""Small helpers shared by the tests."""

from __future__ import annotations

import json
from typing import Any

import typer.main
from typer.core import TyperGroup

from liaison_cli.cli.app import app

# the keys of a case in json and csv output, in order: offices script against them
CASE_KEYS = [
    "id",
    "number",
    "kind",
    "title",
    "deputies",
    "status",
    "received",
    "department",
    "handler",
    "due",
    "replied",
    "result",
    "closed",
    "satisfaction",
    "round",
    "key",
]


def as_json(run: Any) -> Any:
    return json.loads(run.stdout)


def setup_office(cli: Any) -> None:
    """Two departments with handlers and a handful of deputies, two sharing a name."""
    cli("dept", "add", "第一检察部")
    cli("dept", "add", "第八检察部")
    cli("staff", "add", "王芳", "--dept", "第一检察部")
    cli("staff", "add", "刘强", "--dept", "第八检察部")
    cli("deputy", "add", "张伟", "--level", "provincial", "--unit", "省交通厅")
    cli("deputy", "add", "张伟", "--level", "municipal", "--unit", "市第一中学")
    cli("deputy", "add", "李娜", "--level", "county", "--body", "cppcc")
    cli("deputy", "add", "陈静", "--level", "national", "--term", "14")


def command_tree() -> dict[str, list[str]]:
    """The tree the CLI really has: root command -> its sub-commands (sorted)."""
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    return {
        name: sorted(cmd.commands) if isinstance(cmd, TyperGroup) else []
        for name, cmd in root.commands.items()
    }


def command_paths() -> list[str]:
    """Every command a person runs, ``db upgrade`` style, in the order ``--help`` lists them."""
    return [
        f"{name} {sub}".strip() for name, subs in command_tree().items() for sub in (subs or [""])
    ]
