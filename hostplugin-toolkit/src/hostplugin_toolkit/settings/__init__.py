"""Django settings for a plugin's tests and for `tox -e manage`: the host's own test settings, on
SQLite in a temporary folder or on the PostgreSQL server of DATABASE_URL, adjusted so that they
work from a plugin's repository on every supported release. One module per host; the plugin names
its host's in pyproject.toml (`DJANGO_SETTINGS_MODULE = "hostplugin_toolkit.settings.pretix"`).

Settings of the plugin's own go in a module of its own that starts from these:

    # tests/settings.py
    from hostplugin_toolkit.settings.pretix import *  # noqa: F403

    MY_PLUGIN_API_URL = "https://sandbox.example.org"

and DJANGO_SETTINGS_MODULE = "tests.settings" then names that module.
"""
