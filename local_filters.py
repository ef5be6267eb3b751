"""The filters that quote the user's text for the file it lands in, as a Jinja extension that
cookiecutter loads from the template (``_extensions`` in cookiecutter.json).

A module of its own, not part of local_extensions.py: see there why.
"""

import json

from jinja2.ext import Extension


def toml_string(value):
    """A TOML basic string with exactly this text: JSON's escapes are all valid in TOML."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def python_string(value):
    """A Python string literal with exactly this text, quoted as ruff's formatter quotes it:
    double quotes, unless the text has more of them than single quotes."""
    text = value.replace("\\", "\\\\")
    if text.count('"') > text.count("'"):
        return "'" + text.replace("'", "\\'") + "'"
    return '"' + text.replace('"', '\\"') + '"'


class QuotedStrings(Extension):
    """The filters toml_string and python_string, for text the user typed."""

    def __init__(self, environment):
        super().__init__(environment)
        environment.filters["toml_string"] = toml_string
        environment.filters["python_string"] = python_string
