"""Isolation, from pretix's plugin quality checklist: signal receivers, settings and session keys
live in namespaces that the host and every other installed plugin share, templates and static
files in folders they share. Each name a plugin puts there carries the plugin's name, so that two
plugins never overwrite each other's receiver, setting or template.

The checks read the plugin's code as it is installed, the author's own included: a receiver
added later with `dispatch_uid="front_page"` fails. Names the host stores in its database and
that an older plugin cannot rename without a data migration (a payment provider's identifier, a
settings key) are listed in pyproject.toml, and pass:

    [tool.hostplugin-toolkit]
    stored-names = ["passbook", "passbook_key"]
"""

import re

# Where a plugin's code names something shared, as (what, pattern).
SHARED_NAMESPACES = [
    ("signal receiver dispatch_uid", re.compile(r'dispatch_uid="([^"]+)"')),
    ("settings key", re.compile(r'\.settings\.(?:get|set|delete|freeze)\(\s*"([^"]+)"')),
    ("settings key", re.compile(r'\.settings\[\s*"([^"]+)"\]')),
    ("session key", re.compile(r'\.session(?:\.get\(|\.pop\(|\[)\s*"([^"]+)"')),
    ("template", re.compile(r'"([\w/.-]+\.html)"')),
    # An exporter's or a payment provider's identifier, which the host looks them up by.
    ("identifier", re.compile(r'^    identifier = "([^"]+)"', re.M)),
]
# The fields of a settings form are settings keys: the form classes of each host's settings.
SETTINGS_FORMS = {"pretix": "SettingsForm", "pretalx": "HierarkeyForm"}
# The host's own names, which a plugin reads and never writes: pretix sets iframe_session for a
# shop shown in its widget.
HOSTS_OWN_NAMES = {"pretix": {("session key", "iframe_session")}}


def shared_names(package, host):
    """(what, name, file) for each name the plugin's modules put where others look too."""
    found = []
    form = SETTINGS_FORMS.get(host)
    form_body = re.compile(rf"^class \w+\((?:\w+, )*{form}\):\n((?:(?:    .*)?\n)*)", re.M) if form else None
    for path in sorted(package.rglob("*.py")):
        if path.parent.name == "migrations":
            continue
        text = path.read_text()
        if host == "pretix" and "BasePaymentProvider" in text:
            # A provider's own self.settings is pretix's sandbox for it, named after its identifier.
            text = re.sub(r"self\.settings\.\w+\(\s*\"\w+\"", "", text)
        for what, pattern in SHARED_NAMESPACES:
            found += [(what, name, path.name) for name in pattern.findall(text)]
        for body in form_body.findall(text) if form_body else ():
            found += [("settings key", name, path.name) for name in re.findall(r"^    (\w+) = ", body, re.M)]
    return found


def carries_the_plugins_name(what, name, module):
    if what == "template":
        return name.startswith(f"{module}/")
    return name == module or name.startswith(f"{module}_")


def foreign_names(package, host, module, stored=(), is_hosts_template=lambda name: False):
    """The shared names that do not carry the plugin's name: neither the host's own, nor names
    the host has stored that pyproject.toml lists, nor templates of the host's that the plugin
    extends or renders."""
    allowed = HOSTS_OWN_NAMES.get(host, set())
    return [
        (what, name, file)
        for what, name, file in shared_names(package, host)
        if not carries_the_plugins_name(what, name, module)
        and (what, name) not in allowed
        and name not in stored
        and not (what == "template" and is_hosts_template(name))
    ]


def misplaced_files(package, host, module):
    """Templates and static files outside the folders named after the plugin."""
    misplaced = []
    for kind in ("templates", "static"):
        for path in (package / kind).rglob("*"):
            folder = path.relative_to(package / kind).parts[0]
            if not path.is_file() or folder == module:
                continue
            # byro finds a log entry's template by the entry's type, which starts with the plugin's name.
            if host == "byro" and folder == "log_entry" and path.name.startswith(f"{module}."):
                continue
            misplaced.append(str(path.relative_to(package)))
    return misplaced
