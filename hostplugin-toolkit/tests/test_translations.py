"""`hostplugin translations` on a package of its own: Django's makemessages and GNU msgfmt run
for real (gettext must be installed)."""

import os
import sys
from pathlib import Path

import pytest

from hostplugin_toolkit import translations
from hostplugin_toolkit.plugin import Plugin

CATALOG = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: de\\n"

#: views.py
msgid "Hello"
msgstr "Hallo"
"""


@pytest.fixture
def package(tmp_path):
    package = tmp_path / "src" / "pretix_x"
    (package / "locale" / "de" / "LC_MESSAGES").mkdir(parents=True)
    (package / "views.py").write_text('from django.utils.translation import gettext as _\n\n_("Hello")\n')
    (package / "locale" / "de" / "LC_MESSAGES" / "django.po").write_text(CATALOG)
    return package


def test_a_catalog_that_matches_the_code_passes(package):
    assert list(translations.problems(package)) == []


def test_a_new_message_and_a_stale_one_are_named(package):
    (package / "views.py").write_text('from django.utils.translation import gettext as _\n\n_("Goodbye")\n')
    found = list(translations.problems(package))
    assert any("lacks 1 message(s) of the code: ['Goodbye']" in line for line in found), found
    assert any("holds 1 message(s) that nothing uses: ['Hello']" in line for line in found), found


def test_a_broken_placeholder_does_not_compile(package):
    catalog = package / "locale" / "de" / "LC_MESSAGES" / "django.po"
    (package / "views.py").write_text('from django.utils.translation import gettext as _\n\n_("Hi %(name)s")\n')
    broken = '#: views.py\n#, python-format\nmsgid "Hi %(name)s"\nmsgstr "Hallo %(nom)s"'
    catalog.write_text(CATALOG.replace('#: views.py\nmsgid "Hello"\nmsgstr "Hallo"', broken))
    found = list(translations.problems(package))
    assert any("does not compile" in line for line in found), found


def test_a_plugin_without_catalogs_is_told_how_to_start_one(tmp_path, capsys):
    package = tmp_path / "src" / "pretix_x"
    package.mkdir(parents=True)
    translations.main(Plugin(root=tmp_path, host="pretix", module="pretix_x"))
    assert "tox -e makemessages -- --locale de" in capsys.readouterr().out


def test_makemessages_updates_every_catalog_and_starts_a_named_one(package, monkeypatch):
    # `tox -e makemessages` and `tox -e makemessages -- --locale fr`: Django ignores --locale
    # next to --all, so a named language must come without it.
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent), prepend=os.pathsep)
    plugin = Plugin(root=package.parent.parent, host="pretix", module="pretix_x")
    (package / "views.py").write_text('from django.utils.translation import gettext as _\n\n_("Hello")\n_("Bye")\n')
    for argv in ([], ["--locale", "fr"]):
        with pytest.raises(SystemExit) as exit:
            translations.makemessages(argv, plugin)
        assert exit.value.code == 0
    for language in ("de", "fr"):
        catalog = package / "locale" / language / "LC_MESSAGES" / "django.po"
        assert translations.messages(catalog) == {"Hello", "Bye"}, language


def with_a_javascript_catalog(package, message):
    (package / "static" / "pretix_x").mkdir(parents=True, exist_ok=True)
    (package / "static" / "pretix_x" / "editor.js").write_text(f'alert(gettext("{message}"));\n')
    catalog = CATALOG.replace("#: views.py", "#: static/pretix_x/editor.js").replace('"Hello"', '"Copy"')
    (package / "locale" / "de" / "LC_MESSAGES" / "djangojs.po").write_text(catalog.replace('"Hallo"', '"Kopieren"'))


def test_a_javascript_catalog_is_checked_against_the_scripts(package):
    with_a_javascript_catalog(package, "Copy")
    assert list(translations.problems(package)) == []
    with_a_javascript_catalog(package, "Paste")
    found = list(translations.problems(package))
    assert any("djangojs.po lacks 1 message(s) of the code: ['Paste']" in line for line in found), found
    assert any("djangojs.po holds 1 message(s) that nothing uses: ['Copy']" in line for line in found), found


def test_makemessages_updates_the_javascript_catalogs_too(package, monkeypatch):
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent), prepend=os.pathsep)
    with_a_javascript_catalog(package, "Paste")
    with pytest.raises(SystemExit) as exit:
        translations.makemessages([], Plugin(root=package.parent.parent, host="pretix", module="pretix_x"))
    assert exit.value.code == 0
    assert translations.messages(package / "locale" / "de" / "LC_MESSAGES" / "djangojs.po") == {"Paste"}
    assert translations.messages(package / "locale" / "de" / "LC_MESSAGES" / "django.po") == {"Hello"}
