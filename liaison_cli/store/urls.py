"""Where the database is: ``--db``, ``LIAISON_DB`` or the default file, as a URL.

A plain path is a SQLite file; anything with ``://`` is a SQLAlchemy URL
(``postgresql+psycopg://…``). A URL is shown to people only through
:func:`safe_url`, so no credential reaches the screen: the password of the
user part and every query value whose key speaks of a secret (``password``,
``passfile``, ``sslpassword``, ``token``…) are masked, the URL read as text,
so a URL that no parser accepts is masked as well as a good one.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote

from ..errors import InvalidValue
from ..i18n import _

MASK = "***"
# query keys whose value is a credential, or the file holding one
_SECRET_KEYS = ("pass", "secret", "token")
SERVER_SCHEME = "postgresql+psycopg"


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("liaison", appauthor=False)) / "liaison.db"


def resolve_url(value: str | None) -> str:
    """The SQLAlchemy URL for ``--db`` / ``LIAISON_DB`` / the default file.

    A URL liaison cannot use (another driver, no database, a port that is no
    number, an in-memory SQLite database that keeps nothing) is refused here
    (exit 1), before any driver is loaded.
    """
    raw = value or os.environ.get("LIAISON_DB") or str(default_path())
    if "://" in raw:
        if raw.startswith("postgresql://") or raw.startswith("postgres://"):
            raw = SERVER_SCHEME + "://" + raw.split("://", 1)[1]
        return _checked(_encode_user_part(raw))
    return "sqlite:///" + str(Path(raw).expanduser().absolute())


def _split(url: str) -> tuple[str, str | None, str]:
    """``(scheme, user part or None, host/path?query)``, read as text.

    The user part ends at the last ``@`` before the query, so a password
    holding an unencoded ``@`` (or ``?``) is still all in it.
    """
    scheme, _sep, rest = url.partition("://")
    query_at = rest.find("?")
    at = rest.rfind("@", 0, query_at if query_at >= 0 else len(rest))
    if at < 0 and query_at >= 0:
        # a ``?`` inside the password: the ``@`` after it, if no path precedes it
        later = rest.rfind("@")
        if later >= 0 and "/" not in rest[:later]:
            at = later
    if at < 0:
        return scheme, None, rest
    return scheme, rest[:at], rest[at + 1 :]


def _is_secret_key(key: str) -> bool:
    low = key.lower()
    return any(word in low for word in _SECRET_KEYS)


def _encode_user_part(url: str) -> str:
    """``user:p@ss@host`` as ``user:p%40ss@host``: the ``@`` the server never sees."""
    scheme, user, rest = _split(url)
    if user is None or "@" not in user:
        return url
    return f"{scheme}://{user.replace('@', '%40')}@{rest}"


def _checked(url: str) -> str:
    """The URL if liaison can use it, else an error naming it (masked)."""
    scheme = url.partition("://")[0].lower()
    shown = safe_url(url)
    if scheme == "sqlite":
        path = sqlite_path(url)
        if path is None or str(path) in ("", ":memory:") or "mode=memory" in url:
            raise InvalidValue(
                _(
                    "{url} is an in-memory SQLite database, which keeps nothing; "
                    "give the database file's path"
                ).format(url=shown)
            )
        return url
    if scheme != SERVER_SCHEME:
        raise InvalidValue(
            _("unsupported database URL {url}: use a file path or postgresql+psycopg://…").format(
                url=shown
            )
        )
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
        # a port that is no number raises here; one outside TCP's range too
        if parsed.port is not None and not 0 < parsed.port < 65536:
            raise ValueError(parsed.port)
    except Exception:
        raise InvalidValue(
            _(
                "cannot read the database URL {url}: expected "
                "postgresql+psycopg://user@host:port/database"
            ).format(url=shown)
        ) from None
    return url


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for a server URL."""
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///") :])
    return None


def safe_url(url: str) -> str:
    """The URL as it may be shown: the password and any secret query value masked."""
    scheme, user, rest = _split(url)
    if not scheme and user is None and "://" not in url:
        return url
    shown = f"{scheme}://"
    if user is not None:
        name, colon, _password = user.partition(":")
        shown += name + (":" + MASK if colon else "") + "@"
    where, sep, query = rest.partition("?")
    if sep:
        parts = []
        for part in query.split("&"):
            key, eq, _value = part.partition("=")
            parts.append(f"{key}={MASK}" if eq and _is_secret_key(key) else part)
        where += "?" + "&".join(parts)
    return shown + where


def url_secrets(url: str) -> list[str]:
    """The credentials a URL holds, as written and decoded, longest first."""
    _scheme, user, rest = _split(url)
    found: list[str] = []
    if user is not None and ":" in user:
        found.append(user.partition(":")[2])
    for part in rest.partition("?")[2].split("&"):
        key, eq, value = part.partition("=")
        if eq and _is_secret_key(key):
            found.append(value)
    found += [unquote(s) for s in found]
    return sorted({s for s in found if s}, key=len, reverse=True)


def hide_secrets(text: str, url: str) -> str:
    """A driver's message with the URL masked and no credential of it left in."""
    text = text.replace(url, safe_url(url))
    for secret in url_secrets(url):
        text = text.replace(secret, MASK)
    return text


def has_secrets(url: str) -> bool:
    """Does the URL carry a credential (which a shown command leaves as ***)?"""
    return bool(url_secrets(url))


def where(url: str) -> str:
    """How messages name a database: the file's path, or the masked URL."""
    path = sqlite_path(url)
    return str(path) if path is not None else safe_url(url)
