{%- set host = cookiecutter._hosts[cookiecutter.host] -%}
"""The plugin as an installed distribution: the entry point {{ cookiecutter.host }} finds it by, its
version, a module name of its own, and migrations that match its models."""

import io
import os
from importlib.metadata import entry_points, packages_distributions, version

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from hostplugin_toolkit.manage import makemigrations

from .conftest import PLUGIN

DISTRIBUTION = {{ cookiecutter.plugin_slug | tojson }}


def test_entry_point_is_declared():
    (entry_point,) = [ep for ep in entry_points(group={{ host.entry_point_group | tojson }}) if ep.name == PLUGIN]
    assert entry_point.module == PLUGIN and entry_point.dist.name == DISTRIBUTION
    # {{ cookiecutter.host }} reads only the module, but a declared value must load for every other reader.
    assert entry_point.load().__name__ == PLUGIN


def test_entry_point_puts_the_app_into_installed_apps():
    assert PLUGIN in settings.INSTALLED_APPS
    assert apps.get_app_config(PLUGIN).name == PLUGIN


def test_meta_version_is_the_package_version():
    # The version the host shows on its plugin page is the one pip installed (meta.version reads
    # __version__, and pyproject.toml reads it too: a version typed in either would differ).
    meta = apps.get_app_config(PLUGIN).{{ host.meta_class }}
    assert meta.version == version(DISTRIBUTION)


def test_database_is_the_one_database_url_names(db):
    # tox passes DATABASE_URL on, to run the suite on PostgreSQL instead of SQLite
    # (hostplugin_toolkit.database); a setting that ignored it would test the wrong database.
    assert connection.vendor == ("postgresql" if os.environ.get("DATABASE_URL") else "sqlite")


def test_no_other_distribution_installs_the_same_module():
    # Two distributions with the same top-level module overwrite each other's files. (A set: an
    # editable install lists its own distribution twice.)
    assert set(packages_distributions()[PLUGIN]) == {DISTRIBUTION}


@pytest.mark.django_db
@override_settings(MIGRATION_MODULES={})
def test_migrations_match_the_models():
    # The test database skips migrations; here all real ones are loaded (not applied), so a
    # dependency on a {{ cookiecutter.host }} migration that this {{ cookiecutter.host }} lacks fails too.
    # The same command as `tox -e manage -- makemigrations` (Django's own, see hostplugin_toolkit.manage),
    # scoped to this plugin's app label: an unscoped makemigrations would also look at the host's
    # own apps (released pretix has drift there). dry_run: nothing is written anywhere.
    output = io.StringIO()
    try:
        call_command(makemigrations(PLUGIN), PLUGIN, check=True, dry_run=True, stdout=output, stderr=output)
    except SystemExit:
        pytest.fail(f"Models changed without a migration; run makemigrations {PLUGIN}.\n{output.getvalue()}")
