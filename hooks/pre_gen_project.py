"""Check the answers before anything is written; stop with one line that says what to type.

The answers arrive as a JSON document inside a string literal, so nothing the user typed is
ever pasted into this file as code.
"""

import json
import keyword
import re
import sys

ANSWERS = json.loads({{ cookiecutter | tojson | tojson }})
HOST = ANSWERS["_hosts"][ANSWERS["host"]]

MAX_MODULE_NAME = 40
MODULE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# PEP 508 names, lowercase and dash-separated as PyPI shows them after normalization.
DISTRIBUTION_NAME = re.compile(r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")


def fail(message):
    print(f"Error: {message}", file=sys.stderr)
    sys.exit(1)


def version_tuple(text):
    return tuple(int(part) for part in text.split(".")[:3])


def check_module_name(name):
    if len(name) > MAX_MODULE_NAME:
        fail(f"module_name {name!r} is longer than {MAX_MODULE_NAME} characters; type a shorter one.")
    if not MODULE_NAME.match(name):
        fail(f"module_name {name!r} is not a lowercase Python identifier; type something like 'pretix_my_plugin'.")
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        fail(f"module_name {name!r} is a Python keyword; type a longer name such as '{HOST['pypi_name']}_{name}'.")
    reserved = set(sys.stdlib_module_names) | {"django", "tests", "test"} | set(HOST["reserved_names"])
    if name in reserved:
        fail(
            f"module_name {name!r} is already taken by Python, Django or {ANSWERS['host']}; "
            f"type a name of your own such as '{HOST['pypi_name']}_{name}'."
        )


def check_plugin_slug(slug):
    if not DISTRIBUTION_NAME.match(slug):
        fail(
            f"plugin_slug {slug!r} is not a valid distribution name; "
            "type lowercase letters, digits and dashes, such as 'pretix-my-plugin'."
        )


def check_min_host_version(text):
    oldest = HOST["lines"][0]["from"]
    newest = HOST["newest"]["version"]
    try:
        version = version_tuple(text)
    except ValueError:
        version = None
    if version is None or not version_tuple(oldest) <= version <= version_tuple(newest):
        fail(f"min_host_version {text!r} is not a {ANSWERS['host']} release from {oldest} to {newest}; type e.g. {oldest}.")


def main():
    check_module_name(ANSWERS["module_name"])
    check_plugin_slug(ANSWERS["plugin_slug"])
    check_min_host_version(ANSWERS["min_host_version"])
    if HOST["categories"] and ANSWERS["category"] not in HOST["categories"]:
        fail(f"category {ANSWERS['category']!r} is not one of {', '.join(HOST['categories'])}; type one of those.")
    if not HOST["categories"] and ANSWERS["category"]:
        print(f"Note: {ANSWERS['host']} has no plugin categories; the category {ANSWERS['category']!r} is not used.")
    email = ANSWERS["author_email"]
    if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        fail(f"author_email {email!r} is not an e-mail address; type one like 'jane@example.org', or leave it empty.")


main()
