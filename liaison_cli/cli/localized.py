"""Help screens and usage errors translated when they are shown.

The command modules declare their help texts with ``N_()``: the command tree
holds the English source strings, built once, whatever the language. The
language is chosen at run time, when the root command starts
(:meth:`LocalizedGroup.main`: ``--lang``, ``LIAISON_LANG``, the locale), and
the words are looked up in the catalog as the screen is written:

* :class:`LocalizedFormatter` (the help formatter of every command, through
  its context class) translates headings, help paragraphs and the help column
  of the option and command lists, and wraps Chinese text by display width;
* :meth:`LocalizedGroup.format_commands` shows a Chinese command summary as
  its whole first sentence, wrapped, instead of Click's cut of the English one
  (a cut by width falls mid-word: 台账中已有的编…);
* :meth:`LocalizedGroup.main` shows a usage error's "Try … for help." and
  "Error: …" lines in the interface language.

Everything here goes through Typer's and Click's public extension points (a
group class, a context class, a formatter class). English output is what
Typer prints, byte for byte: in English each method hands over to Typer's own.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from ..i18n import _, detect, language, set_language
from .zh_text import short_help, translate_usage_message, wrap_text

# what Typer appends to an option's help: "  [env var: X; default: y; required]"
_EXTRAS = re.compile(r"^(?:(?P<help>.*?)  )?\[(?P<extras>[^\[\]]*)\]$", re.S)
_EXTRA_PATTERNS = (
    (re.compile(r"^env var: (?P<var>.*)$", re.S), "env var: {var}"),
    (re.compile(r"^default: (?P<default>.*)$", re.S), "default: {default}"),
)
_REQUIRED_ARGUMENT = re.compile(r"\{([^{}\s]+)\}")
_TRY_LINE = re.compile(r"^Try '(?P<command>.+) (?P<option>\S+)' for help\.$", re.M)
_ERROR_LINE = re.compile(r"^Error: (?P<message>.*)$", re.M | re.S)


def _zh() -> bool:
    return language() == "zh"


def _translate_extra(extra: str) -> str:
    extra = extra.strip()
    for pattern, template in _EXTRA_PATTERNS:
        m = pattern.match(extra)
        if m is not None:
            return _(template).format(**m.groupdict())
    return _(extra)


def translate_help_cell(text: str) -> str:
    """An option's help with Typer's bracketed extras, each part translated."""
    m = _EXTRAS.match(text)
    if m is None:
        return _(text)
    extras = "; ".join(_translate_extra(e) for e in m.group("extras").split(";"))
    help_text = m.group("help")
    if not help_text:
        return f"[{extras}]"
    translated = _(help_text)
    return f"{translated}  [{extras}]"


# Typer exposes Click's formatter class only as an attribute of its context
class LocalizedFormatter(typer.Context.formatter_class):  # type: ignore[valid-type,misc]
    """Click's help formatter, translating as it writes and wrapping CJK by display width."""

    def write_heading(self, heading: str) -> None:
        if not _zh():
            super().write_heading(_(heading))
            return
        # a Chinese heading ends with a full-width colon, as 用法： does
        translated = _(heading)
        self.write(f"{'':>{self.current_indent}}{translated}：\n")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        # Typer writes a required argument as {NAME}: the usage shows it as NAME
        args = _REQUIRED_ARGUMENT.sub(r"\1", args)
        if not _zh():
            super().write_usage(prog, args, prefix)
            return
        # Click's layout (it measures the prefix in characters), Chinese wrapping
        prefix = _("Usage: ") if prefix is None else prefix
        usage_prefix = f"{prefix:>{self.current_indent}}{prog} "
        text_width = self.width - self.current_indent
        if text_width >= len(usage_prefix) + 20:
            indent = " " * len(usage_prefix)
            self.write(wrap_text(args, text_width, usage_prefix, indent))
        else:
            self.write(usage_prefix + "\n")
            indent = " " * (max(self.current_indent, len(prefix)) + 4)
            self.write(wrap_text(args, text_width, indent, indent))
        self.write("\n")

    def write_text(self, text: str) -> None:
        if not _zh():
            super().write_text(text)
            return
        indent = " " * self.current_indent
        self.write(wrap_text(_(text), self.width, indent, indent, preserve_paragraphs=True))
        self.write("\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        if not _zh():
            super().write_dl(rows, col_max, col_spacing)
            return
        rows = [
            (first, translate_help_cell(second) if second else second) for first, second in rows
        ]
        first_col = min(max((len(first) for first, _s in rows), default=0), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - len(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            text_width = max(self.width - first_col - 2, 10)
            lines = wrap_text(second, text_width, preserve_paragraphs=True).splitlines() or [""]
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")


class LocalizedContext(typer.Context):
    """The context of every command of the tree: its help uses :class:`LocalizedFormatter`."""

    formatter_class = LocalizedFormatter


class LocalizedGroup(TyperGroup):
    """A command group whose help and usage errors follow the interface language."""

    context_class = LocalizedContext

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for command in self.commands.values():
            # the commands' own help screens are written by the same formatter
            command.context_class = LocalizedContext
            for param in command.params:
                # an argument reads NAME in the usage, the argument list and
                # the "missing argument" error alike (Typer writes "name")
                if param.param_type_name == "argument" and param.metavar is None and param.name:
                    param.metavar = param.name.upper()

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        if not _zh():
            super().format_commands(ctx, formatter)
            return
        commands = [
            (name, command)
            for name in self.list_commands(ctx)
            if (command := self.get_command(ctx, name)) is not None and not command.hidden
        ]
        if not commands:
            return
        rows = [
            (name, short_help(_(command.help)) if command.help else "")
            for name, command in commands
        ]
        with formatter.section(_("Commands")):
            formatter.write_dl(rows)

    def main(self, args: Sequence[str] | None = None, *pargs: Any, **kwargs: Any) -> Any:
        """Choose the language for this run, then run the command."""
        argv = list(sys.argv[1:] if args is None else args)
        set_language(detect(argv))
        if not _zh() or kwargs.get("standalone_mode", True) is False:
            return super().main(argv, *pargs, **kwargs)
        try:
            outcome = super().main(argv, *pargs, **{**kwargs, "standalone_mode": False})
        except typer.TyperException as exc:
            # Click's own errors: shown as Click shows them, its words in Chinese
            shown = io.StringIO()
            exc.show(file=shown)  # type: ignore[attr-defined]
            typer.echo(_translate_error(shown.getvalue()), err=True, nl=False)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo(_("Aborted!"), err=True)
            sys.exit(1)
        # Typer's non-standalone run returns the exit code of a typer.Exit
        sys.exit(outcome if isinstance(outcome, int) else 0)


def _translate_error(text: str) -> str:
    """Click's "Try … for help." and "Error: …" lines, in Chinese."""

    def try_line(m: re.Match[str]) -> str:
        return _("Try '{command} {option}' for help.").format(**m.groupdict())

    def error_line(m: re.Match[str]) -> str:
        message = translate_usage_message(m.group("message").rstrip("\n"))
        return _("error: {message}").format(message=message) + "\n"

    return _ERROR_LINE.sub(error_line, _TRY_LINE.sub(try_line, text), count=1)
