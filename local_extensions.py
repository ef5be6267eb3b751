"""Jinja extensions cookiecutter loads from the template itself (``_extensions`` in cookiecutter.json).

cookiecutter imports this module into its own process before it renders anything, which makes it
the one place where the template can shape what cookiecutter prints.

Add a new extension in a module of its own (as local_filters.py): `cruft update` renders the
plugin's old template commit and then the new one in the same process, and Python keeps the
module it imported first, so an attribute added to this module later would be missing.
"""

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
