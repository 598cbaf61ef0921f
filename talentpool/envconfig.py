"""Read configuration from environment variables, failing clearly on bad values."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}

SUPPORTED_DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql")


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _sqlite(name: str) -> dict[str, Any]:
    """SQLite for concurrent requests: a writer waits for another (up to 20 s) instead of failing.

    Transactions take the write lock when they begin (IMMEDIATE), so two requests never deadlock
    upgrading their read locks; WAL lets readers go on while one writes.
    """
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def parse_database_url(url: str, *, default_sqlite_path: Path) -> dict[str, Any]:
    """Turn DATABASE_URL into a Django DATABASES entry; an empty URL means embedded SQLite."""
    if not url:
        default_sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        return _sqlite(str(default_sqlite_path))
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SUPPORTED_DATABASE_SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASE_URL has an unsupported scheme {scheme or '(none)'!r}: "
            "use postgres://user:password@host:5432/name or sqlite:///path/to/file.sqlite3."
        )
    if scheme == "sqlite":
        # sqlite:///relative/file.sqlite3, sqlite:////absolute/file.sqlite3, sqlite:// is in memory.
        return _sqlite(unquote(parts.path[1:]) or ":memory:")
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured(
            "DATABASE_URL names no database: use postgres://user:password@host:5432/name."
        )
    try:
        port = parts.port
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL has an invalid port: {error}.") from None
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    try:
        conn_max_age = int(options.pop("conn_max_age", "60"))
    except ValueError:
        raise ImproperlyConfigured(
            "DATABASE_URL has a conn_max_age that is not a number of seconds."
        ) from None
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(port or ""),
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": options,
    }


@dataclass(frozen=True)
class EmailConfig:
    backend: str
    file_path: str | None = None
    host: str = "localhost"
    port: int = 25
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False


def email_config(url: str, *, default_file_path: Path) -> EmailConfig:
    """Turn EMAIL_URL into email settings.

    ``console://`` (the default), ``file:///var/mail``, ``locmem://``, ``smtp://user:pw@host:587?tls=1``,
    ``smtps://user:pw@host:465``.
    """
    if not url:
        return EmailConfig(backend="django.core.mail.backends.console.EmailBackend")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return EmailConfig(backend="django.core.mail.backends.console.EmailBackend")
    if scheme == "locmem":
        return EmailConfig(backend="django.core.mail.backends.locmem.EmailBackend")
    if scheme == "file":
        path = unquote(parts.path) or str(default_file_path)
        return EmailConfig(backend="django.core.mail.backends.filebased.EmailBackend", file_path=path)
    if scheme in ("smtp", "smtps"):
        query = parse_qs(parts.query)
        use_tls = scheme == "smtp" and query.get("tls", ["0"])[-1].lower() in _TRUE
        try:
            port = parts.port or (465 if scheme == "smtps" else 25)
        except ValueError as error:
            raise ImproperlyConfigured(f"EMAIL_URL has an invalid port: {error}.") from None
        return EmailConfig(
            backend="django.core.mail.backends.smtp.EmailBackend",
            host=parts.hostname or "localhost",
            port=port,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            use_tls=use_tls,
            use_ssl=scheme == "smtps",
        )
    raise ImproperlyConfigured(
        f"EMAIL_URL has an unsupported scheme {scheme!r}: use console://, file:///path, "
        "smtp://user:password@host:587?tls=1 or smtps://user:password@host:465."
    )
