"""Which database the tests, the development server and the install check use.

SQLite by default: fast, and no server needed. Set DATABASE_URL to a PostgreSQL server, e.g.
`DATABASE_URL=postgresql://user:password@localhost:5432/plugin`, and all three use it instead
(the tests create and drop a `test_<name>` database next to it, so the user needs CREATEDB).
"""

import os
from urllib.parse import unquote, urlsplit


def from_environment():
    """The server DATABASE_URL names, in the option names the hosts' config files use
    (backend, name, user, password, host, port); None when it is not set."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit(f"DATABASE_URL must be postgresql://user:password@host:port/name, not {parts.scheme}:…")
    return {
        "backend": "postgresql",
        "name": unquote(parts.path.lstrip("/")),
        "user": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "host": parts.hostname or "",
        "port": str(parts.port or ""),
    }


def django_settings(database):
    """The same database as an entry of Django's DATABASES setting."""
    return {
        "ENGINE": f"django.db.backends.{database['backend']}",
        "NAME": database["name"],
        "USER": database["user"],
        "PASSWORD": database["password"],
        "HOST": database["host"],
        "PORT": database["port"],
    }


def test_databases(databases):
    """The test settings' DATABASES: the host's own (SQLite), or DATABASE_URL's server."""
    database = from_environment()
    return {"default": django_settings(database) | {"CONN_MAX_AGE": 0}} if database else databases
