"""byro's own test settings, for a plugin's tests."""

import os

from hostplugin_toolkit import hosts
from hostplugin_toolkit.database import test_databases

# byro's settings read the database engine from the environment and default to PostgreSQL: the
# host table's test_env names SQLite.
for name, value in hosts.facts("byro")["test_env"].items():
    os.environ.setdefault(name, value)

from byro.common.settings.test_settings import *  # noqa: E402, F403
from byro.common.settings.test_settings import DATABASES, STATIC_ROOT  # noqa: E402

DATABASES = test_databases(DATABASES)
# byro's test settings name a static folder in their temporary data folder without making it;
# whitenoise would warn about the missing folder on every request.
os.makedirs(STATIC_ROOT, exist_ok=True)
