"""The plugin in a real browser, inside a running {{ cookiecutter.host }}: what {% if cookiecutter.host == 'pretix' %}an organizer{% elif cookiecutter.host == 'pretalx' %}an organiser{% else %}the association's office{% endif %} clicks through.

Opt-in: plain `pytest` does not collect this file (its name does not start with "test_");
`tox -e e2e` runs it in headless Chromium, on SQLite with all of {{ cookiecutter.host }}'s migrations and the
plugin's applied. The fixtures `page` and `step` come from the toolkit (hostplugin_toolkit.browser
says what they do); the steps below are this plugin's own, so change them with its pages. A
screenshot of every step lands in e2e-artifacts/.
"""

import re

import pytest
{%- if cookiecutter.host == 'byro' and cookiecutter.example == 'no' %}
from django.contrib.auth import get_user_model
{%- endif %}
{%- if cookiecutter.host == 'byro' %}
from django.urls import reverse
{%- endif %}
{%- if cookiecutter.host == 'pretalx' and cookiecutter.example == 'yes' %}
from django_scopes import scopes_disabled
{%- endif %}
from playwright.sync_api import expect
{%- if cookiecutter.host == 'pretalx' and cookiecutter.example == 'yes' %}

from {{ cookiecutter.module_name }}.models import Announcement
{%- elif cookiecutter.host == 'byro' and cookiecutter.example == 'yes' %}

from {{ cookiecutter.module_name }}.models import MemberNote
{%- elif cookiecutter.host == 'byro' %}

from {{ cookiecutter.module_name }} import models
{%- endif %}
{%- if cookiecutter.host != 'byro' or cookiecutter.example == 'yes' %}

from .conftest import PLUGIN
{%- endif %}

# The toolkit's fixtures `page` (Chromium on the live host) and `step` (numbered steps with
# screenshots), and a test database with all migrations: hostplugin_toolkit.browser says more.
pytest_plugins = ["hostplugin_toolkit.browser"]


{%- if cookiecutter.host != 'byro' %}
PLUGIN_BUTTON = f"button[name='plugin:{PLUGIN}']"
{%- endif %}
{%- if cookiecutter.host == 'byro' %}
{%- if cookiecutter.example == 'yes' %}
NOTE = "Prefers letters to e-mail"
NOTE_FIELD = "textarea[name=text]"
{%- else %}
TEXT = "Fees are due in March"
# The plugin's settings model, named after the module (models.py says why).
Settings = models.{{ cookiecutter.__settings_model }}
# byro names each form on its settings page after the configuration's model.
TEXT_FIELD = f"input[name={Settings.__name__}-member_tile_text]"
{%- endif %}
{%- elif cookiecutter.host == 'pretix' %}
HEADING = "News from the box office"
HEADING_FIELD = f"input[name={PLUGIN}_heading_0]"  # the first of its languages
{%- else %}
# Markdown, as organisers type it; the public page shows it rendered.
TEXT = "Bring your **own** mug"
{%- if cookiecutter.example == 'yes' %}
TEXT_FIELD = "textarea[name=text_0]"  # the first of the event's languages
{%- else %}
TEXT_FIELD = f"textarea[name={PLUGIN}_text_0]"  # the first of the event's languages
{%- endif %}
{%- endif %}


{% if cookiecutter.host == 'pretix' -%}
@pytest.mark.django_db(transaction=True)
def test_an_organizer_enables_configures_and_publishes(live_server, event, admin_user, step):
    control = f"{live_server.url}/control/event/{event.organizer.slug}/{event.slug}"
    public = f"{live_server.url}/{event.organizer.slug}/{event.slug}/"

    with step("login") as p:
        p.goto(f"{live_server.url}/control/login")
        p.fill("input[name=email]", "admin@example.org")
        p.fill("input[name=password]", "admin")
        p.click("form button[type=submit]")
        expect(p).not_to_have_url(re.compile("/control/login"))

    with step("enable-on-the-plugin-page") as p:
        p.goto(f"{control}/settings/plugins")
        p.click(f"{PLUGIN_BUTTON}[value=enable]")
        expect(p.locator(f"{PLUGIN_BUTTON}[value=disable]")).to_be_visible()

    with step("settings-from-the-navigation") as p:
        p.goto(f"{control}/settings/")
        # The entry the plugin's nav_event_settings receiver added to the "Settings" menu, which
        # is open on every settings page.
{%- if cookiecutter.example == 'yes' %}
        p.locator("a", has_text=re.compile(r"^\s*Announcements\s*$")).click()
{%- else %}
        p.locator(f"a[href$='/{PLUGIN}/']").click()
{%- endif %}
        expect(p).to_have_url(f"{control}/{PLUGIN}/")
        expect(p.locator(HEADING_FIELD)).to_be_visible()

    with step("save-a-value") as p:
        p.fill(HEADING_FIELD, HEADING)
        p.click("button.btn-save")
        expect(p.locator(".alert-success")).to_be_visible()

    with step("value-persisted") as p:
        p.reload()
        expect(p.locator(HEADING_FIELD)).to_have_value(HEADING)
        event.settings.flush()
        assert str(event.settings.get(f"{PLUGIN}_heading")) == HEADING

    with step("public-page-while-enabled") as p:
        p.goto(public)
        expect(p.locator({% if cookiecutter.example == 'yes' %}".announcement-box"{% else %}".front-page-heading"{% endif %})).to_contain_text(HEADING)

    with step("disable-on-the-plugin-page") as p:
        p.goto(f"{control}/settings/plugins")
        p.click(f"{PLUGIN_BUTTON}[value=disable]")
        expect(p.locator(f"{PLUGIN_BUTTON}[value=enable]")).to_be_visible()

    with step("public-page-while-disabled") as p:
        p.goto(public)
        expect(p.locator("body")).not_to_contain_text(HEADING)
        expect(p.locator({% if cookiecutter.example == 'yes' %}".announcement-box"{% else %}".front-page-heading"{% endif %})).to_have_count(0)
{%- elif cookiecutter.host == 'pretalx' -%}
@pytest.mark.django_db(transaction=True)
def test_an_organiser_enables_configures_and_publishes(live_server, event, admin_user, step):
    orga = f"{live_server.url}/orga/event/{event.slug}"
    public = f"{live_server.url}/{event.slug}/"
    plugin_page = f"{live_server.url}/{event.slug}/p/{PLUGIN}/"

    with step("login") as p:
        p.goto(f"{live_server.url}/orga/login/")
        p.fill("input[name=login_email]", "admin@example.org")
        p.fill("input[name=login_password]", "password")
        p.click("form button[type=submit]")
        expect(p).not_to_have_url(re.compile("/orga/login"))

    with step("enable-on-the-plugin-page") as p:
        p.goto(f"{orga}/settings/plugins")
        p.click(f"{PLUGIN_BUTTON}[value=enable]")
        expect(p.locator(f"{PLUGIN_BUTTON}[value=disable]")).to_be_visible()

    with step("settings-from-the-navigation") as p:
        p.goto(f"{orga}/")
        # The entry the plugin's nav_event receiver added to the event's navigation.
        p.locator(f"a[href$='/p/{PLUGIN}/']").first.click()
        expect(p).to_have_url(f"{orga}/p/{PLUGIN}/")
        expect(p.locator(TEXT_FIELD)).to_be_visible()

    with step("save-a-value") as p:
        p.fill(TEXT_FIELD, TEXT)
        p.click("form button[type=submit].btn-success")
        expect(p.locator(".alert-success")).to_be_visible()

    with step("value-persisted") as p:
        p.reload()
{%- if cookiecutter.example == 'yes' %}
        # The organiser's list shows the text as typed.
        expect(p.locator(".announcement-list")).to_contain_text(TEXT)
        with scopes_disabled():
            # Next to the welcome that installed() published when the plugin was enabled.
            texts = [str(announcement.text) for announcement in Announcement.objects.filter(event=event)]
        assert TEXT in texts
{%- else %}
        expect(p.locator(TEXT_FIELD)).to_have_value(TEXT)
        event.settings.flush()
        assert str(event.settings.get(f"{PLUGIN}_text")) == TEXT
{%- endif %}

    with step("public-page-while-enabled") as p:
        p.goto(public)
        # The plugin's footer_link receiver links its page from the event's footer (pretalx 2025
        # through its redirect page, in a new tab); the page shows the text as Markdown renders it.
        expect(p.locator(f"footer a[href*='/p/{PLUGIN}/']")).to_be_visible()
        p.goto(plugin_page)
        expect(p.locator("{% if cookiecutter.example == 'yes' %}.announcement-text{% else %}.public-page-text{% endif %} strong")).to_have_text("own")

    with step("disable-on-the-plugin-page") as p:
        p.goto(f"{orga}/settings/plugins")
        p.click(f"{PLUGIN_BUTTON}[value=disable]")
        expect(p.locator(f"{PLUGIN_BUTTON}[value=enable]")).to_be_visible()

    with step("public-page-while-disabled") as p:
        p.goto(public)
        expect(p.locator(f"footer a[href*='/p/{PLUGIN}/']")).to_have_count(0)
        response = p.goto(plugin_page)
        assert response.status == 404
{%- elif cookiecutter.example == 'yes' -%}
@pytest.mark.django_db(transaction=True)
def test_the_office_writes_a_note_on_the_members_tab(live_server, office_user, member_with_fee, step):
    member = member_with_fee
    notes = live_server.url + reverse(f"plugins:{PLUGIN}:notes", kwargs={"pk": member.pk})

    with step("login") as p:
        p.goto(f"{live_server.url}/login/")
        p.fill("input[name=username]", "office")
        p.fill("input[name=password]", "office")
        p.click("form button[type=submit]")
        expect(p).not_to_have_url(re.compile("/login"))

    with step("tab-on-the-member-page") as p:
        p.goto(live_server.url + reverse("office:members.data", kwargs={"pk": member.pk}))
        # The tab the plugin's member_view receiver added to the member's page.
        p.locator("a.nav-link", has_text=re.compile(r"^\s*Notes\s*$")).click()
        expect(p).to_have_url(notes)
        expect(p.locator("a.nav-link.active")).to_have_text(re.compile(r"^\s*Notes\s*$"))
        expect(p.locator(NOTE_FIELD)).to_be_visible()

    with step("save-a-value") as p:
        p.fill(NOTE_FIELD, NOTE)
        p.click("form button[type=submit].btn-success")
        expect(p.locator(".alert-success")).to_be_visible()

    with step("value-persisted") as p:
        p.reload()
        expect(p.locator(".member-notes")).to_contain_text(NOTE)
        assert [note.text for note in MemberNote.objects.filter(member=member)] == [NOTE]

    with step("member-log-without-the-text") as p:
        # byro keeps log entries for good: the log says a note was added, not what it said.
        p.goto(live_server.url + reverse("office:members.log", kwargs={"pk": member.pk}))
        expect(p.locator("body")).to_contain_text("Note added")
        expect(p.locator("body")).not_to_contain_text(NOTE)
{%- else -%}
@pytest.fixture
def superuser(configuration):
    # byro 2026 keeps its settings page to superusers; older byro lets every account in.
    return get_user_model().objects.create_superuser("admin", "admin@example.org", "admin")


@pytest.mark.django_db(transaction=True)
def test_the_office_sets_the_members_dashboard_text(live_server, superuser, member_with_fee, step):
    settings_page = live_server.url + reverse("office:settings.base")
    dashboard = live_server.url + reverse("office:members.dashboard", kwargs={"pk": member_with_fee.pk})

    with step("login") as p:
        p.goto(f"{live_server.url}/login/")
        p.fill("input[name=username]", "admin")
        p.fill("input[name=password]", "admin")
        p.click("form button[type=submit]")
        expect(p).not_to_have_url(re.compile("/login"))

    with step("form-on-the-settings-page") as p:
        # byro shows the plugin's ByroConfiguration as a form of its own on its settings page.
        p.goto(settings_page)
        expect(p.locator(TEXT_FIELD)).to_be_visible()

    with step("save-a-value") as p:
        p.fill(TEXT_FIELD, TEXT)
        p.click("form button[type=submit].btn-success")
        expect(p.locator(".alert-success")).to_be_visible()

    with step("value-persisted") as p:
        p.reload()
        expect(p.locator(TEXT_FIELD)).to_have_value(TEXT)
        assert Settings.get_solo().member_tile_text == TEXT

    with step("members-dashboard") as p:
        p.goto(dashboard)
        expect(p.locator("body")).to_contain_text(TEXT)
{%- endif %}
