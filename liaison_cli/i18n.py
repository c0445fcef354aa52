"""Translation of every string a person reads (gettext).

The language is chosen when a command runs (``cli/localized.py`` calls
:func:`set_language` with :func:`detect`): ``--lang`` on the command line,
else ``LIAISON_LANG``, else the locale variables (``LC_ALL``,
``LC_MESSAGES``, ``LANG``). Strings are translated when they are shown:
:func:`_` at the point of use, and help texts, declared with :func:`N_`,
by the help formatter. Catalogs are compiled ``.mo`` files inside the
package, loaded with the standard library's gettext so that start-up stays
cheap.
"""

from __future__ import annotations

import gettext
import os
import sys
from pathlib import Path

DOMAIN = "liaison"
LOCALE_DIR = Path(__file__).parent / "locale"
SUPPORTED = ("en", "zh")

_translation: gettext.NullTranslations | None = None
_lang: str | None = None
# C_ answers, per (context, message), for the catalog loaded now: a listing
# asks for the same few labels once per row
_contextual: dict[tuple[str, str], str] = {}


def _lang_from_argv(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def normalize(value: str | None) -> str | None:
    """Map ``zh_CN.UTF-8``, ``zh``, ``中文`` … to a supported code, else None."""
    if not value:
        return None
    v = value.strip().lower()
    if v.startswith("zh") or v in ("中文", "cn", "chinese"):
        return "zh"
    if v.startswith("en") or v in ("c", "posix", "english"):
        return "en"
    return None


def detect(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> str:
    """The interface language for this process."""
    env = os.environ if environ is None else environ
    args = sys.argv[1:] if argv is None else argv
    for candidate in (_lang_from_argv(args), env.get("LIAISON_LANG")):
        lang = normalize(candidate)
        if lang:
            return lang
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return normalize(value) or "en"
    return "en"


def set_language(lang: str) -> None:
    """Load the catalog of ``lang`` (English is the untranslated source)."""
    global _translation, _lang
    _lang = lang if lang in SUPPORTED else "en"
    _contextual.clear()
    if _lang == "en":
        _translation = gettext.NullTranslations()
    else:
        # (gettext reads each catalog file once per process)
        _translation = gettext.translation(
            DOMAIN, localedir=str(LOCALE_DIR), languages=[_lang], fallback=True
        )


def language() -> str:
    if _lang is None:
        set_language(detect())
    assert _lang is not None
    return _lang


def _(message: str) -> str:
    """Translate ``message`` into the interface language."""
    if _translation is None:
        set_language(detect())
    assert _translation is not None
    return _translation.gettext(message)


def C_(context: str, message: str) -> str:
    """Translate ``message`` as meant in ``context`` (gettext's ``pgettext``).

    For an English word with two readings, e.g. the status ``replied``
    (已答复) beside the date column ``replied`` (答复日期).
    """
    hit = _contextual.get((context, message))
    if hit is not None:
        return hit
    if _translation is None:
        set_language(detect())
    assert _translation is not None
    text = _translation.pgettext(context, message)
    if text == message:
        text = _translation.gettext(message)
    _contextual[(context, message)] = text
    return text


def N_(message: str) -> str:
    """Mark ``message`` for extraction; translated later where it is shown."""
    return message


def NC_(context: str, message: str) -> str:
    """Mark ``message`` in ``context`` for extraction; :func:`C_` translates it later."""
    return message
