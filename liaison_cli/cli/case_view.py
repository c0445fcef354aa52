"""Printing one case (``liaison show``): header, rounds, extensions, timeline.

A clerk reads this to answer "where is this case and who touched it", so
codes become labels, event details become short phrases, and empty facts
show as a dash instead of a blank.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..domain.lifecycle import ACTION_LABELS, STATUSES, Action
from ..domain.vocab import KINDS, METHODS, RESULTS, SATISFACTION
from ..i18n import C_, _
from ..output import Column, render_record, render_rows, write_json

if TYPE_CHECKING:
    from ..services.case_views import CaseDetail

DASH = "—"


def _action_label(code: str) -> str:
    """The timeline's word for an event code; a code the lifecycle does not know shows as is."""
    try:
        return _(ACTION_LABELS[Action(code)])
    except ValueError:
        return code


def _names(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value or "")


def _on_time(flag: Any) -> str:
    return _("on time") if flag else _("late")


def _add(d: dict[str, Any]) -> str:
    parts = [
        KINDS.label(d.get("kind")),
        _("deputies: {names}").format(names=_names(d.get("deputies"))),
    ]
    if d.get("key"):
        parts.append(_("key supervision"))
    return _("; ").join(p for p in parts if p)


def _assign(d: dict[str, Any]) -> str:
    text = _("to {department}").format(department=d.get("department") or DASH)
    if d.get("co_departments"):
        co = _("co: {names}").format(names=_names(d["co_departments"]))
        text = _("{value} ({text})").format(value=text, text=co)
    parts = [text]
    if d.get("handler"):
        parts.append(_("handler {name}").format(name=d["handler"]))
    if d.get("due"):
        parts.append(_("due {d}").format(d=d["due"]))
    if d.get("complex"):
        parts.append(_("complex"))
    return _("; ").join(parts)


def _extend(d: dict[str, Any]) -> str:
    text = _("due {old} → {new}").format(old=d.get("old_due"), new=d.get("new_due"))
    if d.get("late"):
        text += " " + _("({text})").format(text=_("late: the old deadline had passed"))
    return text + (_(": ") + d["reason"] if d.get("reason") else "")


def _reply(d: dict[str, Any]) -> str:
    parts = [METHODS.label(d.get("method")), RESULTS.label(d.get("result"))]
    if "on_time" in d:
        parts.append(_on_time(d["on_time"]))
    parts.append(d.get("summary") or "")
    return _("; ").join(p for p in parts if p)


def _procedural(d: dict[str, Any]) -> str:
    parts = [METHODS.label(d.get("method"))]
    if "on_time" in d:
        parts.append(_on_time(d["on_time"]))
    parts.append(d.get("summary") or "")
    return _("; ").join(p for p in parts if p)


def _reopen(d: dict[str, Any]) -> str:
    parts = [d.get("reason") or ""]
    if d.get("due"):
        parts.append(_("due {d}").format(d=d["due"]))
    return _("; ").join(p for p in parts if p)


def _generic(d: dict[str, Any]) -> str:
    """Events written by other commands (an import, say): plain ``key: value``."""
    return _("; ").join(f"{k}: {_names(v)}" for k, v in d.items() if v not in (None, "", []))


DETAILS: dict[str, Callable[[dict[str, Any]], str]] = {
    Action.ADD: _add,
    Action.ASSIGN: _assign,
    Action.REASSIGN: _assign,
    Action.REMIND: lambda d: d.get("note") or "",
    Action.EXTEND: _extend,
    Action.REPLY: _reply,
    Action.PROCEDURAL_REPLY: _procedural,
    Action.CLOSE: lambda d: SATISFACTION.label(d.get("satisfaction")),
    Action.REOPEN: _reopen,
}


def describe(action: str, details: dict[str, Any]) -> str:
    """One event's details as a short phrase in the interface language."""
    return DETAILS.get(action, _generic)(details or {})


def _or_dash(*parts: str | None) -> str:
    text = _(", ").join(p for p in parts if p)
    return text or DASH


def _header(data: CaseDetail) -> list[tuple[str, str]]:
    cur = data["rounds"][-1]
    lead = [d["name"] for d in data["deputy_list"] if d["role"] == "lead"]
    co = [d["name"] for d in data["deputy_list"] if d["role"] != "lead"]
    kind = [KINDS.label(data["kind"])]
    if data["key"]:
        kind.append(_("key supervision"))
    if data["complex"]:
        kind.append(_("complex"))
    status = STATUSES.label(data["status"])
    if data["round"] > 1:
        status += _(", ") + _("handling round {n}").format(n=data["round"])
    pairs: list[tuple[str, str]] = [
        (_("number"), data["number"]),
        (_("kind"), _(", ").join(kind)),
        (_("title"), data["title"]),
        (_("status"), status),
        (_("lead deputy"), "、".join(lead)),
    ]
    if co:
        pairs.append((_("co-signers"), "、".join(co)))
    pairs.append((_("received"), data["received"] or DASH))
    if data["proc_due"]:
        if data["proc_replied"]:
            late = data["proc_replied"] > data["proc_due"]
            proc = _("{d} ({when}, due {due})").format(
                d=data["proc_replied"], when=_on_time(not late), due=data["proc_due"]
            )
        elif data["proc_superseded"]:
            proc = _("superseded by the reply of {d} (was due {due})").format(
                d=data["proc_superseded"], due=data["proc_due"]
            )
        elif data["proc_days_overdue"]:
            proc = _("not given, due {due}: {n} days overdue").format(
                due=data["proc_due"], n=data["proc_days_overdue"]
            )
        else:
            proc = _("not given, due {due}").format(due=data["proc_due"])
        pairs.append((_("procedural reply"), proc))
    dept = data["department"] or _("not assigned yet")
    if data["co_departments"]:
        co_text = _("co: {names}").format(names="、".join(data["co_departments"]))
        dept = _("{value}  ({text})").format(value=dept, text=co_text)
    pairs += [
        (_("department"), dept),
        (_("handler"), data["handler"] or DASH),
        (C_("date", "assigned"), data["assigned"] or DASH),
    ]
    due = data["due"] or DASH
    if data["due"] and data["due_original"] and data["due"] != data["due_original"]:
        due = _("{value}  ({text})").format(
            value=due, text=_("extended from {d}").format(d=data["due_original"])
        )
    if data["days_overdue"]:
        due += "  " + _("{n} days overdue").format(n=data["days_overdue"])
    pairs.append((_("due"), due))
    on_time = None if cur["on_time"] is None else _on_time(cur["on_time"])
    pairs.append(
        (
            _("replied"),
            _or_dash(
                data["replied"],
                METHODS.label(cur["reply_method"]),
                RESULTS.label(data["result"]),
                on_time,
            ),
        )
    )
    if cur["summary"]:
        pairs.append((_("reply summary"), cur["summary"]))
    pairs.append((_("closed"), _or_dash(data["closed"], SATISFACTION.label(data["satisfaction"]))))
    if data["content"]:
        pairs.append((_("content"), data["content"]))
    return pairs


def _section(rows: list[dict[str, Any]], columns: list[Column], fmt: str, title: str) -> None:
    sys.stdout.write("\n")
    if fmt == "plain":
        # plain tables carry no title of their own
        sys.stdout.write(title + "\n")
    render_rows(rows, columns, fmt, title=title)


def print_case(data: CaseDetail, fmt: str) -> None:
    if fmt == "json":
        write_json([dict(data)], sys.stdout)
        return
    if fmt == "csv":
        rows = [
            {**e, "details": json.dumps(e["details"], ensure_ascii=False)} for e in data["timeline"]
        ]
        render_rows(
            rows,
            [Column(k, k) for k in ("date", "round", "action", "actor", "recorded_at", "details")],
            "csv",
        )
        return
    render_record(_header(data), fmt)
    if len(data["rounds"]) > 1:
        _section(
            [dict(r) for r in data["rounds"]],
            [
                Column("round", _("round"), justify="right"),
                Column("department", _("department")),
                Column("handler", _("handler")),
                Column("assigned", C_("date", "assigned")),
                Column("due", _("due")),
                Column("replied", _("replied")),
                Column("result", _("result"), RESULTS.label),
                Column("closed", _("closed")),
                Column("satisfaction", _("satisfaction"), SATISFACTION.label),
            ],
            fmt,
            _("Handling rounds"),
        )
    extensions = [{"round": r["round"], **e} for r in data["rounds"] for e in r["extensions"]]
    if extensions:
        _section(
            extensions,
            [
                Column("round", _("round"), justify="right"),
                Column("date", _("date")),
                Column("old_due", _("old due")),
                Column("new_due", _("new due")),
                Column("reason", _("reason")),
                Column("actor", _("by")),
            ],
            fmt,
            _("Extensions"),
        )
    timeline = [
        {
            **e,
            "action": _action_label(e["action"]),
            "details": describe(e["action"], e["details"]),
        }
        for e in data["timeline"]
    ]
    _section(
        timeline,
        [
            Column("date", _("date")),
            Column("round", _("round"), justify="right"),
            Column("action", _("action")),
            Column("actor", _("by")),
            Column("details", _("details")),
        ],
        fmt,
        _("Timeline"),
    )
