"""Check the answers before anything is written; stop with one line that says what to type.

The answers arrive as a JSON document inside a raw string literal, so nothing the user typed is
ever pasted into this file as code: JSON escapes every quote inside a value, so the literal
cannot end early. The file is plain Python before cookiecutter renders it too, and ruff checks it.
"""

import json
import keyword
import re
import sys
import unicodedata

ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")
# The answers before cookiecutter rendered them (only on cookiecutter's own command line; cruft
# and replays do not provide them).
RAW_ANSWERS = json.loads(r"""{{ (_cookiecutter if _cookiecutter is defined else {}) | tojson }}""")
HOST_NAME = ANSWERS["host"]
HOST = ANSWERS["_hosts"][HOST_NAME]

MAX_MODULE_NAME = 40
MODULE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# PEP 508 names, already in the normalized form PyPI shows: lowercase words joined by dashes.
DISTRIBUTION_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
URL = re.compile(r"^https?://[^\s/\"'<>]+\.[^\s/\"'<>]+(/[^\s\"'<>]*)?$")
FREE_TEXT = ("plugin_name", "description", "author_name")
# Written so that no Jinja tag opens in this file, which cookiecutter renders as a template.
JINJA_MARKUP = re.compile(r"\{[%#{]")
# Jinja's raw tags, spelled in two parts for the same reason.
RAW_OPEN, RAW_CLOSE = "{" + "% raw %" + "}", "{" + "% endraw %" + "}"


def fail(message):
    print(f"Error: {message}", file=sys.stderr)
    sys.exit(1)


def version_tuple(text):
    return tuple(int(part) for part in text.split(".")[:3])


def check_free_text(field, value):
    if not value.strip():
        fail(f"{field} is empty; type a few words.")
    if any(unicodedata.category(char) == "Cc" for char in value):
        fail(f"{field} contains a line break or another control character; type it on one line.")


def check_module_name(name):
    example = f"{HOST['pypi_name']}_my_plugin"
    if name == f"{HOST_NAME}_":  # what an empty slug of plugin_name leaves
        fail(
            f"plugin_name {ANSWERS['plugin_name']!r} has no letters or digits to name the module after; "
            f"type module_name and plugin_slug yourself, such as '{example}'."
        )
    if len(name) > MAX_MODULE_NAME:
        fail(f"module_name {name!r} is longer than {MAX_MODULE_NAME} characters; type a shorter one.")
    if not MODULE_NAME.match(name):
        fail(f"module_name {name!r} is not a lowercase Python identifier; type something like '{example}'.")
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        fail(f"module_name {name!r} is a Python keyword; type a longer name such as '{HOST['pypi_name']}_{name}'.")
    reserved = set(sys.stdlib_module_names) | {"django", "tests", "test", "tools", ANSWERS["_toolkit"]["module"]}
    reserved |= set(HOST["reserved_names"])
    if name in reserved:
        fail(
            f"module_name {name!r} is already taken by Python, Django or {HOST_NAME}; "
            f"type a name of your own such as '{HOST['pypi_name']}_{name}'."
        )


def check_plugin_slug(slug):
    if not DISTRIBUTION_NAME.match(slug):
        fail(
            f"plugin_slug {slug!r} is not a valid distribution name; "
            f"type lowercase letters and digits joined by dashes, such as '{HOST['pypi_name']}-my-plugin'."
        )


def check_min_host_version(text):
    oldest = HOST["lines"][0]["from"]
    newest = HOST["newest"]["version"]
    try:
        version = version_tuple(text)
    except ValueError:
        version = None
    if version is None or not version_tuple(oldest) <= version <= version_tuple(newest):
        fail(f"min_host_version {text!r} is not a {HOST_NAME} release from {oldest} to {newest}; type e.g. {oldest}.")


def check_category(category):
    if HOST["categories"] and category not in HOST["categories"]:
        fail(f"category {category!r} is not one of {', '.join(HOST['categories'])}; type one of those.")
    if not HOST["categories"] and category:
        print(f"Note: {HOST_NAME} has no plugin categories; the category {category!r} is not used.")


def check_parts(text):
    offered = list(HOST["parts"])
    choices = f"type any of {', '.join(offered)}, separated by commas, or leave it empty"
    # The same split as the templates' __parts, so both read the answer alike.
    chosen = ANSWERS["__parts"].split()
    for part in chosen:
        if part in HOST["parts_not_offered"]:
            fail(f"parts: {part!r} is not offered for {HOST_NAME}: {HOST['parts_not_offered'][part]}; {choices}.")
        if part not in offered:
            fail(f"parts: {part!r} is not a part that {HOST_NAME} offers; {choices}.")
    if text.strip() and not chosen:
        fail(f"parts {text!r} names no part; {choices}.")


def check_not_evaluated(field):
    """Refuse text that cookiecutter evaluated as a Jinja template before this hook ran.

    cookiecutter renders values given on its command line (and in a user config) as templates;
    answers typed at the prompts are never rendered. The evaluation cannot be undone here, but
    the project must not be generated from text the user did not write.
    """
    raw = RAW_ANSWERS.get(field)
    if not isinstance(raw, str) or raw == ANSWERS[field] or not JINJA_MARKUP.search(raw):
        return
    # The template's own defaults are expressions over the other answers ("cookiecutter.…").
    if "cookiecutter." in raw or raw == RAW_OPEN + ANSWERS[field] + RAW_CLOSE:
        return
    fail(
        f"{field} was given on the command line with template markup, which cookiecutter evaluates; "
        f"type it at the prompt instead, or wrap it in {RAW_OPEN}...{RAW_CLOSE}."
    )


def main():
    for field in FREE_TEXT:
        check_not_evaluated(field)
        check_free_text(field, ANSWERS[field])
    for field in ("author_email", "repository_url"):
        check_not_evaluated(field)
    check_module_name(ANSWERS["module_name"])
    check_plugin_slug(ANSWERS["plugin_slug"])
    check_min_host_version(ANSWERS["min_host_version"])
    check_category(ANSWERS["category"])
    check_parts(ANSWERS["parts"])
    email = ANSWERS["author_email"]
    if email and not EMAIL.match(email):
        fail(f"author_email {email!r} is not an e-mail address; type one like 'jane@example.org', or leave it empty.")
    url = ANSWERS["repository_url"]
    if url and not URL.match(url):
        fail(
            f"repository_url {url!r} is not a web address; "
            "type one like 'https://github.com/you/plugin', or leave it empty."
        )


main()
