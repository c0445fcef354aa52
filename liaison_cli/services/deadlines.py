"""Deadline rules (办理期限), with defaults an office can change in a config file.

The file is the path in ``LIAISON_CONFIG`` if set, else ``liaison.toml`` in the
user config directory (platformdirs: ``~/.config/liaison/liaison.toml`` on
Linux, ``~/Library/Application Support/liaison/liaison.toml`` on macOS,
``%LOCALAPPDATA%\\liaison\\liaison.toml`` on Windows). Every key is optional::

    [deadlines]
    suggestion_months = 3         # suggestion, motion (Deputies Law Art. 51)
    complex_months = 6            # with --complex (涉及面广、处理难度大)
    proposal_months = 3           # CPPCC proposal
    letter_months = 3             # substantive reply to a letter or case of concern
    procedural_days = 7           # procedural reply, from receipt
    petition_days = 60            # petition, from acceptance
    petition_extension_days = 30  # how far a petition's deadline may be extended
    rehandle_months = 1           # a new round after a dissatisfied close

A deadline is computed when the step happens (registration for the procedural
reply, assignment, reopening) and stored, so changing the file affects later
steps only, never the due dates already on the ledger.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import fields
from functools import lru_cache
from pathlib import Path

from ..domain.dates import add_months
from ..domain.deadlines import (
    Rules,
    petition_extension_cap,
    procedural_due,
    rehandle_due,
    substantive_due,
)
from ..errors import InvalidValue
from ..i18n import _

# the pure rules live in domain.deadlines; they are re-exported here for the
# callers that read the config and compute in one place
__all__ = [
    "Rules",
    "add_months",
    "config_path",
    "petition_extension_cap",
    "procedural_due",
    "rehandle_due",
    "rules",
    "substantive_due",
]


def config_path() -> Path:
    env = os.environ.get("LIAISON_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("liaison", appauthor=False)) / "liaison.toml"


@lru_cache(maxsize=4)
def _load(path: Path, mtime: float) -> Rules:
    try:
        # utf-8-sig: a file saved by Notepad starts with a byte order mark
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InvalidValue(
            _("cannot read config {path}: {reason}").format(path=path, reason=exc)
        ) from exc
    section = data.get("deadlines", {})
    if not isinstance(section, dict):
        raise InvalidValue(_("[deadlines] in {path} must be a table").format(path=path))
    known = {f.name for f in fields(Rules)}
    values: dict[str, int] = {}
    for key, value in section.items():
        if key not in known:
            raise InvalidValue(
                _("unknown setting deadlines.{key} in {path}").format(key=key, path=path)
            )
        # only the extension allowance may be 0 (no extension at all)
        low = 0 if key == "petition_extension_days" else 1
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= 3650:
            raise InvalidValue(
                _("deadlines.{key} in {path} must be a whole number of days or months").format(
                    key=key, path=path
                )
            )
        values[key] = value
    return Rules(**values)


def rules() -> Rules:
    """The rules in force: defaults overlaid with the office's config file.

    No file at the default place means the defaults; a ``LIAISON_CONFIG``
    naming a file that is not there is an error, not a quiet fall-back.
    """
    path = config_path()
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        if os.environ.get("LIAISON_CONFIG"):
            raise InvalidValue(
                _("cannot read config {path} (named by LIAISON_CONFIG): {reason}").format(
                    path=path, reason=exc.strerror or exc
                )
            ) from exc
        return Rules()
    return _load(path, mtime)
