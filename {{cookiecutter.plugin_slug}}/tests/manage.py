"""The test project's manage.py: Django's management commands with tests/settings.py, inside the
installed {{ cookiecutter.host }}. `tox -e manage -- COMMAND` runs it (see README.md)."""

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


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    from django.core.management import execute_from_command_line

    write_migrations_for_this_plugin_only()
    execute_from_command_line(sys.argv)
