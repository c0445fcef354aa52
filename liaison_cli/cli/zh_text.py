"""Chinese text for the help screens and usage errors: the framework's words, wrapping.

Typer writes its framework text ("Usage:", "Options", "Show this message and
exit.", "Error: Missing option …") in English, partly as plain literals. The
help formatter of ``cli/localized.py`` looks the same words up in our catalog
when the interface is Chinese, with the patterns below for Click's messages,
wraps CJK text by display width (Click counts characters, so a Chinese help
line would be twice too wide) and gives Chinese command summaries as their
first sentence.
"""

from __future__ import annotations

import re
from unicodedata import east_asian_width

from ..i18n import N_, _

# Framework strings that Typer passes through ``gettext`` or that we replace:
# listed here so that extraction puts them in the catalog.
FRAMEWORK_MESSAGES = (
    N_("Usage: "),
    N_("Options"),
    N_("Arguments"),
    N_("Commands"),
    N_("env var: {var}"),
    N_("default: {default}"),
    N_("required"),
    N_("(dynamic)"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("Aborted!"),
    N_("Try '{command} {option}' for help."),
    N_("error: {message}"),
)

# Help texts of the options Typer adds by itself (--help, completion).
FRAMEWORK_HELP = (
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
    N_("Install completion for the specified shell."),
    N_("Show completion for the specified shell, to copy it or customize the installation."),
)

# Click's usage-error messages (f-strings in Click) -> our message ids.
_USAGE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"^Missing command\.(?P<rest>)$", N_("Missing command.")),
    (r"^No such command '(?P<name>.+)'\.(?P<rest>)$", N_("No such command {name!r}.")),
    (
        r"^Missing argument (?P<name>.+?)\.(?P<rest>.*)$",
        N_("Missing argument {name}."),
    ),
    (
        r"^Missing option (?P<name>.+?)\.(?P<rest>.*)$",
        N_("Missing option {name}."),
    ),
    (
        r"^Missing parameter:? (?P<name>.+?)\.?(?P<rest>)$",
        N_("Missing parameter {name}."),
    ),
    (
        r"^No such option: (?P<name>\S+) \(Possible options: (?P<choices>.+)\)$",
        N_("No such option: {name} (did you mean: {choices})"),
    ),
    (r"^No such option: (?P<name>\S+)$", N_("No such option: {name}")),
    (
        r"^Option (?P<name>\S+) requires an argument\.$",
        N_("Option {name} requires a value."),
    ),
    (
        r"^Option (?P<name>\S+) requires (?P<n>\d+) arguments\.$",
        N_("Option {name} requires {n} values."),
    ),
    (
        r"^Option (?P<name>\S+) does not take a value\.$",
        N_("Option {name} does not take a value."),
    ),
    (
        r"^Got unexpected extra arguments? \((?P<args>.*)\)$",
        N_("Unexpected extra arguments: {args}"),
    ),
    (
        r"^Invalid value for (?P<hint>.+?): (?P<reason>.*)$",
        N_("Invalid value for {hint}: {reason}"),
    ),
    (r"^Invalid value: (?P<reason>.*)$", N_("Invalid value: {reason}")),
)

# Reasons Typer gives for a value it cannot convert (Typer 0.28 and 0.29 wordings).
_REASON_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"^Input should be a valid integer.*$", N_("not a whole number")),
    (r"^Input should be a valid number.*$", N_("not a number")),
    (r"^Input should be a valid boolean.*$", N_("not yes or no")),
    (
        r"^(?:Value )?(?P<value>.+) is not a valid (?:int|integer)\.$",
        N_("{value} is not a whole number"),
    ),
    (
        r"^(?:Value )?(?P<value>.+) is not a valid (?:float|number)\.$",
        N_("{value} is not a number"),
    ),
    (
        r"^(?:Value )?(?P<value>.+) is not a valid (?P<label>\S+)\.$",
        N_("{value} is not a valid {label}"),
    ),
    (
        r"^(?P<value>.+) is not one of (?P<choices>.+)\.$",
        N_("{value} is not one of {choices}"),
    ),
)

# punctuation that must not begin a line (it stays at the end of the previous one)
_NO_LINE_START = set("，。、；：！？）》」』】…,.;:!?)")


def _char_width(ch: str) -> int:
    # help texts hold no combining marks: wide and fullwidth take two columns
    return 2 if ch >= "\u1100" and east_asian_width(ch) in "WF" else 1


def _width(text: str) -> int:
    return sum(_char_width(ch) for ch in text)


def _tokens(text: str) -> list[str]:
    """Runs of spaces, single wide characters, and runs of other characters."""
    out: list[str] = []
    run, run_kind = "", ""
    # Typer's "[默认：npc]" / "[环境变量：…]" stays on one line when it fits
    bracket = re.fullmatch(r"(.*?)(\s+)(\[[^\[\]]*\])", text, re.S)
    if bracket and _width(bracket.group(3)) <= 40:
        return [*_tokens(bracket.group(1)), bracket.group(2), bracket.group(3)]
    for ch in text:
        if ch.isspace():
            kind = "space"
        elif _char_width(ch) == 2:
            kind = "wide"
        else:
            kind = "word"
        if run and (kind == "wide" or kind != run_kind):
            out.append(run)
            run = ""
        run += ch
        run_kind = kind
    if run:
        out.append(run)
    return out


def translate_usage_message(message: str) -> str:
    """Click's English usage-error message in the interface language."""
    for pattern, template in _USAGE_PATTERNS:
        m = re.match(pattern, message, re.S)
        if m is None:
            continue
        fields = {k: v for k, v in m.groupdict().items() if k != "rest"}
        if "reason" in fields:
            fields["reason"] = _translate_reason(fields["reason"])
        out = _(template).format(**fields)
        rest = (m.groupdict().get("rest") or "").strip()
        return f"{out} {rest}" if rest else out
    return message


def _translate_reason(reason: str) -> str:
    for pattern, template in _REASON_PATTERNS:
        m = re.match(pattern, reason, re.S)
        if m is not None:
            return _(template).format(**m.groupdict())
    return reason


def _wrap_paragraph(text: str, width: int, first: str, rest: str) -> list[str]:
    lines: list[str] = []
    line, line_w, indent = "", 0, first
    space = ""
    for tok in _tokens(text):
        if tok.isspace():
            space = tok if line else ""
            continue
        tok_w = _width(tok)
        avail = max(width - _width(indent), 10)
        if line and line_w + len(space) + tok_w > avail and tok[0] not in _NO_LINE_START:
            lines.append(indent + line)
            line, line_w, indent, space = "", 0, rest, ""
        line += space + tok
        line_w += len(space) + tok_w
        space = ""
    if line or not lines:
        lines.append(indent + line)
    return lines


def wrap_text(
    text: str,
    width: int = 78,
    initial_indent: str = "",
    subsequent_indent: str = "",
    preserve_paragraphs: bool = False,
) -> str:
    """Wrap by display width, breaking between CJK characters where needed."""
    text = text.expandtabs()
    paragraphs = re.split(r"\n\s*\n", text) if preserve_paragraphs else [text]
    out: list[str] = []
    for i, para in enumerate(paragraphs):
        first = initial_indent if i == 0 else subsequent_indent
        if para.lstrip(" ").startswith("\b"):
            body = [ln for ln in para.splitlines() if ln.strip() != "\b"]
            out.append("\n".join(subsequent_indent + ln for ln in body))
            continue
        flat = re.sub(r"\s*\n\s*", " ", para.strip())
        out.append("\n".join(_wrap_paragraph(flat, width, first, subsequent_indent)))
    return "\n\n".join(out)


def short_help(help: str) -> str:
    """The first sentence of a Chinese help text, whole (the list wraps it)."""
    para = help.split("\n\n", 1)[0]
    text = " ".join(w for w in para.split() if w != "\b")
    end = text.find("。")
    return text[: end + 1] if end != -1 else text
