"""The fixed vocabularies of the domain: codes, labels and accepted aliases.

Codes (English, lower case) are what the database and JSON hold; labels are
what a person reads, in the interface language. A user may type a code, a
label in either language or a common Chinese alias (``省``, ``建议``, ``书面``),
with full-width letters and brackets as ASCII ones (``县（区）`` is ``县(区)``).
The command line and the importer parse with these same tables.
"""

from __future__ import annotations

from ..errors import InvalidValue
from ..i18n import C_, N_, _, language
from .values import half_width, strip_text


def _key(text: str) -> str:
    """What a typed word is looked up by: stripped, half-width, lower case."""
    return half_width(strip_text(text)).lower()


class Vocabulary:
    """One closed set of codes with labels and aliases."""

    def __init__(self, name: str, entries: dict[str, tuple[str, ...]]) -> None:
        # entries: code -> (English label marked for translation, *Chinese aliases)
        self.name = name
        self.codes = tuple(entries)
        self._labels = {code: values[0] for code, values in entries.items()}
        self._aliases: dict[str, str] = {}
        for code, values in entries.items():
            for alias in (code, *values):
                self._aliases[_key(alias)] = code
            # the code with dashes or underscores either way
            self._aliases[code.replace("-", "_")] = code
        # what a Chinese ledger writes for a code: its first Chinese alias
        self._chinese = {
            code: next((v for v in values[1:] if not v.isascii()), code)
            for code, values in entries.items()
        }

    def label(self, code: str | None) -> str:
        if code is None:
            return ""
        # the vocabulary's name is the gettext context: status "replied" is 已答复
        return C_(self.name, self._labels.get(code, code))

    def chinese(self, code: str | None) -> str:
        """The Chinese word a ledger uses for ``code`` (export in Chinese); parses back."""
        if code is None:
            return ""
        return self._chinese.get(code, code)

    def parse(self, value: str) -> str:
        """The code for ``value``; raise :class:`InvalidValue` listing the choices."""
        key = _key(value or "")
        code = self._aliases.get(key)
        if code is None:
            # labels in the interface language are accepted too
            for c in self.codes:
                if _key(self.label(c)) == key:
                    return c
            raise InvalidValue(
                _("invalid {what} {value!r}; choose from: {choices}").format(
                    what=_(self.name), value=value, choices=self.choices()
                )
            )
        return code

    def choices(self) -> str:
        """What a user may type: the codes, with their Chinese labels in Chinese."""
        if language() == "zh":
            return "、".join(f"{self.label(c)}（{c}）" for c in self.codes)
        return ", ".join(self.codes)

    def parse_optional(self, value: str | None) -> str | None:
        if value is None or not str(value).strip():
            return None
        return self.parse(value)


LEVELS = Vocabulary(
    N_("level"),
    {
        "national": (N_("national"), "全国", "国家"),
        "provincial": (N_("provincial"), "省", "省级", "自治区", "直辖市"),
        "municipal": (N_("municipal"), "市", "市级", "地市"),
        "county": (
            N_("county"),
            "县",
            "区",
            "县级",
            "县(区)",
            "区县",
            "县区",
            "县市区",
            "县(市、区)",
            "县(市区)",
        ),
        "township": (N_("township"), "乡镇", "乡", "镇"),
    },
)

BODIES = Vocabulary(
    N_("body"),
    {
        "npc": (N_("NPC deputy"), "人大代表", "人大", "代表"),
        "cppcc": (N_("CPPCC member"), "政协委员", "政协", "委员"),
    },
)

KINDS = Vocabulary(
    N_("kind"),
    {
        "suggestion": (N_("suggestion"), "建议", "建议、批评和意见", "意见", "批评"),
        "motion": (N_("motion"), "议案"),
        "proposal": (N_("proposal"), "提案"),
        "letter": (N_("letter"), "来信", "代表来信"),
        "concern": (N_("case of concern"), "关注案件", "代表关注案件"),
        "petition": (N_("petition"), "信访", "接访办信"),
    },
)

METHODS = Vocabulary(
    N_("reply method"),
    {
        "written": (N_("written"), "书面", "书面答复"),
        "in-person": (N_("in person"), "当面", "当面答复", "面复"),
        "phone": (N_("by phone"), "电话", "电话答复"),
    },
)

RESULTS = Vocabulary(
    N_("result"),
    {
        "A": (N_("A: solved"), "a", "a类", "已解决", "解决或基本解决"),
        "B": (N_("B: being solved"), "b", "b类", "正在解决", "列入计划"),
        "C": (N_("C: later"), "c", "c类", "留作参考以后解决", "以后解决"),
        "D": (N_("D: for reference"), "d", "d类", "留作参考"),
    },
)

SATISFACTION = Vocabulary(
    N_("satisfaction"),
    {
        "satisfied": (N_("satisfied"), "满意"),
        "basic": (N_("basically satisfied"), "基本满意", "basically-satisfied"),
        "dissatisfied": (N_("dissatisfied"), "不满意"),
    },
)

CONTACT_TYPES = Vocabulary(
    N_("contact type"),
    {
        "visit": (N_("visit"), "走访", "拜访", "登门走访"),
        "symposium": (N_("symposium"), "座谈会", "座谈"),
        "trial": (N_("trial observation"), "旁听庭审", "旁听"),
        "inspection": (N_("inspection"), "视察", "调研"),
        "open-day": (N_("open day"), "开放日", "检察开放日", "法院开放日"),
        "hearing": (N_("hearing"), "听证", "公开听证"),
        "briefing": (N_("briefing"), "通报", "情况通报", "通报会"),
        "bulletin": (N_("bulletin"), "专刊", "联络专刊", "简报"),
        "message": (N_("message"), "短信", "信息", "微信"),
        "phone": (N_("phone call"), "电话"),
        "other": (N_("other"), "其他"),
    },
)

# The rows of ``stats cases --by`` and ``stats contacts --by``.
CASE_GROUPINGS = Vocabulary(
    N_("grouping"),
    {
        "none": (N_("none"), "不分组", "合计", "总计"),
        "dept": (N_("department"), "部门", "承办部门", "department"),
        "handler": (N_("handler"), "承办人", "经办人"),
        "kind": (N_("kind"), "类型", "类别", "件类"),
        "level": (N_("level"), "级别", "层级", "代表级别"),
        "month": (N_("month"), "月份", "月", "按月"),
    },
)

CONTACT_GROUPINGS = Vocabulary(
    N_("grouping"),
    {
        "none": (N_("none"), "不分组", "合计", "总计"),
        "level": (N_("level"), "级别", "层级", "代表级别"),
        "type": (N_("type"), "类型", "联络方式", "活动类型", "方式"),
        "month": (N_("month"), "月份", "月", "按月"),
        "staff": (N_("staff member"), "联络人", "工作人员", "staff-member"),
    },
)

# Kinds that owe a 7-day procedural reply (程序性答复) counted from receipt.
PROCEDURAL_KINDS = ("letter", "concern")

# Contact types sent to deputies (a bulletin's issue, a message): their
# deputies are its recipients (送达代表), not people taking part (参加代表).
SENT_CONTACT_TYPES = ("bulletin", "message")
