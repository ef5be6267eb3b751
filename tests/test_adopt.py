"""`hostplugin adopt` brings the toolkit into plugins laid out as the hosts' own cookiecutters lay
them out: a flat layout, setup.py beside setup.cfg's flake8/isort/pytest sections, a pytest.ini,
the entry point `module:PretixPluginMeta`, a .pot file, names the host has stored, tests inside
the package, a conftest.py with fixtures of its own, migrations written by the host's
makemigrations, and for pretalx no locale/ at all. After the command and the edits its report
names, their own tests and the host contract are green at both ends, and a template update
merges without a conflict."""

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from . import toolkit
from .conftest import GIT_IDENTITY, HOSTS, TEMPLATE, pythons_for, run, tool_env
from .test_updates import NEW_ENV, NOT_COPIED

MODULE = {"pretix": "pretix_oldpages", "pretalx": "pretalx_oldpages"}
# The primary keys each host's makemigrations writes (its DEFAULT_AUTO_FIELD).
AUTO_FIELD = {"pretix": "BigAutoField", "pretalx": "AutoField"}

PO_HEADER = """msgid ""
msgstr ""
"Project-Id-Version: {slug}\\n"
"Language: {language}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"""
MESSAGES = {"Old pages": "Alte Seiten", "Pages, the old way.": "Seiten, wie früher.", "Text": "Text"}

# What each host's cookiecutter writes, as the plugin's author has kept it for years.
PYPROJECT = """[project]
name = "{slug}"
dynamic = ["version"]
description = "Pages, the old way."
readme = "README.rst"
requires-python = ">=3.9"
authors = [{{name = "Ada", email = "ada@example.org"}}]
dependencies = []

[project.entry-points."{group}"]
{module} = "{module}:{meta}"
{build_entry_point}
[build-system]
requires = [{build_requires}]

[project.urls]
homepage = "https://example.org/{slug}"

[tool.setuptools]
include-package-data = true

[tool.setuptools.dynamic]
version = {{attr = "{module}.__version__"}}

[tool.setuptools.packages.find]
include = ["{host}*"]
namespaces = false
"""
SETUP_CFG = """[flake8]
ignore = N802,W503,E402
max-line-length = 160
exclude = migrations,.ropeproject,static,_static,build

[isort]
profile = black
combine_as_imports = true
default_section = THIRDPARTY
include_trailing_comma = true
known_third_party = {host}
known_first_party = {module}
skip = setup.py

[tool:pytest]
DJANGO_SETTINGS_MODULE = {settings}

[coverage:run]
source = {module}
omit = */migrations/*,*/urls.py,*/tests/*

[check-manifest]
ignore =
    .gitlab-ci.yml
    Makefile
    pytest.ini
    tests/*
"""
MAKEFILE = """all: localecompile
LNGS:=`find {module}/locale/ -mindepth 1 -maxdepth 1 -type d -printf "-l %f "`

localecompile:
\tdjango-admin compilemessages

localegen:
\tdjango-admin makemessages --keep-pot -i build -i dist -i "*egg*" $(LNGS)
"""
GITLAB_CI = """pypi:
    script:
        - python -m build
        - twine upload dist/*
    only:
        - pypi
"""
APPS = """from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from . import __version__


class PluginApp(AppConfig):
    name = "{module}"
    verbose_name = "Old pages"

    class {meta}:
        name = _("Old pages")
        author = "Ada"
        description = _("Pages, the old way.")
        visible = True
        version = __version__
        category = "FEATURE"
        compatibility = "{host}>={old_minimum}"

    def ready(self):
        from . import signals  # NOQA
"""
# A model whose migration the host's own makemigrations wrote: no verbose_name, no help_text.
MODELS = """from django.db import models
from django.utils.translation import gettext_lazy as _


class Note(models.Model):
    event = models.ForeignKey("{tenant_model}", on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=200, verbose_name=_("Text"), help_text="Shown on the page.")


def intro(event):
    # Stored under this key for years: renaming it would lose every event's text.
    return event.settings.get("oldpages_intro", default="")
"""
MIGRATION = """from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("{core_app}", "{core_migration}"),
    ]

    operations = [
        migrations.CreateModel(
            name="Note",
            fields=[
                ("id", models.{auto_field}(auto_created=True, primary_key=True, serialize=False)),
                ("text", models.CharField(max_length=200)),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="{tenant_model}"
                    ),
                ),
            ],
        ),
    ]
"""
# The host's own templates that the plugin's pages extend: never the plugin's names to check.
URLS = {
    "pretix": """from django.urls import path

from . import views

urlpatterns = [
    path("control/event/<str:organizer>/<str:event>/oldpages/", views.NotesView.as_view(), name="notes"),
]
""",
}
VIEWS = {
    "pretix": """from django.views.generic import TemplateView
from pretix.control.permissions import EventPermissionRequiredMixin

from .models import intro


class NotesView(EventPermissionRequiredMixin, TemplateView):
    template_name = "{module}/notes.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(intro=intro(self.request.event), **kwargs)
""",
}
NOTES_TEMPLATE = {
    "pretix": '{% extends "pretixcontrol/event/base.html" %}{% load i18n %}'
    '{% block content %}<h1>{% trans "Old pages" %}</h1><p>{{ intro }}</p>{% endblock %}\n',
}
SIGNALS = """from django.core.signals import request_finished
from django.dispatch import receiver


@receiver(request_finished, dispatch_uid="{module}_request_finished")
def request_finished_receiver(sender, **kwargs):
    pass
"""
# Its own conftest.py: an `event` fixture of its own, which means something else than the
# toolkit's, and wins.
CONFTEST = {
    "pretix": """import pytest
from django.utils.timezone import now
from django_scopes import scopes_disabled
from pretix.base.models import Event, Organizer, Team, User


@pytest.fixture
def event():
    with scopes_disabled():
        o = Organizer.objects.create(name="Old", slug="old")
        return Event.objects.create(organizer=o, name="Old event", slug="oldevent", date_from=now(), plugins="{module}")


@pytest.fixture
def team_client(client, event):
    with scopes_disabled():
        user = User.objects.create_user("old@example.org", "old")
        team = Team.objects.create(organizer=event.organizer, name="Old team", all_events=True)
        team.members.add(user)
    client.force_login(user)
    return client
""",
    "pretalx": """import pytest


@pytest.fixture
def event():
    return "the plugin's own event"
""",
}
TESTS = {
    "pretix": """import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from {module}.models import Note


@pytest.mark.django_db
def test_the_notes_page_shows_the_stored_intro(team_client, event):
    assert event.slug == "oldevent"  # this conftest's event, not the toolkit's
    event.settings.set("oldpages_intro", "Welcome back")
    response = team_client.get("/control/event/old/oldevent/oldpages/")
    assert response.status_code == 200
    assert "Welcome back" in response.content.decode()


@pytest.mark.django_db
def test_no_migration_is_missing(settings):
    # As pretix's own tests check it: its makemigrations, by name, which patches Django's fields
    # for the rest of the run (the contract's check after it must hold). The migrations are on
    # for this test: the toolkit's test settings leave them out.
    settings.MIGRATION_MODULES = {{}}
    call_command("makemigrations", "{module}", "--check", "--dry-run")


@pytest.mark.django_db
def test_a_note_belongs_to_an_event(event):
    with scopes_disabled():
        assert Note.objects.create(event=event, text="Hello").event == event
""",
    "pretalx": """from django.apps import apps


def test_the_plugins_own_event_fixture_wins(event):
    assert event == "the plugin's own event"


def test_the_meta_names_the_plugin():
    assert str(apps.get_app_config("{module}").PretalxPluginMeta.name) == "Old pages"
""",
}


# What `tox -e serve` and the install check do with the demo data adopt wrote, inside the test
# database: every page it returns shows its text. Put into the plugin's tests by this test only.
DEMO_CHECK = """import pytest
from django.contrib.auth import get_user_model

from tests.demo import create


@pytest.mark.django_db
def test_the_demo_pages_show_their_text(client):
    site = create("http://testserver")
    email = next(value for key, value in site["login"]["form"].items() if "email" in key)
    client.force_login(get_user_model().objects.get(email=email))
    for page in site["pages"]:
        response = client.get(page["url"], follow=True)
        assert response.status_code == 200 and page["expect"] in response.content.decode()
"""


def official_layout(folder, host):
    """A plugin as the host's cookiecutter made it (pretalx's without any locale/), committed."""
    facts, module = HOSTS[host], MODULE[host]
    slug = module.replace("_", "-")
    core_app, core_migration = facts["core_migration"]
    oldest = facts["lines"][0]["from"]
    values = {
        "host": host,
        "module": module,
        "slug": slug,
        "meta": facts["meta_class"],
        "group": facts["entry_point_group"],
        "settings": facts["test_settings"],
        "tenant_model": facts["tenant_model"],
        "core_app": core_app,
        "core_migration": core_migration,
        "auto_field": AUTO_FIELD[host],
        # Older than any line the toolkit supports: adopt says what to raise it to.
        "old_minimum": f"{int(oldest.split('.')[0]) - 1}.1.0",
    }
    if host == "pretix":
        values["build_requires"] = '"setuptools", "pretix-plugin-build"'
        values["build_entry_point"] = (
            '\n[project.entry-points."distutils.commands"]\nbuild = "pretix_plugin_build.build:CustomBuild"\n'
        )
    else:
        values["build_requires"] = '"setuptools"'
        values["build_entry_point"] = ""
    files = {
        "pyproject.toml": PYPROJECT.format(**values),
        "setup.py": "from setuptools import setup\n\nsetup()\n",
        "setup.cfg": SETUP_CFG.format(**values),
        "pytest.ini": f"[pytest]\nDJANGO_SETTINGS_MODULE={facts['test_settings']}\n",
        "MANIFEST.in": f"recursive-include {module}/static *\nrecursive-include {module}/templates *\n"
        + (f"recursive-include {module}/locale *\n" if host == "pretix" else ""),
        "Makefile": MAKEFILE.format(**values),
        ".gitlab-ci.yml": GITLAB_CI,
        "README.rst": "Old pages\n=========\n\nPages, the old way.\n",
        "LICENSE": "Apache License 2.0\n",
        ".gitignore": "*.pyc\n",
        f"{module}/__init__.py": '__version__ = "1.0.0"\n',
        f"{module}/apps.py": APPS.format(**values),
        f"{module}/models.py": MODELS.format(**values),
        f"{module}/migrations/__init__.py": "",
        f"{module}/migrations/0001_initial.py": MIGRATION.format(**values),
        f"{module}/signals.py": SIGNALS.format(**values),
        f"{module}/templates/{module}/.gitkeep": "",
        f"{module}/static/{module}/.gitkeep": "",
        f"{module}/tests/__init__.py": "",
        f"{module}/tests/conftest.py": CONFTEST[host].format(**values),
        f"{module}/tests/test_main.py": TESTS[host].format(**values),
    }
    if host in URLS:
        files[f"{module}/urls.py"] = URLS[host]
        files[f"{module}/views.py"] = VIEWS[host].format(**values)
        files[f"{module}/templates/{module}/notes.html"] = NOTES_TEMPLATE[host]
    if host == "pretix":
        entries = "".join(f'\n#: {module}\nmsgid "{msgid}"\nmsgstr ""\n' for msgid in MESSAGES)
        files[f"{module}/locale/django.pot"] = PO_HEADER.format(slug=slug, language="") + entries
        for language in facts["catalogs"]:
            translated = "".join(
                f'\n#: {module}\nmsgid "{msgid}"\nmsgstr "{text}"\n' for msgid, text in MESSAGES.items()
            )
            catalog = folder / module / "locale" / language / "LC_MESSAGES" / "django.po"
            files[str(catalog.relative_to(folder))] = PO_HEADER.format(slug=slug, language=language) + translated
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return module


@pytest.fixture
def template_repo(tmp_path):
    repo = Path(shutil.copytree(TEMPLATE, tmp_path / "template", ignore=shutil.ignore_patterns(*NOT_COPIED)))
    env = tool_env() | GIT_IDENTITY
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "A"]):
        run(["git", *command], cwd=repo, env=env)
    return repo


def hostplugin(*args, cwd, env, check=True):
    """The toolkit's command from this checkout, in this interpreter (cookiecutter, cruft and tox
    are here); PYTHONPATH reaches only this process, not the tox envs it starts."""
    command_env = env | {"PYTHONPATH": str(toolkit.PACKAGE / "src")}
    return run([sys.executable, "-m", "hostplugin_toolkit", *args], cwd=cwd, env=command_env, check=check)


def named_setting(report):
    """The [tool.hostplugin-toolkit] lines that the report says to add."""
    found = re.search(r"^ +(\[tool\.hostplugin-toolkit\])\n +(stored-names = .*)$", report, flags=re.MULTILINE)
    return f"\n{found.group(1)}\n{found.group(2)}\n" if found else ""


@pytest.mark.parametrize("host", ["pretix", "pretalx"])
def test_a_plugin_laid_out_as_the_hosts_cookiecutter_adopts_the_toolkit(template_repo, tmp_path, host):
    env = tool_env(pythons_for(host)) | GIT_IDENTITY
    plugin = tmp_path / "plugin"
    plugin.mkdir()
    module = official_layout(plugin, host)
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "Made years ago"]):
        run(["git", *command], cwd=plugin, env=env)
    adopt = ["adopt", "--template", str(template_repo), "--checkout", "main"]

    preview = hostplugin(*adopt, "--preview", cwd=plugin, env=env).stdout
    assert "Nothing was written" in preview
    assert run(["git", "status", "--porcelain"], cwd=plugin, env=env).stdout == ""

    report = hostplugin(*adopt, cwd=plugin, env=env).stdout
    oldest = HOSTS[host]["lines"][0]["from"]
    # What it read, replaced and left alone.
    assert f"min_host_version '{oldest}'" in report and "plugin_name 'Old pages'" in report
    assert f'raise the declaration to "{host}>={oldest}"' in report
    assert "pytest.ini -> [tool.pytest.ini_options] in pyproject.toml" in report
    assert "setup.cfg [flake8] -> tox -e lint" in report and "setup.cfg [coverage:run]: yours, kept" in report
    assert "Makefile: its localecompile is the build's job now" in report
    assert ".gitlab-ci.yml: a GitLab job" in report
    # The plugin's own code, tests and layout stay; its tests are found inside the package.
    assert not (plugin / "src").exists() and (plugin / module / "tests" / "test_main.py").is_file()
    assert not (plugin / "pytest.ini").exists() and (plugin / "setup.py").is_file()
    pyproject = (plugin / "pyproject.toml").read_text()
    assert f'testpaths = ["{module}/tests"]' in pyproject
    # Its own tests pass inside the oldest host, with the host contract; what fails is sorted.
    assert re.search(r"^(\d+) of \1 tests pass|^\d+ of \d+ tests pass", report, flags=re.MULTILINE), report
    assert "of your tests fail" not in report and "drift" not in report, report
    assert "Tell the toolkit:" in report and 'stored-names = ["oldpages_intro"]' in report, report
    assert "translation catalogs are behind" not in report and "tox -e lint fails" not in report, report

    # The edits the report names, and nothing else.
    with (plugin / "pyproject.toml").open("a") as pyproject_file:
        pyproject_file.write(named_setting(report))
    if "The package does not build" in report:
        # pretix-plugin-build needs Python 3.11 (tomllib); pretix's oldest line runs on 3.10.
        assert 'write "hostplugin-toolkit>=0.1.0" for "pretix-plugin-build"' in report
        text = (plugin / "pyproject.toml").read_text()
        text = text.replace('"pretix-plugin-build"', '"hostplugin-toolkit>=0.1.0"')
        text = re.sub(r'\[project\.entry-points\."distutils\.commands"\]\n.*\n', "", text)
        text += "\n[tool.setuptools.cmdclass]\n"
        text += 'build = "hostplugin_toolkit.build.Build"\nsdist = "hostplugin_toolkit.build.Sdist"\n'
        (plugin / "pyproject.toml").write_text(text)
    run(["git", "add", "-A"], cwd=plugin, env=env)
    run(["git", "commit", "-q", "-m", "Adopt the toolkit"], cwd=plugin, env=env)
    (plugin / module / "tests" / "test_demo_site.py").write_text(DEMO_CHECK)

    envs = f"{host}-min,{host}-newest,package,translations,lint"
    result = run([sys.executable, "-m", "tox", "run", "-e", envs], cwd=plugin, env=env, check=False)
    output = result.stdout + result.stderr
    summary = [line for line in output.splitlines() if re.match(r"^  [\w.-]+: (OK|FAIL)", line)]
    assert result.returncode == 0, "\n".join([*summary, result.stdout[-6000:]])
    # Its own tests ran at both ends, beside the contract.
    assert output.count("test_main.py") >= 2 or output.count(" passed") >= 3, output[-3000:]
    (plugin / module / "tests" / "test_demo_site.py").unlink()

    # Mutations: each of the two cases lets through only what it should. A column the
    # migration lacks is drift, the host's way too; a stored key no longer listed is flagged.
    migration = plugin / module / "migrations" / "0001_initial.py"
    migration.write_text(re.sub(r'\n +\("text", models\.CharField\(max_length=200\)\),', "", migration.read_text()))
    pyproject_text = (plugin / "pyproject.toml").read_text()
    (plugin / "pyproject.toml").write_text(
        pyproject_text.replace('stored-names = ["oldpages_intro"]', "stored-names = []")
    )
    contract = ["-k", "test_the_migrations_match_the_models or test_names_shared_with_the_host"]
    mutated = run(
        [sys.executable, "-m", "tox", "run", "-e", f"{host}-min", "--", *contract], cwd=plugin, env=env, check=False
    )
    assert "2 failed" in mutated.stdout and "Add field text to note" in mutated.stdout, mutated.stdout[-4000:]
    assert "settings key 'oldpages_intro' in models.py" in mutated.stdout, mutated.stdout[-4000:]
    run(["git", "checkout", "--", "."], cwd=plugin, env=env)

    # A later template change to files the plugin shares with the template merges cleanly.
    repo_env = tool_env() | GIT_IDENTITY
    plugin_template = template_repo / "{{cookiecutter.plugin_slug}}"
    with (plugin_template / "tox.toml").open("a") as tox_config:
        tox_config.write(NEW_ENV)
    pyproject_template = plugin_template / "pyproject.toml"
    changed = pyproject_template.read_text().replace('lint = ["ruff==', 'lint = [\n    # newer\n    "ruff==', 1)
    assert changed != pyproject_template.read_text()
    pyproject_template.write_text(changed)
    run(["git", "commit", "-q", "-am", "B"], cwd=template_repo, env=repo_env)
    hostplugin("update", cwd=plugin, env=env)
    assert "[env.template-news]" in (plugin / "tox.toml").read_text()
    merged = (plugin / "pyproject.toml").read_text()
    assert '    # newer\n    "ruff==' in merged and 'stored-names = ["oldpages_intro"]' in merged
    assert not list(plugin.rglob("*.rej")) and "<<<<<<<" not in merged
    assert (
        json.loads((plugin / ".cruft.json").read_text())["commit"]
        == run(["git", "rev-parse", "HEAD"], cwd=template_repo, env=repo_env).stdout.strip()
    )


def test_an_adoption_that_cannot_write_leaves_the_plugin_as_it_was(template_repo, tmp_path):
    # A file where the template's workflows go: one line, and nothing half-written.
    env = tool_env() | GIT_IDENTITY
    plugin = tmp_path / "plugin"
    plugin.mkdir()
    official_layout(plugin, "pretalx")
    (plugin / ".github").write_text("not a folder\n")
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "Made years ago"]):
        run(["git", *command], cwd=plugin, env=env)
    result = hostplugin(
        "adopt", "--template", str(template_repo), "--checkout", "main", cwd=plugin, env=env, check=False
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("hostplugin adopt: ") and line.endswith("nothing was changed."), line
    assert run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=plugin, env=env).stdout == ""
