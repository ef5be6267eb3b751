"""Jinja extensions cookiecutter loads from the template itself (``_extensions`` in cookiecutter.json).

cookiecutter imports this module into its own process before it renders anything, which makes it
the one place where the template can shape what cookiecutter prints, and where the templates get
filters that quote the user's text for the file it lands in.
"""

import json
import logging

from jinja2.ext import Extension


class _DropTracebackOfRefusedAnswer(logging.Filter):
    """cookiecutter 2.7 logs a traceback of its own when the pre-generation hook refuses an
    answer. The hook has already printed the one-line error that says what to type; the traceback
    says nothing more. Other failures (a template error, say) keep theirs."""

    def filter(self, record):
        if record.exc_info and record.exc_info[0].__name__ == "FailedHookException":
            record.exc_info = record.exc_text = None
        return True


class OneLineErrors(Extension):
    """Adds no syntax: it installs the filter above on cookiecutter's hooks logger."""

    def __init__(self, environment):
        super().__init__(environment)
        hooks_logger = logging.getLogger("cookiecutter.hooks")
        if not any(isinstance(f, _DropTracebackOfRefusedAnswer) for f in hooks_logger.filters):
            hooks_logger.addFilter(_DropTracebackOfRefusedAnswer())


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
