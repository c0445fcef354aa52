"""Write docs/cli-reference.md: every command's ``--help``, in English and Chinese.

    python scripts/cli_reference.py           rewrite docs/cli-reference.md
    python scripts/cli_reference.py --check   exit 1 (with a diff) if it is out of date

The screens come from the app itself, run in this process, so the reference
lists exactly the commands ``liaison`` has, as it prints them. The terminal
is 80 columns wide whatever the caller's is.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REFERENCE = REPO / "docs" / "cli-reference.md"
LANGUAGES = (("en", "English"), ("zh", "中文"))
ENV = {"COLUMNS": "80", "LIAISON_CONFIG": os.devnull, "LIAISON_USER": "clerk"}


def screens(lang: str) -> dict[str, str]:
    """``--help`` of the root and of every group and command, in ``lang``."""
    import typer.main
    from typer.core import TyperGroup
    from typer.testing import CliRunner

    from liaison_cli.cli.app import app

    paths: list[list[str]] = [[]]
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    for name, command in root.commands.items():
        paths.append([name])
        if isinstance(command, TyperGroup):
            paths.extend([name, sub] for sub in command.commands)
    out: dict[str, str] = {}
    runner = CliRunner()
    for path in paths:
        env = {**ENV, "LIAISON_LANG": lang}
        result = runner.invoke(app, [*path, "--help"], env=env, prog_name="liaison")
        if result.exit_code != 0:
            raise SystemExit(f"liaison {' '.join(path)} --help exited {result.exit_code}")
        out[" ".join(["liaison", *path])] = result.stdout
    return out


def render() -> str:
    parts = [
        "# Command reference\n",
        "Every command's `--help`, in English and in Chinese (`--lang zh`), at 80 columns.",
        "Generated from the app by `python scripts/cli_reference.py`; do not edit by hand",
        "(`.ci/run` fails when this file is not what the script writes).\n",
    ]
    by_lang = {lang: screens(lang) for lang, _title in LANGUAGES}
    english = by_lang["en"]
    parts.append("## Commands\n")
    for command in english:
        anchor = command.replace(" ", "-")
        parts.append(f"- [`{command}`](#{anchor})")
    parts.append("")
    for command in english:
        parts.append(f"## {command}\n")
        for lang, title in LANGUAGES:
            parts.append(f"{title}:\n")
            parts.append("```text")
            parts.append(by_lang[lang][command].rstrip("\n"))
            parts.append("```\n")
    return "\n".join(parts)


def main() -> int:
    sys.path.insert(0, str(REPO))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    text = render()
    current = REFERENCE.read_text(encoding="utf-8") if REFERENCE.exists() else ""
    if args.check:
        if current == text:
            return 0
        diff = difflib.unified_diff(
            current.splitlines(), text.splitlines(), "docs/cli-reference.md", "the app", lineterm=""
        )
        print("\n".join(list(diff)[:60]))
        print(
            "error: docs/cli-reference.md is out of date: run `python scripts/cli_reference.py`"
            " and commit the result",
            file=sys.stderr,
        )
        return 1
    REFERENCE.parent.mkdir(exist_ok=True)
    REFERENCE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
