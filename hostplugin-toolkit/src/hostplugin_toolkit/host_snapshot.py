"""The host's migrated SQLite database, made once per release and kept in your user cache.

Applying the host's own migrations to a new SQLite database is most of a fresh development
instance's first start. They are the same for every plugin on the same host release, so the
first fresh start applies them alone and keeps a copy of that database; every later fresh start
(after `tox -e serve -- reset`, or in another plugin) begins from the copy, then applies the
plugin's migrations and adds the demo data, as an admin's instance gets a plugin installed later.

The copy never holds the plugin's migrations or data, so adding or changing them needs nothing
from the author. Its name is a digest of every migration the installed packages bring (file
contents included), of the host's version and of Django's: another release or library makes a
new copy. The copies live in DEVHOST_CACHE, by default ~/.cache/django-plugin-devhost
($XDG_CACHE_HOME/django-plugin-devhost); delete that folder to start from nothing.
"""

import hashlib
import os
import shutil
import sys
from importlib.metadata import version
from pathlib import Path


def cache_folder():
    if os.environ.get("DEVHOST_CACHE"):
        return Path(os.environ["DEVHOST_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "django-plugin-devhost"


def host_migrations(loader, plugin_label):
    """Every migration on disk but the plugin's, as (app label, name, module file)."""
    for (label, name), migration in sorted(loader.disk_migrations.items()):
        if label != plugin_label:
            yield label, name, Path(sys.modules[type(migration).__module__].__file__)


def snapshot_path(loader, plugin_label, host, distribution):
    import django

    digest = hashlib.sha256()
    for label, name, file in host_migrations(loader, plugin_label):
        digest.update(f"{label}\0{name}\0".encode())
        digest.update(file.read_bytes())
    release = f"{host}-{version(distribution)}-django-{django.get_version()}"
    return cache_folder() / f"{release}-{digest.hexdigest()[:16]}.sqlite3"


def start_from_snapshot(database, plugin=None):
    """Give a fresh instance's SQLite database the host's migrations: copied from the cache, or
    applied here and then kept there. An existing database is left to `migrate`.

    `plugin` is a `hostplugin_toolkit.plugin.Plugin`; by default the one in the working directory.
    """
    from django.apps import apps
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.loader import MigrationLoader

    from . import hosts
    from .plugin import read

    database = Path(database)
    if database.exists() and database.stat().st_size:
        return
    plugin = plugin or read()
    host = plugin.host
    plugin_label = apps.get_containing_app_config(plugin.module).label
    loader = MigrationLoader(None, ignore_no_migrations=True)
    snapshot = snapshot_path(loader, plugin_label, host, hosts.facts(host)["pypi_name"])
    connections.close_all()
    if snapshot.exists():
        shutil.copyfile(snapshot, database)
        print(f"{host}'s migrations: copied from {snapshot}", flush=True)
        return
    print(f"{host}'s migrations: applying them once for this release (a minute or more) …", flush=True)
    executor = MigrationExecutor(connections["default"])
    graph = executor.loader.graph
    executor.migrate([leaf for leaf in graph.leaf_nodes() if leaf[0] != plugin_label])
    connections.close_all()
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    # Copied under a name of its own, then renamed: another plugin starting at the same moment
    # finds either no copy or a whole one.
    partial = snapshot.with_name(f"{snapshot.name}.{os.getpid()}.partial")
    shutil.copyfile(database, partial)
    os.replace(partial, snapshot)
    print(f"{host}'s migrations: kept in {snapshot}", flush=True)
