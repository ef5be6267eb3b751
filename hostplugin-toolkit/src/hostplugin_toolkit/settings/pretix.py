"""pretix's own test settings (no Redis, no Celery), for a plugin's tests."""

from pretix.testutils.settings import *  # noqa: F403
from pretix.testutils.settings import DATABASES

from hostplugin_toolkit.database import test_databases

DATABASES = test_databases(DATABASES)

# pretix's test settings switch migrations off outside GitHub Actions, which would also stop
# `tox -e manage -- makemigrations`. The test database skips them anyway (`--no-migrations` in the
# plugin's pytest options); the toolkit's contract checks the plugin's migrations on their own.
MIGRATION_MODULES = {}
