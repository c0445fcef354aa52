"""The columns of a ledger file (台账): our keys, the Chinese headers, the aliases.

Export writes the very headers that import reads back, so both take them
from here; so too the quoting of formula-like cells, which export adds and
import removes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    """One column of a ledger: our key, the Chinese header we write, and the
    other headers offices use for it."""

    key: str
    zh: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    ignored: bool = False  # written by export (id, status, round), skipped by import


@dataclass(frozen=True)
class Table:
    name: str
    fields: tuple[Field, ...]
    # columns the import reads that export does not write (export writes the
    # co-signers in ``deputies``, after the lead)
    extra: tuple[Field, ...] = ()
    _lookup: dict[str, Field] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for f in (*self.fields, *self.extra):
            for header in (f.key, f.zh, *f.aliases):
                self._lookup[normalize_header(header)] = f

    def find(self, header: str) -> Field | None:
        return self._lookup.get(normalize_header(header))

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.fields]


def normalize_header(text: str) -> str:
    """``Reply method``, ``reply-method``, ``*答复方式：`` all read the same."""
    t = str(text).replace("\ufeff", "").strip().lower()
    t = t.replace("（", "(").replace("）", ")").replace("：", "").replace(":", "")
    t = t.strip("*＊ ")
    return re.sub(r"[\s\-]+", "_", t)


_ID = Field("id", "ID", ("编号id", "序号id"), ignored=True)
_STATUS = Field("status", "状态", ("办理状态",), ignored=True)
_ROUND = Field("round", "轮次", ("办理轮次",), ignored=True)

DEPUTIES = Table(
    "deputies",
    (
        _ID,
        Field("name", "姓名", ("代表姓名", "委员姓名", "名字"), required=True),
        Field("body", "类别", ("代表类别", "身份")),
        Field("level", "级别", ("代表级别", "层级"), required=True),
        Field("term", "届次", ("届别", "届")),
        Field("delegation", "代表团", ("所属代表团", "代表小组")),
        Field("unit", "工作单位", ("单位", "单位及职务", "工作单位及职务")),
        Field("sector", "界别", ("界别/行业", "行业", "界别行业")),
        Field("phone", "电话", ("联系电话", "手机", "手机号码", "电话号码")),
        Field("address", "地址", ("通讯地址", "联系地址")),
        Field("liaison", "联络人", ("结对联络人",)),
    ),
)

CASES = Table(
    "cases",
    (
        _ID,
        Field("number", "编号", ("案号", "件号", "建议编号", "序号编号")),
        Field("kind", "类型", ("类别", "件类")),
        Field("title", "标题", ("题目", "案由", "建议标题", "名称"), required=True),
        Field(
            "deputies",
            "代表",
            ("提出代表", "领衔代表", "代表姓名", "委员", "提出人"),
            required=True,
        ),
        _STATUS,
        Field(
            "received",
            "收到日期",
            (
                "收到时间",
                "收件日期",
                "收件时间",
                "接收日期",
                "接收时间",
                "登记日期",
                "登记时间",
                "受理日期",
                "受理时间",
            ),
            required=True,
        ),
        Field("assigned", "交办日期", ("交办时间",)),
        Field("department", "承办部门", ("主办部门", "承办单位", "主办单位")),
        Field("co_departments", "协办部门", ("协办单位",)),
        Field("handler", "承办人", ("经办人",)),
        Field("due", "办理期限", ("期限", "答复期限", "办结期限")),
        Field("replied", "答复日期", ("答复时间",)),
        Field("reply_method", "答复方式", ()),
        Field("result", "办理结果", ("结果", "结果类别")),
        Field("closed", "办结日期", ("办结时间",)),
        Field("satisfaction", "满意度", ("代表满意度", "代表意见", "满意程度", "反馈意见")),
        _ROUND,
        Field("proc_replied", "程序性答复日期", ("程序性答复", "程序性答复时间")),
        Field("key", "重点督办", ("重点",)),
        Field("content", "内容", ("主要内容", "建议内容")),
    ),
    extra=(Field("co_deputies", "联名代表", ("附议代表", "联名人", "附议人")),),
)

CONTACTS = Table(
    "contacts",
    (
        _ID,
        Field("date", "日期", ("联络日期", "活动日期", "时间"), required=True),
        Field("type", "类型", ("联络方式", "活动类型", "方式", "形式"), required=True),
        Field("deputies", "代表", ("参加代表", "联络代表", "代表姓名"), required=True),
        Field("staff", "联络人", ("工作人员", "经办人")),
        Field("summary", "内容", ("摘要", "活动内容", "情况")),
    ),
)

TABLES = {t.name: t for t in (DEPUTIES, CASES, CONTACTS)}


# A cell that a spreadsheet would run as a formula.
_FORMULA = re.compile(r"^'*[=+\-@]")
_NEUTRALISED = re.compile(r"^'+[=+\-@]")


def neutralise(text: str) -> str:
    """Export: put ``'`` before a cell starting with ``= + - @``.

    A cell that already starts with quotes before such a character gets one
    more, so that :func:`unneutralise` gives back exactly what was exported.
    """
    return "'" + text if _FORMULA.match(text) else text


def unneutralise(text: str) -> str:
    """Import: remove the ``'`` that :func:`neutralise` added."""
    return text[1:] if _NEUTRALISED.match(text) else text
