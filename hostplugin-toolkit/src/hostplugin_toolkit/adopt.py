"""Bring the toolkit into a plugin that was not made from the template: `hostplugin adopt`, run in
the plugin's repository (`uvx --from "hostplugin-toolkit[adopt]" hostplugin adopt`).

It reads the plugin's names, meta, entry point, host and minimum host version; renders the
template with those answers and no example; adds the files a generated plugin has that every
plugin keeps unchanged (tox.toml, the workflows, tests/demo.py...) and the toolkit's tables in
pyproject.toml; maps what they replace (pytest.ini, setup.cfg's flake8 and isort sections, a
tox.ini) and names what it leaves alone (a Makefile, a justfile, a Weblate script, a GitLab
job); links the template in .cruft.json, so that `tox -e update` brings its later changes. The
plugin's code and tests stay where they are: a flat layout stays flat.

Then it runs, inside the oldest host release the plugin supports, the plugin's tests with the host
contract, the package build, the catalog check and lint, and sorts what fails into "your plugin"
(with the evidence) and "tell the toolkit" (with the setting to add). `--preview` prints the
report and the diff, and writes nothing; `--no-run` adopts without running anything;
`--min-host-version` names the oldest release where the plugin's declaration is not it.
"""

import argparse
import ast
import configparser
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from . import __version__
from .plugin import TABLE, read, tomllib

TEMPLATE = "https://github.com/django-plugin-cookiecutter/django-plugin-cookiecutter"

# The template's files that every plugin keeps as the template has them: adopt adds these. The
# rest (the package, README, LICENSE, the tests) is the author's, and the plugin has its own.
THIN_FILES = (
    ".cookiecutter.json",
    ".github/dependabot.yml",
    ".github/template-requirements.txt",
    ".github/zizmor.yml",
    ".github/workflows/release.yml",
    ".github/workflows/template-update.yml",
    ".github/workflows/tests.yml",
    ".github/workflows/upstream.yml",
    ".pre-commit-config.yaml",
    "DEVELOPING.md",
    "requirements-dev.txt",
    "tox.toml",
)
# The demo data of `tox -e serve` and the install check. The template's, without the example,
# opens the template's own settings page, which an adopted plugin does not have; this one opens
# the event's front page with the plugin enabled, and is the author's from the start: template
# updates leave it alone (.cruft.json's skip).
DEMO = "tests/demo.py"
DEMO_TEXT = '''"""Demo data: what the development server (`tox -e serve`) and the
install check show of this plugin. The toolkit makes {host}'s side (an
organizer, an event, an admin: hostplugin_toolkit.host.{host}); this file is
yours. It imports nothing of the plugin, so that it also runs in a {host}
that does not have the plugin yet.
"""

from django.apps import apps
from django_scopes import scopes_disabled
from hostplugin_toolkit.host import {host}

PLUGIN = "{module}"


@scopes_disabled()
def create(base_url):
    """Create what is missing of the demo data, enable the plugin if {host}
    has it, and return the login and the pages to open, each with a text that
    shows on it."""
    site = {host}.demo_site(base_url)
    if apps.is_installed(PLUGIN):
        {host}.enable_plugin(site["event"], PLUGIN)
    # Add the pages your plugin adds to, each with a text it puts there
    # ("login": True for a page behind the admin's login).
    pages = [{{"url": site["front_page"], "expect": str(site["event"].name)}}]
    return {{"login": site["login"], "pages": pages}}
'''
# Of those, the ones a plugin's own file of the same name gives way to (its CI becomes the
# template's); of the others, the plugin's own stays.
REPLACED_IF_PRESENT = (".github/workflows/", "requirements-dev.txt")

# setup.cfg sections whose tools the toolkit's envs replace, and where each job went.
SETUP_CFG_SECTIONS = {
    "flake8": "tox -e lint (ruff, [tool.ruff] in pyproject.toml)",
    "isort": "tox -e lint (ruff's I rules)",
    "tool:pytest": "[tool.pytest.ini_options] in pyproject.toml",
    "check-manifest": "tox -e package (check-wheel-contents on the built wheel)",
}
# Files the toolkit does not replace, and what of them the tox envs do.
LEFT_ALONE = {
    "Makefile": "its localecompile is the build's job now, its localegen `tox -e makemessages`",
    "justfile": "its test recipes are `tox -e {host}-min` and `-newest`, fmt/check `tox -e format`/`lint`, "
    "localegen `tox -e makemessages`",
    ".update-locales": "a Weblate script: it still works (it calls `make localegen`)",
    ".update-locales.sh": "a Weblate script: it still works (it calls `make localegen`)",
    ".install-hooks.sh": "git hooks of your own; .pre-commit-config.yaml runs ruff before each commit",
    ".gitlab-ci.yml": "a GitLab job (upload to PyPI): .github/workflows/release.yml publishes from GitHub by "
    "trusted publishing; keep one of the two",
    "pretixplugin.toml": "the pretix team's release file: kept",
}
# Requirements of a plugin's dev or test extra that the toolkit's envs bring or do not need in a
# test run (linters run in `tox -e lint`, packaging in `tox -e package`).
NOT_TEST_REQUIREMENTS = {
    "black",
    "build",
    "check-manifest",
    "djhtml",
    "flake8",
    "isort",
    "pre-commit",
    "pytest",
    "pytest-django",
    "ruff",
    "twine",
    "wheel",
}
BUILD_HELPERS = ("pretix-plugin-build", "pretalx-plugin-build", "hostplugin-toolkit")


def git(*args, cwd, check=True):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=check).stdout


# -- Reading the plugin ------------------------------------------------------------------------


def literal(node):
    """A meta attribute's text: a string, or a string inside gettext_lazy() / _()."""
    if isinstance(node, ast.Call) and node.args:
        node = node.args[0]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def read_meta(package, meta_class):
    """The attributes of the plugin's meta class that are plain text, read without importing."""
    for source in (package / "apps.py", package / "__init__.py"):
        if not source.is_file():
            continue
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name == meta_class:
                return {
                    target.id: literal(statement.value)
                    for statement in node.body
                    if isinstance(statement, ast.Assign)
                    for target in statement.targets
                    if isinstance(target, ast.Name) and literal(statement.value) is not None
                }
    return {}


def version_tuple(text):
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def declared_minimum(host, meta, project):
    """The oldest host release the plugin says it supports: the meta's compatibility, or a
    requirement on the host in its dependencies; None where it says nothing."""
    for requirement in [meta.get("compatibility") or "", *project.get("dependencies", [])]:
        found = re.match(rf"\s*{host}\s*>=\s*(\d+\.\d+(?:\.\d+)?)", requirement)
        if found:
            return found.group(1)
    return None


def answers_for(plugin, data, meta, defaults, chosen_minimum=None):
    """The template's answers that describe this plugin, and notes on the choices made."""
    facts, project = plugin.facts, data.get("project", {})
    notes = []
    oldest, newest = facts["lines"][0]["from"], facts["newest"]["version"]
    minimum = chosen_minimum or declared_minimum(plugin.host, meta, project)
    if chosen_minimum and not version_tuple(oldest) <= version_tuple(chosen_minimum) <= version_tuple(newest):
        sys.exit(f"--min-host-version {chosen_minimum}: type a {plugin.host} release from {oldest} to {newest}.")
    if minimum is None:
        minimum = oldest
        notes.append(f"No minimum {plugin.host} declared: the tests run from the oldest supported, {oldest}.")
    elif version_tuple(minimum) < version_tuple(oldest):
        notes.append(
            f"Your plugin declares {plugin.host}>={minimum}; the toolkit tests from {oldest}, the oldest "
            f'{plugin.host} it supports: raise the declaration to "{plugin.host}>={oldest}".'
        )
        minimum = oldest
    elif version_tuple(minimum) > version_tuple(newest):
        minimum = newest
    minimum = ".".join(str(part) for part in (*version_tuple(minimum), 0, 0)[:3])
    # The -min env runs on the Python of the minimum's line: one the plugin must accept.
    floor = re.search(r">=\s*(3\.\d+)", project.get("requires-python", ""))
    line = [line for line in facts["lines"] if version_tuple(line["from"]) <= version_tuple(minimum)][-1]
    if floor and version_tuple(line["python"]) < version_tuple(floor.group(1)):
        later = [
            line
            for line in facts["lines"]
            if version_tuple(line["python"]) >= version_tuple(floor.group(1))
            and version_tuple(line["from"]) > version_tuple(minimum)
        ]
        if later:
            notes.append(
                f"Your plugin requires Python >={floor.group(1)}, and the toolkit runs {plugin.host} {minimum} on "
                f"Python {line['python']}: the tests start at {plugin.host} {later[0]['from']} (Python "
                f"{later[0]['python']}). Lower requires-python to test {minimum}."
            )
            minimum = later[0]["from"]
    authors = project.get("authors") or [{}]
    urls = {key.lower(): value for key, value in project.get("urls", {}).items()}
    repository = next((urls[key] for key in ("repository", "source", "homepage") if key in urls), "")
    repository = repository.removesuffix(".git")
    license_text = project.get("license") if isinstance(project.get("license"), str) else ""
    licenses = defaults["license"]
    category = meta.get("category", "")
    if facts["categories"] and category not in facts["categories"]:
        category = facts["categories"][0]
    answers = {
        "host": plugin.host,
        "example": "no",
        "plugin_name": meta.get("name") or plugin.module,
        "plugin_slug": plugin.distribution or plugin.module.replace("_", "-"),
        "module_name": plugin.module,
        "description": project.get("description") or meta.get("description") or plugin.module,
        "author_name": authors[0].get("name") or meta.get("author") or "",
        "author_email": authors[0].get("email", ""),
        "repository_url": repository if re.match(r"^https?://", repository) else "",
        "license": license_text if license_text in licenses else licenses[0],
        "category": category if facts["categories"] else "",
        "min_host_version": minimum,
        "parts": "",
    }
    return answers, notes


# -- pyproject.toml as text: the plugin's file keeps its own formatting and comments -----------


def toml_tables(text):
    """The text as [(header, block)], each block with the comments above its header; the header
    of the text before the first table is ''."""
    blocks, current, pending = [], ["", []], []
    for line in text.splitlines(keepends=True):
        header = re.match(r"^\[\[?([^\]]+)\]\]?\s*(#.*)?$", line)
        if header:
            blocks.append((current[0], "".join(current[1])))
            current = [header.group(1).strip(), [*pending, line]]
            pending = []
        elif line.startswith("#") or not line.strip():
            pending.append(line)
        else:
            current[1] += [*pending, line]
            pending = []
    current[1] += pending
    blocks.append((current[0], "".join(current[1])))
    return [(header, block) for header, block in blocks if header or block.strip()]


def table_key(block, key):
    return re.search(rf"^{re.escape(key)}\s*=", block, flags=re.MULTILINE) is not None


def set_table_key(block, key, value):
    """The block with `key = value`, replacing the key's value (an array over several lines too)
    or adding the key after the header."""
    line = f"{key} = {value}\n"
    if table_key(block, key):
        one_line = rf"^{re.escape(key)}\s*=(?![ \t]*\[[ \t]*(?:#.*)?$).*\n"
        several = rf"^{re.escape(key)}\s*=[ \t]*\[[ \t]*(?:#.*)?\n(?:.*\n)*?\][ \t]*\n"
        return re.sub(f"{one_line}|{several}", lambda _: line, block, count=1, flags=re.MULTILINE)
    header_end = block.index("]\n", block.index("[")) + 2
    return block[:header_end] + line + block[header_end:]


def insert_table(tables, header, block, order):
    """Insert the template's table where the template has it: after the nearest table before it
    in the template's order that the plugin's file has too. A template update
    merges line by line, three ways: a table elsewhere than in the template reads as deleted
    there, and the template's next change to it would conflict."""
    earlier = order[: order.index(header)] if header in order else []
    present = [index for index, (name, _) in enumerate(tables) if name in earlier]
    # After the last table that precedes it, and after that table's own subtables; the template's
    # first table first, after the text before any table.
    position = len(tables)
    if header in order and not present:
        position = 1 if tables and tables[0][0] == "" else 0
    if present:
        anchor = tables[present[-1]][0]
        position = present[-1] + 1
        while position < len(tables) and tables[position][0].startswith(f"{anchor}."):
            position += 1
    tables.insert(position, (header, block))


def toml_value(value):
    return json.dumps(value)


def config_list(text):
    return [item for item in re.split(r"[,\s]+", text or "") if item]


def ruff_tables_from(style):
    """[tool.ruff] tables that check what setup.cfg's flake8 and isort checked: flake8's default
    rules (pycodestyle's errors and warnings, pyflakes) at its line length, with its ignores and
    excludes; isort's order only where it sorted as black does (ruff sorts that way)."""
    flake8, isort = style.get("flake8", {}), style.get("isort", {})
    # The pycodestyle and pyflakes rules ruff has outside preview; W503/W504 it has not at all.
    select = ["E4", "E7", "E9", "E501", "F", "W"]
    ignore = [code for code in config_list(flake8.get("ignore")) if re.match(r"^(E[4579]\d\d|F\d+|W[1-6]\d\d)$", code)]
    ignore = [code for code in ignore if code not in ("W503", "W504")]
    sorts_as_black = isort.get("profile") == "black" or isort.get("multi_line_output") == "3"
    if sorts_as_black:
        select.append("I")
    lines = [
        "# From the [flake8] and [isort] sections `hostplugin adopt` took out of setup.cfg: the rules they",
        "# checked, so that tox -e lint passes where they passed. Select more when you are ready.",
        "[tool.ruff]",
        f"line-length = {int(flake8.get('max-line-length', 79))}",
    ]
    if config_list(flake8.get("exclude")):
        lines.append(f"extend-exclude = {toml_value(config_list(flake8.get('exclude')))}")
    tables = [("tool.ruff", "\n".join(lines) + "\n")]
    lint = ["[tool.ruff.lint]", f"select = {toml_value(select)}"]
    if ignore:
        lint.append(f"ignore = {toml_value(ignore)}")
    tables.append(("tool.ruff.lint", "\n".join(lint) + "\n"))
    if sorts_as_black:
        options = ["[tool.ruff.lint.isort]"]
        if isort.get("combine_as_imports", "").lower() == "true":
            options.append("combine-as-imports = true")
        for key in ("known_first_party", "known_third_party"):
            if config_list(isort.get(key)):
                options.append(f"{key.replace('_', '-')} = {toml_value(config_list(isort.get(key)))}")
        tables.append(("tool.ruff.lint.isort", "\n".join(options) + "\n"))
    return tables


# -- Adopting ----------------------------------------------------------------------------------


class Adoption:
    """The changes to one checkout of the plugin, and what the report says of them."""

    def __init__(self, plugin, rendered, folder):
        self.plugin, self.rendered, self.folder = plugin, rendered, folder
        self.flat = plugin.package_dir.parent == plugin.root
        self.added, self.changed, self.replaced, self.left_alone, self.kept = [], [], [], [], []
        # What adopt wrote, for `git add`: never the author's untracked files.
        self.written = [".cruft.json"]
        # setup.cfg's [flake8] and [isort], which the lint settings start from.
        self.style = {}

    def template_text(self, path):
        text = (self.rendered / path).read_text("utf-8")
        if self.flat:
            # A flat layout stays flat: the template's paths into src/ point at the package.
            text = text.replace(f"src/{self.plugin.module}", self.plugin.module).replace("src/*/", "*/")
        return text

    def add_thin_files(self):
        for name in THIN_FILES:
            if not (self.rendered / name).is_file():
                continue
            target = self.folder / name
            if target.exists() and not name.startswith(REPLACED_IF_PRESENT):
                self.kept.append(
                    f"{name}: yours, kept (the template has one too; compare with `git diff` after an update)"
                )
                continue
            if target.exists():
                self.replaced.append((name, "the template's, which runs the tox envs"))
            else:
                self.added.append(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(self.template_text(name), "utf-8")
            self.written.append(name)
        self.add_demo()

    def add_demo(self):
        target = self.folder / DEMO
        if target.exists():
            self.kept.append(f"{DEMO}: yours, kept (`tox -e serve` shows the pages its create() returns)")
            return
        # Hosts whose tenant is an event have a demo event with a front page (byro has none).
        if self.plugin.facts["tenant"] == "event":
            text = DEMO_TEXT.format(host=self.plugin.host, module=self.plugin.module)
        else:
            text = self.template_text(DEMO)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
        self.written.append(DEMO)
        self.added.append(f"{DEMO}: the demo of `tox -e serve`, yours: add your plugin's pages to what it returns")

    def merge_gitignore(self):
        ours = self.folder / ".gitignore"
        mine = ours.read_text("utf-8").splitlines() if ours.exists() else []
        new = [
            line
            for line in self.template_text(".gitignore").splitlines()
            if line.strip() and not line.startswith("#") and line not in mine
        ]
        if new:
            text = "\n".join(mine).rstrip("\n")
            ours.write_text(f"{text}\n\n# The toolkit's (hostplugin adopt)\n" + "\n".join(new) + "\n", "utf-8")
            self.changed.append(f".gitignore: {len(new)} lines of the template's")
            self.written.append(".gitignore")

    def test_folders(self):
        found = []
        for folder in (
            self.folder / "tests",
            self.folder / self.plugin.package_dir.relative_to(self.plugin.root) / "tests",
        ):
            if any(folder.glob("test*.py")) or (folder / "conftest.py").is_file():
                found.append(folder.relative_to(self.folder).as_posix())
        return found or ["tests"]

    def pytest_options(self):
        """The pytest settings of pytest.ini and setup.cfg's [tool:pytest], which pytest would
        read before pyproject.toml's; the files lose them."""
        options = {}
        ini = self.folder / "pytest.ini"
        if ini.is_file():
            parser = configparser.ConfigParser(interpolation=None)
            parser.read_string(ini.read_text("utf-8"))
            if parser.has_section("pytest"):
                options.update(parser.items("pytest"))
            git("rm", "--quiet", "pytest.ini", cwd=self.folder)
            self.replaced.append(("pytest.ini", "[tool.pytest.ini_options] in pyproject.toml (pytest read it first)"))
        return options

    def clean_setup_cfg(self):
        path = self.folder / "setup.cfg"
        if not path.is_file():
            return {}
        parser = configparser.ConfigParser(interpolation=None)
        parser.read_string(path.read_text("utf-8"))
        options = dict(parser.items("tool:pytest")) if parser.has_section("tool:pytest") else {}
        self.style = {
            section: dict(parser.items(section)) for section in ("flake8", "isort") if parser.has_section(section)
        }
        text, removed = path.read_text("utf-8"), []
        for section, where in SETUP_CFG_SECTIONS.items():
            if parser.has_section(section):
                text = re.sub(rf"^\[{re.escape(section)}\]\n(?:(?!\[).*\n?)*", "", text, flags=re.MULTILINE)
                removed.append(section)
                self.replaced.append((f"setup.cfg [{section}]", where))
        if removed and not text.strip():
            git("rm", "--quiet", "setup.cfg", cwd=self.folder)
        elif removed:
            path.write_text(text, "utf-8")
            self.written.append("setup.cfg")
        remaining = [section for section in parser.sections() if section not in removed]
        if remaining:
            self.kept.append(f"setup.cfg [{'], ['.join(remaining)}]: yours, kept")
        return options

    def remove_tox_ini(self):
        path = self.folder / "tox.ini"
        if path.is_file():
            envs = re.findall(r"^\[testenv:([^\]]+)\]", path.read_text("utf-8"), flags=re.MULTILINE)
            git("rm", "--quiet", "tox.ini", cwd=self.folder)
            self.replaced.append(
                ("tox.ini", f"tox.toml (tox reads tox.ini first); its envs were: {', '.join(envs) or 'testenv'}")
            )

    def extra_test_requirements(self, data):
        project = data.get("project", {})
        extras = project.get("optional-dependencies", {})
        groups = data.get("dependency-groups", {})
        wanted = []
        for name in ("test", "tests", "testing", "dev"):
            for requirement in [*extras.get(name, []), *(r for r in groups.get(name, []) if isinstance(r, str))]:
                base = re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")
                if base not in NOT_TEST_REQUIREMENTS and base != self.plugin.host and requirement not in wanted:
                    wanted.append(requirement)
        return wanted

    def merge_pyproject(self, pytest_options):
        path = self.folder / "pyproject.toml"
        text = path.read_text("utf-8")
        data = tomllib.loads(text)
        tables = toml_tables(text)
        headers = [header for header, _ in tables]
        template_tables = toml_tables(self.template_text("pyproject.toml"))
        template, order = dict(template_tables), [header for header, _ in template_tables]
        notes = []

        # The plugin's own pytest settings stay, under the toolkit's test settings.
        theirs = next((block for header, block in tables if header == "tool.pytest.ini_options"), None)
        pytest_block = template["tool.pytest.ini_options"]
        ours = tomllib.loads(self.template_text("pyproject.toml"))["tool"]["pytest"]["ini_options"]
        pytest_block = set_table_key(pytest_block, "testpaths", toml_value(self.test_folders()))
        carried = dict(data.get("tool", {}).get("pytest", {}).get("ini_options", {}))
        carried.update({key: value for key, value in pytest_options.items()})
        for key, value in carried.items():
            if key.lower() in ("django_settings_module", "testpaths", "pythonpath"):
                continue
            if isinstance(value, str) and key in pytest_options and "\n" in value:
                value = [line.strip() for line in value.splitlines() if line.strip()]
            if key == "addopts":
                extra = shlex.split(value) if isinstance(value, str) else list(value)
                value = ours["addopts"] + [option for option in extra if option not in ours["addopts"]]
            elif key == "filterwarnings":
                # The last matching filter wins: the plugin's own come after the toolkit's.
                value = ours["filterwarnings"] + [line for line in ([value] if isinstance(value, str) else value)]
            pytest_block = set_table_key(pytest_block, key, toml_value(value))
        settings = f"hostplugin_toolkit.settings.{self.plugin.host}"
        if carried.get("DJANGO_SETTINGS_MODULE", pytest_options.get("django_settings_module")) not in (None, settings):
            notes.append("DJANGO_SETTINGS_MODULE: the toolkit's, which adjusts the host's test settings")
        if theirs is not None:
            tables = [
                (header, pytest_block if header == "tool.pytest.ini_options" else block) for header, block in tables
            ]
        else:
            insert_table(tables, "tool.pytest.ini_options", pytest_block, order)
        notes.append("[tool.pytest.ini_options]: the toolkit's settings, your options kept")

        if "dependency-groups" not in headers:
            group = template["dependency-groups"]
            extra = self.extra_test_requirements(data)
            if extra:
                lines = "".join(f'    "{requirement}",  # from your dev/test extra\n' for requirement in extra)
                group = re.sub(
                    r"(^test = \[\n(?:.*\n)*?)(^\])",
                    lambda m: m.group(1) + lines + m.group(2),
                    group,
                    count=1,
                    flags=re.MULTILINE,
                )
            insert_table(tables, "dependency-groups", group, order)
            notes.append(
                "[dependency-groups]: the tox envs' tools"
                + (f", and from your extras: {', '.join(extra)}" if extra else "")
            )
        else:
            notes.append("[dependency-groups]: yours already; add the template's groups by hand (see tox.toml)")

        requires = data.get("build-system", {}).get("requires", [])
        if not any(requirement.startswith(BUILD_HELPERS) for requirement in requires):
            # Nothing compiles the catalogs into the wheel: the toolkit's build does.
            tables = [
                (
                    header,
                    re.sub(r"(requires\s*=\s*\[)", r'\1"hostplugin-toolkit>=0.1.0", ', block, count=1)
                    if header == "build-system"
                    else block,
                )
                for header, block in tables
            ]
            if "build-system" not in headers:
                insert_table(tables, "build-system", template["build-system"], order)
            if "tool.setuptools.cmdclass" not in headers:
                insert_table(tables, "tool.setuptools.cmdclass", template["tool.setuptools.cmdclass"], order)
            notes.append("[build-system]: the toolkit's build compiles the catalogs into the wheel")
        else:
            helper = next(requirement for requirement in requires if requirement.startswith(BUILD_HELPERS))
            self.kept.append(f"pyproject.toml [build-system]: yours, kept ({helper} compiles the catalogs)")

        if not any(header.startswith("tool.ruff") for header in headers) and self.style:
            for header, block in ruff_tables_from(self.style):
                insert_table(tables, header, block, order)
            notes.append("[tool.ruff]: the rules of your setup.cfg's flake8 (and isort), for ruff")
        elif not any(header.startswith("tool.ruff") for header in headers):
            for header in [header for header in order if header.startswith("tool.ruff")]:
                insert_table(tables, header, template[header], order)
            notes.append("[tool.ruff]: the template's lint settings")
        else:
            self.kept.append("pyproject.toml [tool.ruff]: yours, kept (tox -e lint runs ruff with it)")

        text = "\n\n".join(block.strip("\n") for _, block in tables) + "\n"
        path.write_text(text, "utf-8")
        tomllib.loads(text)  # the merge must leave valid TOML
        self.changed.append("pyproject.toml: " + "; ".join(notes))
        self.written.append("pyproject.toml")

    def name_what_stays(self):
        for name, what in LEFT_ALONE.items():
            if (self.folder / name).exists():
                self.left_alone.append(f"{name}: {what.format(host=self.plugin.host)}")
        workflows = self.folder / ".github" / "workflows"
        for workflow in sorted(workflows.glob("*.y*ml")) if workflows.is_dir() else ():
            name = workflow.relative_to(self.folder).as_posix()
            if name not in THIN_FILES and git("ls-files", name, cwd=self.folder):
                self.left_alone.append(
                    f"{name}: yours; tests.yml now runs lint, packaging and the tests with tox: delete what it repeats"
                )

    def run(self):
        pytest_options = self.pytest_options()
        pytest_options.update(self.clean_setup_cfg())
        self.remove_tox_ini()
        self.add_thin_files()
        self.merge_gitignore()
        self.merge_pyproject(pytest_options)
        self.name_what_stays()

    def report(self):
        lines = []
        for title, items in (
            ("Added", self.added),
            ("Changed", self.changed),
            ("Replaced", [f"{name} -> {where}" for name, where in self.replaced]),
            ("Yours, kept", self.kept),
            ("Left alone", self.left_alone),
        ):
            if items:
                lines.append(f"{title}:")
                lines += [f"  {item}" for item in items]
        return "\n".join(lines)


def clone(template, checkout, folder):
    """The template at `checkout`, in folder/template; returns its commit."""
    result = subprocess.run(
        ["git", "clone", "--quiet", template, str(folder / "template")], capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"Could not clone the template {template}: {result.stderr.strip()}; name another with --template.")
    if checkout and subprocess.run(["git", "checkout", "--quiet", checkout], cwd=folder / "template").returncode:
        sys.exit(f"The template has no {checkout!r}: name a tag, branch or commit with --checkout.")
    return git("rev-parse", "HEAD", cwd=folder / "template").strip()


def render(folder, answers):
    """The template in folder/template, rendered with the answers: the plugin's folder. A
    process of its own: the template's hooks print a new plugin's next steps."""
    command = [sys.executable, "-m", "cookiecutter", "--no-input", "--output-dir", str(folder / "output")]
    answers = [f"{key}={value}" for key, value in answers.items()]
    result = subprocess.run([*command, str(folder / "template"), *answers], capture_output=True, text=True)
    if result.returncode:
        reason = next((line for line in result.stderr.splitlines() if line.startswith("Error: ")), None)
        sys.exit(f"The template refused the answers read from the plugin: {reason or result.stderr.strip()}")
    (plugin,) = (folder / "output").iterdir()
    return plugin


def link(template, checkout, answers, folder):
    """.cruft.json, as `cruft link` writes it: the template, the commit and the answers."""
    import cruft

    cruft.link(template, project_dir=folder, checkout=checkout, no_input=True, extra_context=answers)
    # The demo data is the author's from the start: template updates leave it alone.
    record = json.loads((folder / ".cruft.json").read_text("utf-8"))
    record["skip"] = sorted({*record.get("skip", []), DEMO})
    (folder / ".cruft.json").write_text(json.dumps(record, indent=2) + "\n", "utf-8")


# -- Running the suite and sorting what fails ---------------------------------------------------


def tox_command():
    try:
        import tox  # noqa: F401
    except ImportError:
        found = shutil.which("tox")
        return [found] if found else None
    return [sys.executable, "-m", "tox"]


def failures(junit_xml):
    """(test id, first lines of the failure) of each failed or erroring test of a JUnit report."""
    found = []
    for case in ElementTree.parse(junit_xml).getroot().iter("testcase"):
        for problem in (*case.findall("failure"), *case.findall("error")):
            message = (problem.get("message") or problem.text or "").strip()
            found.append((f"{case.get('classname')}::{case.get('name')}", message))
    return found


def grouped_catalogs(lines):
    """hostplugin translations' lines, one per catalog, grouped by what they say: 34 catalogs that
    lack the same three messages are one line."""
    groups = {}
    for line in lines:
        found = re.match(r"\s*(\S*locale/([^/]+)/LC_MESSAGES/\S+) (.*)$", line)
        if found:
            groups.setdefault(found.group(3), []).append(found.group(2))
        else:
            groups.setdefault(line.strip(), [])
    return [f"{', '.join(languages)}: {what}" if languages else what for what, languages in groups.items()]


def sort_findings(plugin, version, found):
    """The failures of the plugin's test run, sorted: (yours, the toolkit's)."""
    yours, toolkit = [], []
    own = [(test, message) for test, message in found if ".contract" not in test]
    for test, message in found:
        name = test.rsplit("::", 1)[-1]
        first = message.splitlines()[0] if message else ""
        if ".contract" not in test:
            continue
        if name == "test_the_migrations_match_the_models":
            drift = f"The migrations drift from the models (inside {plugin.host} {version}):\n      " + message.replace(
                "\n", "\n      "
            )
            if re.search(r"- Alter field id on ", message):
                drift += (
                    f"\n      The primary keys: {plugin.host} makes BigAutoFields, your migrations AutoFields. Keep "
                    'yours with default_auto_field = "django.db.models.AutoField" on the AppConfig, or migrate them.'
                )
            yours.append(drift)
        elif name == "test_names_shared_with_the_host_carry_the_plugins_name":
            found_names = re.findall(r"^  (.+?) '([^']+)' in (.+)$", message, flags=re.MULTILINE)
            # A receiver's dispatch_uid and a template's name are nowhere stored: renaming them is
            # free. A settings or session key holds data already: the toolkit must accept it.
            free = [f"{kind} {shared!r} ({where})" for kind, shared, where in found_names if not kind.endswith(" key")]
            stored = sorted({shared for kind, shared, _ in found_names if kind.endswith(" key")})
            if free:
                yours.append(
                    f"Names shared with {plugin.host} and every other plugin, stored nowhere: start each with "
                    f"{plugin.module}_ (templates: {plugin.module}/):\n" + "\n".join(f"      {line}" for line in free)
                )
            if stored:
                toolkit.append(
                    f"Settings and session keys without the module's name, which {plugin.host} has stored already: "
                    "renaming them needs a data migration. If you keep them, list them in pyproject.toml:\n"
                    f"      [tool.{TABLE}]\n      stored-names = {json.dumps(stored)}"
                )
        else:
            yours.append(f"{name} (inside {plugin.host} {version}): {first}")
    if own:
        yours.append(
            f"{len(own)} of your tests fail inside {plugin.host} {version}:\n"
            + "\n".join(f"      {test}: {(message.splitlines() or [''])[0][:160]}" for test, message in own)
        )
    return yours, toolkit


def tox_run(tox, folder, env, *posargs):
    print(f"  tox -e {env}", flush=True)
    command = [*tox, "run", "-q", "-e", env, *(["--", *posargs] if posargs else [])]
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    # Colours, where a tool ignores NO_COLOR (uv's messages).
    return result.returncode, re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr).splitlines()


def build_finding(plugin, version, output, data):
    """What the package env says when the plugin does not build, and what to change."""
    errors = [line.strip() for line in output if re.search(r"\w+Error\b|^error:", line.strip())]
    finding = (
        f"The package does not build inside {plugin.host} {version}'s Python: {(errors or output[-1:] or [''])[-1]}"
    )
    requires = data.get("build-system", {}).get("requires", [])
    helper = next((requirement for requirement in requires if requirement.startswith(BUILD_HELPERS[:2])), None)
    if helper:
        finding += (
            f"\n      Your build needs {helper}. The toolkit's build compiles the catalogs too, on every Python the "
            f'host runs on: in [build-system] requires, write "hostplugin-toolkit>=0.1.0" for "{helper}", drop '
            '[project.entry-points."distutils.commands"], and add\n'
            '      [tool.setuptools.cmdclass]\n      build = "hostplugin_toolkit.build.Build"\n'
            '      sdist = "hostplugin_toolkit.build.Sdist"'
        )
    return finding


def run_suite(plugin, folder, version):
    """Run, inside the oldest supported host, the plugin's tests with the host contract, the
    package build, the catalog check and lint; print what fails, sorted."""
    tox = tox_command()
    env = f"{plugin.host}-min"
    if tox is None:
        print("\ntox is not installed here: install requirements-dev.txt, then run `tox`.")
        return
    data = tomllib.loads((folder / "pyproject.toml").read_text("utf-8"))
    report = Path(tempfile.mkdtemp(prefix="adopt-")) / "junit.xml"
    print(f"\nRunning inside {plugin.host} {version}, the oldest the plugin supports:", flush=True)
    _, tests = tox_run(tox, folder, env, "-p", "no:randomly", f"--junitxml={report}")
    # The package env runs the tests again, against the wheel: here only the build and its checks.
    _, package = tox_run(tox, folder, "package", "--collect-only", "-q")
    _, catalogs = tox_run(tox, folder, "translations")
    linted, lint = tox_run(tox, folder, "lint")

    yours, toolkit = [], []
    if report.is_file():
        found = failures(report)
        total = len(list(ElementTree.parse(report).getroot().iter("testcase")))
        print(f"\n{total - len(found)} of {total} tests pass inside {plugin.host} {version}.")
        yours, toolkit = sort_findings(plugin, version, found)
    elif any(re.match(r"(ImportError while loading conftest|_+ ERROR collecting)", line) for line in tests):
        # The plugin's own test modules do not load in this host: its code, not the toolkit's.
        start = next(index for index, line in enumerate(tests) if re.match(r"(ImportError|_+ ERROR)", line))
        yours.append(
            f"Your tests do not load inside {plugin.host} {version}:\n      "
            + "\n      ".join(tests[start : start + 8])
            + f"\n      If a later {plugin.host} has what they import, take this adoption back (`git reset --hard`) "
            "and adopt again with `--min-host-version <that release>`."
        )
    else:
        ending = "\n      ".join(tests[-25:])
        toolkit.append(
            f"The tests did not run inside {plugin.host} {version}; the end of tox's output:\n      {ending}"
        )
    # hostplugin package ends with the step that failed; the collection after it is the tests'.
    if any(line.startswith("hostplugin package: `") for line in package):
        yours.append(build_finding(plugin, version, package, data))
    # hostplugin translations names each catalog (locale/...).
    stale = grouped_catalogs([line for line in catalogs if "locale/" in line])
    if stale:
        yours.append(
            "The translation catalogs are behind the code (`tox -e makemessages` updates them):\n"
            + "\n".join(f"      {line}" for line in stale)
        )
    if linted:
        summary = [
            line.strip()
            for line in lint
            if re.match(r"\s*(Found \d+ error|\[\*\] \d+ fixable|\d+ files? would be reformatted)", line)
        ]
        yours.append(
            "tox -e lint fails: "
            + ("; ".join(summary) or lint[-1].strip()).rstrip(".")
            + ". `tox -e format` fixes what ruff can and formats the code: one commit of its own."
        )
    for title, items in (("Your plugin", yours), ("Tell the toolkit", toolkit)):
        if items:
            print(f"\n{title}:")
            print("\n".join(f"  - {item}" for item in items))
    if not yours and not toolkit:
        print("Nothing to fix: review with `git diff --cached`, run `tox`, and commit.")


def adopt(plugin, template, checkout, preview, run, minimum=None):
    data = tomllib.loads((plugin.root / "pyproject.toml").read_text("utf-8"))
    if (plugin.root / ".cruft.json").exists():
        sys.exit("This plugin is linked to the template already (.cruft.json): `tox -e update` brings its changes.")
    if git("status", "--porcelain", "--untracked-files=no", cwd=plugin.root):
        sys.exit("Commit or stash your changes first: then `git diff --cached` shows exactly what adopt changed.")
    meta = read_meta(plugin.package_dir, plugin.facts["meta_class"])
    work = Path(tempfile.mkdtemp(prefix="adopt-"))
    try:
        commit = clone(template, checkout, work)
        defaults = json.loads((work / "template" / "cookiecutter.json").read_text("utf-8"))
        answers, notes = answers_for(plugin, data, meta, defaults, minimum)
        rendered = render(work, answers)
        layout = "flat" if plugin.package_dir.parent == plugin.root else "src"
        name = plugin.distribution or "no name on PyPI"
        print(f"Adopting {plugin.module}: a {plugin.host} plugin ({layout} layout), {name}.")
        print(f"Template: {template} at {commit[:10]}; toolkit {__version__}.")
        read_here = ("plugin_name", "category", "min_host_version", "author_name", "author_email", "repository_url")
        print("Read: " + ", ".join(f"{key} {answers[key]!r}" for key in read_here if answers[key]))
        for note in notes:
            print(f"Note: {note}")
        if preview:
            folder = work / "preview"
            git("worktree", "add", "--detach", "--quiet", str(folder), cwd=plugin.root)
        else:
            folder = plugin.root
        try:
            adoption = Adoption(plugin, rendered, folder)
            try:
                adoption.run()
                link(template, checkout, answers, folder)
            except BaseException:
                # No half-adopted plugin: what it wrote goes, the plugin is as it was committed.
                written = [name for name in adoption.written if (folder / name).exists()]
                git("add", "--", *written, cwd=folder, check=False)
                git("reset", "--quiet", "--hard", "HEAD", cwd=folder)
                raise
            git("add", "--", *adoption.written, cwd=folder)
            print(adoption.report())
            if preview:
                print("\n" + git("diff", "--cached", "--", ".", ":!.cruft.json", cwd=folder))
                print("Nothing was written: run without --preview to adopt.")
        finally:
            if preview:
                git("worktree", "remove", "--force", str(folder), cwd=plugin.root)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if preview:
        return
    print("\nThe changes are staged: `git diff --cached` shows them.")
    if run:
        run_suite(read(plugin.root), plugin.root, answers["min_host_version"])


def main(argv, plugin):
    parser = argparse.ArgumentParser(prog="hostplugin adopt", description=__doc__.split("\n\n")[0])
    parser.add_argument("--preview", action="store_true", help="show the report and the diff, write nothing")
    parser.add_argument("--no-run", action="store_true", help="adopt, without running the tests afterwards")
    parser.add_argument("--template", default=TEMPLATE, help="the template's git repository")
    parser.add_argument(
        "--checkout", default=f"v{__version__}", help="its tag, branch or commit (the toolkit's release)"
    )
    parser.add_argument(
        "--min-host-version", help="the oldest host release to test, where the plugin's own declaration is not it"
    )
    options = parser.parse_args(argv)
    try:
        import cookiecutter  # noqa: F401
        import cruft  # noqa: F401
    except ImportError:
        sys.exit(
            'adopt needs cookiecutter and cruft: run it as `uvx --from "hostplugin-toolkit[adopt]" hostplugin adopt`.'
        )
    run = not options.no_run
    try:
        adopt(plugin, options.template, options.checkout, options.preview, run, options.min_host_version)
    except OSError as problem:
        sys.exit(f"hostplugin adopt: {problem}; nothing was changed.")
