"""Printing one case (``liaison show``): header, deputies, rounds, timeline."""

from __future__ import annotations

import json
import sys
from typing import Any

from ..domain import KINDS, METHODS, RESULTS, SATISFACTION, STATUSES
from ..i18n import _
from ..render import Column, render_record, render_rows, write_json

ACTIONS = {
    "case.add": _("registered"),
    "case.assign": _("assigned"),
    "case.reassign": _("reassigned"),
    "case.remind": _("reminded"),
    "case.extend": _("extended"),
    "case.reply": _("replied"),
    "case.procedural_reply": _("procedural reply"),
    "case.close": _("closed"),
    "case.reopen": _("reopened"),
}


def _details(raw: str | None) -> str:
    """Event details as ``key: value`` pairs a person can read."""
    if not raw:
        return ""
    try:
        data = json.loads(raw)
    except ValueError:
        return raw
    parts = []
    for key, value in data.items():
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            value = "、".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        parts.append(f"{_(key)}: {value}")
    return "; ".join(parts)


def print_case(data: dict[str, Any], fmt: str) -> None:
    if fmt == "json":
        write_json([data], sys.stdout)
        return
    c = data["case"]
    if fmt == "csv":
        render_rows(
            data["timeline"],
            [Column(k, k) for k in ("date", "round", "action", "actor", "recorded_at", "details")],
            "csv",
        )
        return
    rounds = data["rounds"]
    cur = rounds[-1]
    lead = [d["name"] for d in data["deputies"] if d["role"] == "lead"]
    co = [d["name"] for d in data["deputies"] if d["role"] != "lead"]
    pairs: list[tuple[str, Any]] = [
        (_("number"), c["number"]),
        (_("kind"), KINDS.label(c["kind"]) + ("  " + _("key supervision") if c["key"] else "")),
        (_("title"), c["title"]),
        (
            _("status"),
            STATUSES.label(c["status"])
            + (f"  ({_('round')} {c['round']})" if c["round"] > 1 else ""),
        ),
        (_("lead deputy"), "、".join(lead)),
    ]
    if co:
        pairs.append((_("co-signers"), "、".join(co)))
    pairs.append((_("received"), c["received"]))
    if c["proc_due"]:
        pairs.append(
            (_("procedural reply"), c["proc_replied"] or _("due {d}").format(d=c["proc_due"]))
        )
    pairs += [
        (
            _("department"),
            (cur["department"] or "")
            + (
                f"  ({_('co')}: {'、'.join(cur['co_departments'])})"
                if cur["co_departments"]
                else ""
            ),
        ),
        (_("handler"), cur["handler"]),
        (_("assigned"), cur["assigned"]),
        (
            _("due"),
            cur["due"]
            + (
                f"  ({_('extended from')} {cur['due_original']})"
                if cur["due"] and cur["due"] != cur["due_original"]
                else ""
            )
            if cur["due"]
            else None,
        ),
        (
            _("replied"),
            (cur["replied"] or "")
            + (f"  {METHODS.label(cur['reply_method'])}" if cur["reply_method"] else "")
            + (f"  {RESULTS.label(cur['result'])}" if cur["result"] else ""),
        ),
        (
            _("closed"),
            (cur["closed"] or "")
            + (f"  {SATISFACTION.label(cur['satisfaction'])}" if cur["satisfaction"] else ""),
        ),
    ]
    if c["content"]:
        pairs.append((_("content"), c["content"]))
    render_record(pairs, fmt)
    sys.stdout.write("\n")
    render_rows(
        data["timeline"],
        [
            Column("date", _("date")),
            Column("round", _("round"), justify="right"),
            Column("action", _("action"), lambda v: ACTIONS.get(v, v)),
            Column("actor", _("by")),
            Column("details", _("details"), _details),
        ],
        fmt,
        title=_("Timeline"),
    )
