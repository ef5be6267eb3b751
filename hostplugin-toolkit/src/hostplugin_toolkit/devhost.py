"""The development instance: the host with demo data and the plugin, on the author's machine.

`tox -e serve` runs `hostplugin serve runserver`, at 127.0.0.1:8000 unless DEVHOST_ADDRESS says
otherwise. On first use that creates `.devhost/` in the plugin's folder (git-ignored): a config
file, a data folder and, unless DATABASE_URL names a PostgreSQL server (see
hostplugin_toolkit.database), a SQLite database; a fresh one begins as a copy of the host's
migrated database from the user cache (hostplugin_toolkit.host_snapshot). Every start applies the
migrations, adds what is missing of the demo data (the plugin's own demo module, `tests/demo.py`
unless `[tool.hostplugin-toolkit] demo` names another), prints the login and the pages to open,
and runs the host's development server with autoreload. The plugin is installed in editable
mode, so edits to its code and templates show without reinstalling.

Any other management command runs against the same instance (`tox -e serve -- createsuperuser`,
`tox -e serve -- shell`; pretalx's shell is scoped to the demo event unless `--event` or
`--unsafe-disable-scopes` is given); code of several lines reaches the shell as typed:
`tox -e serve -- shell -c "$(cat script.py)"`. `tox -e serve -- reset` deletes the instance, and
the next start begins afresh.
"""

import importlib
import json
import os
import shutil
import sys
from configparser import ConfigParser

from .database import from_environment
from .host_snapshot import start_from_snapshot


def address():
    """The address the instance is known by; `runserver` listens there unless told otherwise."""
    return os.environ.get("DEVHOST_ADDRESS", "127.0.0.1:8000")


def pretix_config(*, url, data, database, debug, redis=None):
    sections = {
        "pretix": {"instance_name": "pretix (development)", "url": url, "datadir": str(data)},
        "django": {"debug": str(debug)},
        "database": database,
        "mail": {"from": "pretix@localhost"},
    }
    if redis:
        # pretix's production setup: cache and sessions in Redis, tasks run by Celery workers.
        sections["redis"] = {"location": f"{redis}/0", "sessions": "true"}
        sections["celery"] = {"broker": f"{redis}/1", "backend": f"{redis}/2"}
    return sections


def pretalx_config(*, url, data, database, debug, redis=None):
    # pretalx collects its static files into the data folder; without Celery, tasks run eagerly.
    sections = {
        "filesystem": {"data": str(data), "static": str(data / "static")},
        "site": {"debug": str(debug), "url": url},
        "database": database,
        "mail": {"from": "pretalx@localhost"},
    }
    if redis:
        # Cache and sessions in Redis, as pretalx's production docs set it up (newer releases
        # need it: their default cache is a Redis on localhost).
        sections["redis"] = {"location": f"{redis}/1", "session": "true"}
    return sections


def byro_config(*, url, data, database, debug, redis=None):
    database = {("engine" if key == "backend" else key): value for key, value in database.items()}
    return {
        "filesystem": {"data": str(data), "static": str(data / "static")},
        "site": {"debug": str(debug), "url": url},
        "database": database,
        "mail": {"from": "byro@localhost"},
    }


# Each host's config file, as sections of options. `database` comes from
# hostplugin_toolkit.database; `redis` is a redis:// URL.
HOST_CONFIG = {"pretix": pretix_config, "pretalx": pretalx_config, "byro": byro_config}


def write_config(instance, *, host, url, debug, database=None, redis=None):
    """Write the host's config file for an instance folder and point the host at it.

    It is written afresh on every start, so that setting or unsetting DATABASE_URL takes effect;
    the data folder stays.
    """
    from . import hosts

    run = hosts.facts(host)["run"]
    data = instance / "data"
    data.mkdir(parents=True, exist_ok=True)
    database = database or {"backend": "sqlite3", "name": str(data / "db.sqlite3")}
    parser = ConfigParser(interpolation=None)
    parser.read_dict(HOST_CONFIG[host](url=url, data=data, database=database, debug=debug, redis=redis))
    path = instance / f"{host}.cfg"
    with path.open("w") as file:
        parser.write(file)
    os.environ[run["config_env"]] = str(path)
    os.environ["DJANGO_SETTINGS_MODULE"] = run["settings"]
    return path


def demo_module(plugin):
    """The plugin's own demo data: `create(base_url)` makes what is missing and returns the
    login and the pages to open."""
    return importlib.import_module(plugin.demo_module)


def prepare(plugin, instance):
    """Migrate, add the demo data and say where to look."""
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings

    demo = demo_module(plugin)  # it imports the host's models: only once Django is set up
    if not from_environment():
        start_from_snapshot(settings.DATABASES["default"]["NAME"], plugin)
    call_command("migrate", verbosity=0)
    site = demo.create(f"http://{address()}")
    # The same, for tools: the template's own tests log in and open the pages from here.
    (instance / "site.json").write_text(json.dumps(site, indent=2))
    form = site["login"]["form"]
    user, password = form.values()
    if plugin.demo_note:
        print(plugin.demo_note)
    print(f"\n{plugin.host} with the plugin {plugin.module}, from {instance}:", flush=True)
    print(f"  log in:  {site['login']['url']}  as {user} / password {password}")
    for page in site["pages"]:
        print(f"  open:    {page['url']}")
    print("Stop it with Ctrl-C; start afresh with `tox -e serve -- reset`.\n", flush=True)


def reset(instance):
    if from_environment():
        # The database lives on the server: empty it, so that the next start recreates the demo.
        import django
        from django.core.management import call_command

        django.setup()
        call_command("flush", interactive=False)
    shutil.rmtree(instance, ignore_errors=True)
    print(f"Deleted {instance}; the next `tox -e serve` starts afresh.")


def main(argv, plugin):
    """argv as Django's manage.py gets it: the program's name, then the command."""
    instance = plugin.root / ".devhost"
    url = f"http://{address()}"
    write_config(instance, host=plugin.host, url=url, debug=True, database=from_environment())
    if argv[1:] == ["reset"]:
        return reset(instance)
    if argv[1:2] == ["runserver"]:
        prepare(plugin, instance)
        # The host's own entry point from here on: Django's autoreloader restarts whatever
        # `python -m` ran, and on older Django it cannot restart a module inside a package.
        os.execv(sys.executable, [sys.executable, "-m", plugin.host, *argv[1:2], *(argv[2:] or [address()])])
    if argv[1:2] == ["shell"] and not (instance / "site.json").exists():
        prepare(plugin, instance)  # a shell on the instance the dev server would show, demo data included
    scoped = {"--event", "--unsafe-disable-scopes"} & {argument.split("=")[0] for argument in argv}
    if plugin.host == "pretalx" and argv[1:2] == ["shell"] and not scoped:
        # pretalx's shell runs only inside an event's scope, or with scopes off: the demo
        # event's, which the shell then has as `event`.
        argv = [*argv, "--event", json.loads((instance / "site.json").read_text())["event"]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
