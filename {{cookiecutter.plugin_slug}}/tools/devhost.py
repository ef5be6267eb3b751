{%- set host = cookiecutter._hosts[cookiecutter.host] -%}
"""The development instance: {{ cookiecutter.host }} with demo data and this plugin, on your machine.

`tox -e serve` runs `python -m tools.devhost runserver 127.0.0.1:8000`. On first use that creates
`.devhost/` (git-ignored): a config file, a data folder and, unless DATABASE_URL names a
PostgreSQL server (see hostplugin_toolkit.database), a SQLite database; a fresh one begins as a copy
of {{ cookiecutter.host }}'s migrated database from your user cache (hostplugin_toolkit.host_snapshot). Every start
applies the migrations, adds what is missing of the demo data (tools/demo.py), prints the login and the
pages to open, and runs {{ cookiecutter.host }}'s development server with autoreload. The plugin is
installed in editable mode, so edits to its code and templates show without reinstalling.

Any other management command runs against the same instance (`tox -e serve -- createsuperuser`,
`tox -e serve -- shell`{% if cookiecutter.host == 'pretalx' %}, scoped to the demo event unless you pass `--event` or
`--unsafe-disable-scopes`{% endif %}); code of several lines reaches the shell as typed:
`tox -e serve -- shell -c "$(cat script.py)"`.
`tox -e serve -- reset` deletes the instance, and the next start begins afresh.
"""

import json
import os
import shutil
import sys
from pathlib import Path

from hostplugin_toolkit.database import from_environment
from hostplugin_toolkit.host_snapshot import start_from_snapshot

INSTANCE = Path(__file__).resolve().parent.parent / ".devhost"
# The address the instance is known by; `runserver` listens there unless told otherwise.
ADDRESS = os.environ.get("DEVHOST_ADDRESS", "127.0.0.1:8000")


def host_config(*, url, data, database, debug, redis=None):
    """{{ cookiecutter.host }}'s config file, as sections of options.

    `database` comes from hostplugin_toolkit.database; `redis` is a redis:// URL.
    """
{%- if cookiecutter.host == 'pretix' %}
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
{%- elif cookiecutter.host == 'pretalx' %}
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
{%- else %}
    database = {("engine" if key == "backend" else key): value for key, value in database.items()}
    return {
        "filesystem": {"data": str(data), "static": str(data / "static")},
        "site": {"debug": str(debug), "url": url},
        "database": database,
        "mail": {"from": "byro@localhost"},
    }
{%- endif %}


def write_config(instance, *, url, debug, database=None, redis=None):
    """Write the host's config file for an instance folder and point {{ cookiecutter.host }} at it.

    It is written afresh on every start, so that setting or unsetting DATABASE_URL takes effect;
    the data folder stays.
    """
    from configparser import ConfigParser

    data = instance / "data"
    data.mkdir(parents=True, exist_ok=True)
    database = database or {"backend": "sqlite3", "name": str(data / "db.sqlite3")}
    parser = ConfigParser(interpolation=None)
    parser.read_dict(host_config(url=url, data=data, database=database, debug=debug, redis=redis))
    path = instance / "{{ cookiecutter.host }}.cfg"
    with path.open("w") as file:
        parser.write(file)
    os.environ["{{ host.run.config_env }}"] = str(path)
    os.environ["DJANGO_SETTINGS_MODULE"] = "{{ host.run.settings }}"
    return path


def prepare():
    """Migrate, add the demo data and say where to look."""
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings

    from . import demo  # it imports the host's models: only once Django is set up

    if not from_environment():
        start_from_snapshot(Path(settings.DATABASES["default"]["NAME"]))
    call_command("migrate", verbosity=0)
    site = demo.create(f"http://{ADDRESS}")
    # The same, for tools: the template's own tests log in and open the pages from here.
    (INSTANCE / "site.json").write_text(json.dumps(site, indent=2))
    form = site["login"]["form"]
    user, password = form.values()
    print(f"\n{{ cookiecutter.host }} with the plugin {demo.PLUGIN}, from {INSTANCE}:", flush=True)
    print(f"  log in:  {site['login']['url']}  as {user} / password {password}")
    for page in site["pages"]:
        print(f"  open:    {page['url']}")
    print("Stop it with Ctrl-C; start afresh with `tox -e serve -- reset`.\n", flush=True)


def reset():
    if from_environment():
        # The database lives on the server: empty it, so that the next start recreates the demo.
        import django
        from django.core.management import call_command

        django.setup()
        call_command("flush", interactive=False)
    shutil.rmtree(INSTANCE, ignore_errors=True)
    print(f"Deleted {INSTANCE}; the next `tox -e serve` starts afresh.")


def main(argv):
    write_config(INSTANCE, url=f"http://{ADDRESS}", debug=True, database=from_environment())
    if argv[1:] == ["reset"]:
        return reset()
    if argv[1:2] == ["runserver"]:
        prepare()
        # The host's own entry point from here on: Django's autoreloader restarts whatever
        # `python -m` ran, and on older Django it cannot restart a module inside a package.
        os.execv(sys.executable, [sys.executable, "-m", "{{ cookiecutter.host }}", *argv[1:2], *(argv[2:] or [ADDRESS])])
    if argv[1:2] == ["shell"] and not (INSTANCE / "site.json").exists():
        prepare()  # a shell on the instance the dev server would show, demo data included
{%- if cookiecutter.host == 'pretalx' %}
    scoped = {"--event", "--unsafe-disable-scopes"} & {argument.split("=")[0] for argument in argv}
    if argv[1:2] == ["shell"] and not scoped:
        # pretalx's shell runs only inside an event's scope, or with scopes off: the demo event's
        # (tools/demo.py), which the shell then has as `event`.
        argv = [*argv, "--event", json.loads((INSTANCE / "site.json").read_text())["event"]]
{%- endif %}
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main(sys.argv)
