"""Small helpers shared by the tests."""

from __future__ import annotations

import json
from typing import Any

# the keys offices script against (DESIGN.md section 3), in order
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
