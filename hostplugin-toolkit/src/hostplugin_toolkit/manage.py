"""Django's management commands inside the installed host, with the plugin's test settings:
`tox -e manage -- COMMAND` runs `hostplugin manage COMMAND`."""

import os
import sys


def write_migrations_for_this_plugin_only(plugin_label):
    """Keep makemigrations from writing migrations for the host's own apps.

    Released hosts can have model changes without a migration of their own (pretix has some).
    Django would then write a migration for the host into site-packages, and make the plugin's
    new migration depend on it; every real installation would fail with NodeNotFoundError.
    Without the host's changes, the plugin's migration depends on the host's newest existing
    migration instead.
    """
    from django.db.migrations.autodetector import MigrationAutodetector

    if getattr(MigrationAutodetector, "_scoped_to", None) == plugin_label:
        return
    sort_migrations = getattr(MigrationAutodetector, "_unscoped_sort_migrations", None)
    sort_migrations = sort_migrations or MigrationAutodetector._sort_migrations

    def _sort_migrations(self):
        self.generated_operations = {
            app_label: operations
            for app_label, operations in self.generated_operations.items()
            if app_label == plugin_label
        }
        sort_migrations(self)

    MigrationAutodetector._unscoped_sort_migrations = sort_migrations
    MigrationAutodetector._sort_migrations = _sort_migrations
    MigrationAutodetector._scoped_to = plugin_label


def makemigrations(plugin_label):
    """Django's own makemigrations command, for the plugin's models only.

    pretix and pretalx replace makemigrations with a version that leaves `blank`, `help_text`,
    `verbose_name` and `validators` out of the migrations it writes, to keep their own
    migrations few. A plugin's migration written that way does not match its model: Django then
    asks for a default that `CharField(blank=True)` does not need, and every later check sees a
    change. Called by its class, so that a command of the same name from the host or another app
    can never take its place.
    """
    from django.core.management.commands.makemigrations import Command

    write_migrations_for_this_plugin_only(plugin_label)
    return Command()


def main(argv, plugin):
    """argv as Django's manage.py gets it: the program's name, then the command."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", plugin.settings_module)
    import django
    from django.core.management import execute_from_command_line

    if argv[1:2] != ["makemigrations"]:
        execute_from_command_line(argv)
        return
    django.setup()
    from django.apps import apps

    label = apps.get_containing_app_config(plugin.module).label
    interactive = sys.stdin.isatty() and "--noinput" not in argv and "--no-input" not in argv
    try:
        # Without a terminal (CI, an editor's task) Django answers its own questions or stops.
        makemigrations(label).run_from_argv(argv if interactive else [*argv, "--noinput"])
    except SystemExit as stop:
        if stop.code == 3:  # a question only a person can answer, e.g. a default for existing rows
            sys.exit(
                "makemigrations needs an answer and has no terminal to ask: give the new field a "
                "default or null=True, or run `tox -e manage -- makemigrations` in a terminal."
            )
        raise
