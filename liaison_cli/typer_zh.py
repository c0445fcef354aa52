"""Typer's own words (usage lines, section titles, usage errors) in the interface language.

Typer 0.26+ vendors Click and writes most of its framework text as plain
English literals, so a translated catalog alone leaves "Usage:", "Options",
"Show this message and exit." and "Error: Missing option …" in English. When
the interface is Chinese, :func:`install` swaps a few of Typer's functions
for ones that look the same words up in our catalog, wrap CJK text by display
width (Click counts characters, so a Chinese help line would be twice too
wide) and shorten Chinese command summaries at a sentence end.

Each replacement falls back to Typer's original when the language is not
Chinese, so English output stays byte for byte what Typer prints. Only
private names of Typer are touched; if a future Typer renames them,
:func:`install` leaves that part in English rather than failing (the tests
in ``tests/test_i18n.py`` notice).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from unicodedata import east_asian_width

from .i18n import N_, _, language

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

_installed = False


def _zh() -> bool:
    return language() == "zh"


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


def short_help(help: str, max_length: int = 45) -> str:
    """The first sentence of a Chinese help text, cut by display width."""
    para = help.split("\n\n", 1)[0]
    text = " ".join(w for w in para.split() if w != "\b")
    end = text.find("。")
    if end != -1:
        text = text[: end + 1]
    if _width(text) <= max_length:
        return text
    out, used = "", 0
    for ch in text:
        w = _width(ch)
        if used + w > max_length - 1:
            break
        out += ch
        used += w
    return out.rstrip("，、；： ") + "…"


def install() -> None:
    """Route Typer's framework text through the catalog (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    try:
        from typer import core as typer_core
        from typer._click import core as click_core
        from typer._click import exceptions as click_exc
        from typer._click import formatting
        from typer._click.utils import echo
    except ImportError:  # pragma: no cover - a Typer without the vendored Click
        return

    # 1. the strings Typer already passes through gettext
    if hasattr(typer_core, "_"):
        typer_core._ = _  # type: ignore[attr-defined]

    # 2. wrapping and command summaries measured by display width
    orig_wrap = formatting.wrap_text

    def wrap(text: str, *args: Any, **kwargs: Any) -> str:
        if _zh():
            return wrap_text(text, *args, **kwargs)
        return orig_wrap(text, *args, **kwargs)

    formatting.wrap_text = wrap  # type: ignore[assignment]

    if hasattr(click_core, "make_default_short_help"):
        orig_short = click_core.make_default_short_help

        def short(help: str, max_length: int = 45) -> str:
            if _zh():
                return short_help(help, max_length)
            return orig_short(help, max_length)

        click_core.make_default_short_help = short  # type: ignore[assignment]

    # 3. "Usage: " prefix
    orig_usage: Callable[..., None] = formatting.HelpFormatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None and _zh():
            prefix = _("Usage: ")
        orig_usage(self, prog, args, prefix)

    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]

    # 4. help of the options Typer adds (--help, completion)
    orig_record = typer_core.TyperOption.get_help_record

    def get_help_record(self: Any, ctx: Any) -> Any:
        rv = orig_record(self, ctx)
        if rv is not None and _zh() and self.help in FRAMEWORK_HELP:
            names, text = rv
            rv = (names, text.replace(self.help, _(self.help), 1))
        return rv

    typer_core.TyperOption.get_help_record = get_help_record  # type: ignore[method-assign]

    # 5. usage errors: "Try … for help." and "Error: …"
    orig_show = click_exc.UsageError.show

    def show(self: Any, file: Any = None) -> None:
        if not _zh():
            orig_show(self, file)
            return
        if file is None:
            from typer._click._compat import get_text_stderr

            file = get_text_stderr()
        color = None
        hint = ""
        ctx = self.ctx
        if ctx is not None and ctx.command.get_help_option(ctx) is not None:
            hint = (
                _("Try '{command} {option}' for help.").format(
                    command=ctx.command_path, option=ctx.help_option_names[0]
                )
                + "\n"
            )
        if ctx is not None:
            color = ctx.color
            echo(f"{ctx.get_usage()}\n{hint}", file=file, color=color)
        message = translate_usage_message(self.format_message())
        echo(_("error: {message}").format(message=message), file=file, color=color)

    click_exc.UsageError.show = show  # type: ignore[method-assign]
