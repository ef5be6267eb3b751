"""Fixtures for a plugin's browser test: its pages in headless Chromium, inside a running host.

The plugin's tests/e2e_browser.py loads them with `pytest_plugins = ["hostplugin_toolkit.browser"]`.
Only `tox -e e2e` collects that file; the plugin registers when pytest imports it, after
pytest-django, so its `django_db_setup` replaces pytest-django's in that run and in no other.

- `django_db_setup`: the test database is a file that begins as a copy of the host's migrated
  database (hostplugin_toolkit.host_snapshot), with the plugin's migrations applied on top, as on
  an instance where an admin installs the plugin. Only the first run on a host release waits for
  the host's migrations.
- `page`: a Playwright page in Chromium (CHROMIUM names the binary, default /usr/bin/chromium,
  Debian's package), on the host as its pages look in production: pretix's stylesheets compiled,
  pretalx answering on the live server's address.
- `step`: numbered steps, `with step("name") as p:`; a screenshot after each, and a screenshot and
  the page's HTML when one fails, in E2E_ARTIFACTS (default e2e-artifacts/).
"""

import os
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import sync_playwright

from .host_snapshot import start_from_snapshot

# Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls from a
# thread with a running loop unless told otherwise. Nothing here is async, so that is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def artifacts():
    return Path(os.environ.get("E2E_ARTIFACTS", "e2e-artifacts"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_blocker, tmp_path_factory):
    database = tmp_path_factory.mktemp("e2e") / "db.sqlite3"
    with django_db_blocker.unblock():
        connection.close()
        django_settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = str(database)
        start_from_snapshot(database)
        call_command("migrate", verbosity=0)


def as_in_production(host, settings, live_server):
    """The host's settings for pages as an admin's instance shows them."""
    if host == "pretix":
        # pretix's test settings skip compiling its SCSS; the screenshots show its real layout.
        settings.COMPRESS_PRECOMPILERS = django_settings.COMPRESS_PRECOMPILERS_ORIGINAL
    elif host == "pretalx":
        # pretalx answers 404 for an event's public pages on any domain but its own (SITE_URL),
        # and the live server runs on localhost with a port of its own.
        settings.SITE_URL = live_server.url
        settings.SITE_NETLOC = urlsplit(live_server.url).netloc


@pytest.fixture
def page(settings, live_server, toolkit_plugin):
    as_in_production(toolkit_plugin.host, settings, live_server)
    artifacts().mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            # Chromium's sandbox refuses to run as root, which containers and CI often are.
            args=["--no-sandbox"] if os.geteuid() == 0 else [],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15_000)
        yield page
        browser.close()


class Steps:
    """Numbered steps: a screenshot after each, and screenshot plus HTML when one fails."""

    def __init__(self, page):
        self.page = page
        self.number = 0

    @contextmanager
    def __call__(self, name):
        self.number += 1
        stem = artifacts() / f"{self.number:02d}-{name}"
        try:
            yield self.page
        except BaseException:
            self.page.screenshot(path=f"{stem}-FAILED.png", full_page=True)
            Path(f"{stem}-FAILED.html").write_text(self.page.content())
            raise
        # Show the page as a person sees it: loaded, with its web fonts (text is invisible until then).
        self.page.wait_for_load_state("load")
        self.page.evaluate("document.fonts.ready.then(() => true)")
        self.page.screenshot(path=f"{stem}.png", full_page=True)


@pytest.fixture
def step(page):
    return Steps(page)
