"""pretalx's own test settings, for a plugin's tests."""

from pretalx.common.settings.test_settings import *  # noqa: F403
from pretalx.common.settings.test_settings import DATABASES, INSTALLED_APPS, MIDDLEWARE

from hostplugin_toolkit.database import test_databases

DATABASES = test_databases(DATABASES)

# pretalx's test settings add pretalx's own test plugin, which only exists in pretalx's
# repository (older releases add it unconditionally).
INSTALLED_APPS = [app for app in INSTALLED_APPS if not app.startswith("tests.")]

# Older releases minify HTML in tests too, which makes pages hard to assert on.
MIDDLEWARE = [name for name in MIDDLEWARE if "minify" not in name.lower()]

# pretalx's test settings switch migrations off outside GitHub Actions, which would also stop
# `tox -e manage -- makemigrations`. The test database skips them anyway (`--no-migrations` in the
# plugin's pytest options); the toolkit's contract checks the plugin's migrations on their own.
MIGRATION_MODULES = {}
