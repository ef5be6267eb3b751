"""hostplugin_toolkit.build, as a plugin's pyproject.toml names it: setuptools' own build backend
run in a subprocess on a small package with one catalog (GNU msgfmt must be installed)."""

import subprocess
import sys
import zipfile

import pytest

PYPROJECT = """
[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "pretix-x"
version = "1.0"

[tool.setuptools.cmdclass]
build = "hostplugin_toolkit.build.Build"
sdist = "hostplugin_toolkit.build.Sdist"

[tool.setuptools.packages.find]
where = ["src"]

[tool.setuptools.package-data]
pretix_x = ["locale/*/LC_MESSAGES/*.po", "locale/*/LC_MESSAGES/*.mo", "templates/**/*"]
"""

CATALOG = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Hello"
msgstr "Hallo"
"""

# What a build frontend does, without one: the backend's hooks, called in a fresh interpreter.
BUILD = """
import sys
from setuptools import build_meta
print(getattr(build_meta, sys.argv[1])(sys.argv[2]))
"""


@pytest.fixture
def project(tmp_path):
    project = tmp_path / "project"
    catalog = project / "src" / "pretix_x" / "locale" / "de" / "LC_MESSAGES" / "django.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text(CATALOG)
    (project / "src" / "pretix_x" / "__init__.py").write_text("")
    (project / "pyproject.toml").write_text(PYPROJECT)
    return project


def build(project, hook, out):
    out.mkdir(exist_ok=True)
    result = subprocess.run(
        [sys.executable, "-c", BUILD, hook, str(out)], cwd=project, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out / result.stdout.splitlines()[-1]


def test_the_wheel_and_the_sdist_carry_the_compiled_catalog(project, tmp_path):
    wheel = build(project, "build_wheel", tmp_path / "dist")
    assert "pretix_x/locale/de/LC_MESSAGES/django.mo" in zipfile.ZipFile(wheel).namelist()
    sdist = build(project, "build_sdist", tmp_path / "dist")
    result = subprocess.run(["tar", "tzf", str(sdist)], capture_output=True, text=True, check=True)
    assert "pretix_x-1.0/src/pretix_x/locale/de/LC_MESSAGES/django.mo" in result.stdout.splitlines()


def test_a_deleted_template_and_a_deleted_catalog_leave_the_next_wheel(project, tmp_path):
    template = project / "src" / "pretix_x" / "templates" / "pretix_x" / "old.html"
    template.parent.mkdir(parents=True)
    template.write_text("old")
    build(project, "build_wheel", tmp_path / "first")
    template.unlink()
    (project / "src" / "pretix_x" / "locale" / "de" / "LC_MESSAGES" / "django.po").unlink()
    names = zipfile.ZipFile(build(project, "build_wheel", tmp_path / "second")).namelist()
    assert not [name for name in names if name.endswith((".html", ".mo", ".po"))], names
