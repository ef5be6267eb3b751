"""The host contract, checked inside the plugin's own test run.

The toolkit's pytest plugin adds this module to a plain `pytest` run (the test paths of the
plugin's configuration, as tox runs them): every plugin's suite checks that the host finds it,
that its entry point, meta and migrations are what the host expects, and that the names it shares
with the host and other plugins carry its own name. A fix here reaches every plugin with the
toolkit's next version. `pytest -p no:hostplugin_toolkit` runs without it.
"""

import importlib
import io
import os
import re
import sys
from importlib.metadata import entry_points, packages_distributions, version
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib


def normalized(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def hosts_listing(host, module):
    """The meta the host lists the plugin with: its plugin page's source."""
    if host == "pretix":
        from pretix.base.plugins import get_all_plugins

        metas = [meta for meta in get_all_plugins() if meta.module == module]
    elif host == "pretalx":
        from pretalx.common.plugins import get_all_plugins

        metas = [meta for meta in get_all_plugins() if meta.module == module]
    else:
        from byro.common.utils import get_plugins

        metas = [app.ByroPluginMeta for app in get_plugins() if app.name == module]
    assert metas, f"{host} does not list {module} among its plugins"
    return metas[0]


def host_categories(host):
    if host == "pretix":
        from pretix.base.plugins import CATEGORY_ORDER

        return list(CATEGORY_ORDER)
    if host == "pretalx":
        from pretalx.common.plugins import CATEGORY_LABELS

        return list(CATEGORY_LABELS)
    return None  # byro has no categories


def test_pytest_reads_the_settings_of_pyproject(toolkit_plugin, pytestconfig):
    """A pytest.ini (or a [pytest] section of tox.ini or setup.cfg) comes before pyproject.toml,
    and then pytest ignores [tool.pytest.ini_options] without a word: the test settings, the
    options and the warning filters the plugin set there."""
    pyproject = toolkit_plugin.root / "pyproject.toml"
    options = tomllib.loads(pyproject.read_text("utf-8")).get("tool", {}).get("pytest", {}).get("ini_options")
    inipath = pytestconfig.inipath
    assert options is None or inipath == pyproject, (
        f"{inipath.name} overrides [tool.pytest.ini_options] of pyproject.toml, which pytest then "
        f"ignores: move what {inipath.name} sets into pyproject.toml and delete it"
    )


def test_the_entry_point_names_the_plugins_module(toolkit_plugin):
    # The host reads only the module of `name = "module"` or `name = "module:Meta"`; the name
    # may differ from the module.
    group = toolkit_plugin.facts["entry_point_group"]
    found = [point for point in entry_points(group=group) if point.module == toolkit_plugin.module]
    assert found, f"no entry point of the group {group} names the module {toolkit_plugin.module}"
    (point,) = found
    if toolkit_plugin.distribution:
        assert normalized(point.dist.name) == normalized(toolkit_plugin.distribution)
    assert importlib.import_module(point.module).__name__ == toolkit_plugin.module


def test_the_host_puts_the_plugin_into_installed_apps(toolkit_plugin):
    from django.apps import apps
    from django.conf import settings

    assert toolkit_plugin.module in settings.INSTALLED_APPS
    assert apps.get_containing_app_config(toolkit_plugin.module) is not None


def test_the_host_lists_the_plugin_with_its_meta(toolkit_plugin):
    from django.apps import apps

    host = toolkit_plugin.host
    meta = hosts_listing(host, toolkit_plugin.module)
    assert str(meta.name).strip(), "the plugin's meta has no name"
    assert meta is getattr(apps.get_containing_app_config(toolkit_plugin.module), toolkit_plugin.facts["meta_class"])
    categories = host_categories(host)
    if categories is not None and getattr(meta, "category", None) is not None:
        assert meta.category in categories, f"{meta.category!r} is none of {host}'s categories: {categories}"
    if host == "pretix" and getattr(meta, "compatibility", None):
        from packaging.requirements import Requirement

        requirement = Requirement(meta.compatibility)
        assert requirement.name == "pretix"
        assert requirement.specifier.contains(version("pretix"), prereleases=True), (
            f"the installed pretix {version('pretix')} is outside the meta's compatibility {meta.compatibility}"
        )


def test_the_meta_version_is_the_package_version(toolkit_plugin):
    # The version the host shows on its plugin page is the one pip installed: a version typed
    # in the meta and in pyproject.toml would differ one day.
    from django.apps import apps

    meta = getattr(apps.get_containing_app_config(toolkit_plugin.module), toolkit_plugin.facts["meta_class"])
    if not toolkit_plugin.distribution or not getattr(meta, "version", None):
        pytest.skip("no version in the meta or no distribution name in pyproject.toml")
    assert str(meta.version) == version(toolkit_plugin.distribution)


def test_the_database_is_the_one_database_url_names(db):
    # tox passes DATABASE_URL on, to run the suite on PostgreSQL instead of SQLite
    # (hostplugin_toolkit.database); a setting that ignored it would test the wrong database.
    from django.db import connection

    assert connection.vendor == ("postgresql" if os.environ.get("DATABASE_URL") else "sqlite")


def test_no_other_distribution_installs_the_same_module(toolkit_plugin):
    # Two distributions with the same top-level module overwrite each other's files. (A set: an
    # editable install lists its own distribution twice.)
    top = toolkit_plugin.module.split(".")[0]
    installers = {normalized(name) for name in packages_distributions().get(top, [])}
    assert len(installers) == 1, f"{top} is installed by {sorted(installers)}"


@pytest.mark.django_db
def test_the_migrations_match_the_models(toolkit_plugin, settings):
    # The test database skips migrations; here all real ones are loaded (not applied), so a
    # dependency on a host migration that this host lacks fails too. The same command as
    # `tox -e manage -- makemigrations` (Django's own), scoped to the plugin's app label: an
    # unscoped one would also look at the host's own apps (released pretix has drift there).
    # dry_run: nothing is written anywhere.
    from django.apps import apps
    from django.core.management import call_command

    from .manage import makemigrations

    settings.MIGRATION_MODULES = {}
    label = apps.get_containing_app_config(toolkit_plugin.module).label
    output = io.StringIO()
    try:
        call_command(makemigrations(label), label, check=True, dry_run=True, stdout=output, stderr=output)
    except SystemExit:
        if written_the_hosts_way(label):
            return
        pytest.fail(
            f"Models changed without a migration; run `tox -e manage -- makemigrations {label}`.\n{output.getvalue()}"
        )


def written_the_hosts_way(label):
    """Whether the host's own makemigrations finds the plugin's migrations complete. pretix's and
    pretalx's leave out what never reaches the database (verbose_name, help_text, validators...),
    and plugins made from their cookiecutters have migrations written that way: they are not
    behind their models. The host's command patches Django's fields for good; undone here."""
    from django.core.management import call_command, get_commands, load_command_class
    from django.db import models
    from django.db.migrations.operations import models as operations

    app = get_commands().get("makemigrations")
    if app in (None, "django.core"):
        return False
    deconstruct, option_keys = models.Field.deconstruct, list(operations.AlterModelOptions.ALTER_OPTION_KEYS)
    # pretix patches when the command's module is imported: import it afresh for each check, and
    # leave the module as it was, so that the plugin's own tests get the patch as without it.
    name = f"{app}.management.commands.makemigrations"
    imported = sys.modules.pop(name, None)
    try:
        try:
            command = load_command_class(app, "makemigrations")
        except ValueError:
            # pretix's patch is in place already (a test ran makemigrations by name) and refuses
            # to apply twice: Django's own command compares the host's way then.
            from django.core.management.commands.makemigrations import Command

            command = Command()
        call_command(command, label, check=True, dry_run=True, stdout=io.StringIO())
    except SystemExit:
        return False
    finally:
        models.Field.deconstruct = deconstruct
        operations.AlterModelOptions.ALTER_OPTION_KEYS = option_keys
        sys.modules.pop(name, None)
        if imported is not None:
            sys.modules[name] = imported
    return True


def installed_package(module):
    """The folder of the plugin's package as installed: the tests run against the wheel."""
    return Path(importlib.util.find_spec(module).origin).parent


def test_names_shared_with_the_host_carry_the_plugins_name(toolkit_plugin):
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    from .isolation import foreign_names

    package = installed_package(toolkit_plugin.module)

    def is_hosts_template(name):
        try:
            origin = Path(get_template(name).origin.name)
        except TemplateDoesNotExist:
            return False
        return package not in origin.parents

    stored = set(toolkit_plugin.settings.get("stored-names", []))
    found = foreign_names(package, toolkit_plugin.host, toolkit_plugin.module, stored, is_hosts_template)
    if found:
        # One line each, in full: `hostplugin adopt` reads the names from here.
        listed = "\n".join(f"  {kind} {name!r} in {where}" for kind, name, where in found)
        pytest.fail(
            "These names are shared with the host and every other plugin: start each with "
            f"{toolkit_plugin.module}_ (templates: {toolkit_plugin.module}/), or, for a name the host has "
            f"stored already, list it in [tool.hostplugin-toolkit] stored-names:\n{listed}",
            pytrace=False,
        )


def test_templates_and_static_files_live_in_the_plugins_folders(toolkit_plugin):
    from .isolation import misplaced_files

    module = toolkit_plugin.module
    assert misplaced_files(installed_package(module), toolkit_plugin.host, module) == []
