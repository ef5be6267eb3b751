"""The test project's manage.py: Django's management commands with tests/settings.py, inside the
installed {{ cookiecutter.host }}. `tox -e manage -- COMMAND` runs it (see DEVELOPING.md)."""

import os
import sys

PLUGIN = {{ cookiecutter.module_name | tojson }}


def write_migrations_for_this_plugin_only():
    """Keep makemigrations from writing migrations for {{ cookiecutter.host }}'s own apps.

    Released hosts can have model changes without a migration of their own (pretix has some).
    Django would then write a migration for the host into site-packages, and make the plugin's
    new migration depend on it; every real installation would fail with NodeNotFoundError.
    Without the host's changes, the plugin's migration depends on the host's newest existing
    migration instead.
    """
    from django.db.migrations.autodetector import MigrationAutodetector

    sort_migrations = MigrationAutodetector._sort_migrations

    def _sort_migrations(self):
        self.generated_operations = {
            app_label: operations
            for app_label, operations in self.generated_operations.items()
            if app_label == PLUGIN
        }
        sort_migrations(self)

    MigrationAutodetector._sort_migrations = _sort_migrations


def makemigrations():
    """Django's own makemigrations command, for the plugin's models.
{% if cookiecutter.host in ["pretix", "pretalx"] %}
    {{ cookiecutter.host }} replaces makemigrations with a version that leaves `blank`, `help_text`,
    `verbose_name` and `validators` out of the migrations it writes, to keep its own migrations
    few. A plugin's migration written that way does not match its model: Django then asks for a
    default that `CharField(blank=True)` does not need, and every later check sees a change.
{%- else %}
    Called by its class, so that a command of the same name from {{ cookiecutter.host }} or another
    app can never take its place: a plugin's migrations must be exactly what Django writes.
{%- endif %}
    """
    from django.core.management.commands.makemigrations import Command

    write_migrations_for_this_plugin_only()
    return Command()


def main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django
    from django.core.management import execute_from_command_line

    if argv[1:2] != ["makemigrations"]:
        execute_from_command_line(argv)
        return
    django.setup()
    interactive = sys.stdin.isatty() and "--noinput" not in argv and "--no-input" not in argv
    try:
        # Without a terminal (CI, an editor's task) Django answers its own questions or stops.
        makemigrations().run_from_argv(argv if interactive else [*argv, "--noinput"])
    except SystemExit as stop:
        if stop.code == 3:  # a question only a person can answer, e.g. a default for existing rows
            sys.exit(
                "makemigrations needs an answer and has no terminal to ask: give the new field a "
                "default or null=True, or run `tox -e manage -- makemigrations` in a terminal."
            )
        raise


if __name__ == "__main__":
    main(sys.argv)
