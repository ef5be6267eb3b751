"""Isolation, from pretix's plugin quality checklist: signal receivers, settings and session keys
live in namespaces that {{ cookiecutter.host }} and every other installed plugin share, templates and static
files in folders they share. Each name this plugin puts there carries the plugin's name, so that
two plugins never overwrite each other's receiver, setting or template.

These tests read the plugin's code as it is, yours included: a receiver added later with
`dispatch_uid="front_page"` fails here.
"""

import importlib.util
import re
from pathlib import Path

PLUGIN = {{ cookiecutter.module_name | tojson }}

# Where the plugin's code names something shared, as (what, pattern).
SHARED_NAMESPACES = [
    ("signal receiver dispatch_uid", re.compile(r'dispatch_uid="([^"]+)"')),
    ("settings key", re.compile(r'\.settings\.(?:get|set|delete|freeze)\(\s*"([^"]+)"')),
    ("settings key", re.compile(r'\.settings\[\s*"([^"]+)"\]')),
    ("session key", re.compile(r'\.session(?:\.get\(|\.pop\(|\[)\s*"([^"]+)"')),
    ("template", re.compile(r'"([\w/.-]+\.html)"')),
    # An exporter's{% if cookiecutter.host == "pretix" %} or a payment provider's{% endif %} identifier, which {{ cookiecutter.host }} looks {% if cookiecutter.host == "pretix" %}them{% else %}it{% endif %} up by.
    ("identifier", re.compile(r'^    identifier = "([^"]+)"', re.M)),
]
{%- if cookiecutter.host in ("pretix", "pretalx") %}
{%- set form_class = "SettingsForm" if cookiecutter.host == "pretix" else "HierarkeyForm" %}
# The fields of a settings form ({{ form_class }}) are settings keys.
SETTINGS_FORM = re.compile(r"^class \w+\((?:\w+, )*{{ form_class }}\):\n((?:(?:    .*)?\n)*)", re.M)
{%- endif %}
{%- if cookiecutter.host == "pretix" %}
# pretix's own keys, which a plugin reads and never writes: pretix sets iframe_session for a shop
# shown in its widget.
HOSTS_OWN_NAMES = {("session key", "iframe_session")}
{%- endif %}


def installed_package():
    """The folder of the plugin's package as installed: the tests run against the wheel."""
    return Path(importlib.util.find_spec(PLUGIN).origin).parent


def shared_names(package):
    """(what, name, file) for each name the plugin's modules put where others look too."""
    found = []
    for path in sorted(package.rglob("*.py")):
        if path.parent.name == "migrations":
            continue
        text = path.read_text()
{%- if cookiecutter.host == "pretix" %}
        if "BasePaymentProvider" in text:
            # A provider's own self.settings is pretix's sandbox for it, named after its identifier.
            text = re.sub(r"self\.settings\.\w+\(\s*\"\w+\"", "", text)
{%- endif %}
        for what, pattern in SHARED_NAMESPACES:
            found += [(what, name, path.name) for name in pattern.findall(text)]
{%- if cookiecutter.host in ("pretix", "pretalx") %}
        for body in SETTINGS_FORM.findall(text):
            found += [("settings key", name, path.name) for name in re.findall(r"^    (\w+) = ", body, re.M)]
{%- endif %}
    return found


def carries_the_plugins_name(what, name):
    if what == "template":
        return name.startswith(f"{PLUGIN}/")
    return name == PLUGIN or name.startswith(f"{PLUGIN}_")


def foreign_names(package):
    return [
        (what, name, file)
        for what, name, file in shared_names(package)
        if not carries_the_plugins_name(what, name){% if cookiecutter.host == "pretix" %} and (what, name) not in HOSTS_OWN_NAMES{% endif %}
    ]


def misplaced_files(package):
    """Templates and static files outside the folders named after the plugin."""
    misplaced = []
    for kind in ("templates", "static"):
        for path in (package / kind).rglob("*"):
            folder = path.relative_to(package / kind).parts[0]
{%- if cookiecutter.host == "byro" %}
            # byro finds a log entry's template by the entry's type, which starts with the plugin's name.
            if folder == "log_entry" and path.name.startswith(f"{PLUGIN}."):
                continue
{%- endif %}
            if path.is_file() and folder != PLUGIN:
                misplaced.append(str(path.relative_to(package)))
    return misplaced


def test_names_shared_with_the_host_carry_the_plugins_name():
    assert foreign_names(installed_package()) == []


def test_templates_and_static_files_live_in_the_plugins_folders():
    assert misplaced_files(installed_package()) == []
