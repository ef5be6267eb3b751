"""Directives that render the host table of cookiecutter.json into the docs.

The host table is the only place that states a host's facts; these directives read it at build
time, so a version line typed in the docs cannot go stale.

    ```{host-lines} pretix
    ```
    ```{host-facts} pretix
    ```
    ```{prompt-defaults}
    ```
    ```{host-parts}
    ```
    ```{host-branches}
    ```
"""

import json
import sys
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

TEMPLATE = Path(__file__).resolve().parents[2]


def load_context():
    return json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8"))


def cell(value):
    """A table cell; text in backticks becomes inline code, as in Markdown."""
    paragraph = nodes.paragraph()
    for index, part in enumerate(str(value).split("`")):
        if part:
            paragraph += nodes.literal(part, part) if index % 2 else nodes.Text(part)
    entry = nodes.entry()
    entry += paragraph
    return entry


def table(headers, rows):
    group = nodes.tgroup(cols=len(headers))
    for _ in headers:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    head += nodes.row("", *(cell(header) for header in headers))
    group += head
    body = nodes.tbody()
    for row in rows:
        body += nodes.row("", *(cell(value) for value in row))
    group += body
    result = nodes.table()
    result += group
    return result


def requirements(names):
    return ", ".join(f"`{name}`" for name in names) or "—"


class HostDirective(SphinxDirective):
    required_arguments = 1

    def host(self):
        name = self.arguments[0]
        hosts = load_context()["_hosts"]
        if name not in hosts:
            raise self.error(f"{name!r} is not in the host table; it has {', '.join(hosts)}.")
        self.env.note_dependency(str(TEMPLATE / "cookiecutter.json"))
        return hosts[name]


class HostLines(HostDirective):
    """The version lines a host is tested on: the minimum release picks the line."""

    def run(self):
        host = self.host()
        rows = []
        lines = host["lines"]
        for index, line in enumerate(lines):
            until = f"before {lines[index + 1]['from']}" if index + 1 < len(lines) else "and newer"
            rows.append([f"`{line['from']}` {until}", line["python"], line["django"], requirements(line["requires"])])
        newest = host["newest"]
        rows.append(
            [
                f"newest (checked: `{newest['version']}`)",
                newest["python"],
                newest["django"],
                requirements(newest["requires"]),
            ]
        )
        headers = ["minimum version", "Python of its tox env", "Django", "extra test requirements"]
        return [table(headers, rows)]


class HostFacts(HostDirective):
    """What the template knows of a host's plugin API."""

    def run(self):
        host = self.host()
        rows = [
            ["distribution", f"`{host['pypi_name']}`"],
            ["entry-point group", f"`{host['entry_point_group']}`"],
            ["meta class", f"`{host['meta_class']}`"],
            ["AppConfig base class", f"`{host['app_config_base']}`"],
            ["categories", requirements(host["categories"])],
            ["switched on per", host["tenant"] or "— (always on)"],
            ["test settings", f"`{host['test_settings']}`"],
            ["environment for the test settings", requirements(f"{k}={v}" for k, v in host["test_env"].items())],
            ["plugin migrations depend on", f"`{'.'.join(host['core_migration'])}`"],
            ["the plugin's catalogs", requirements(host["catalogs"])],
            ["names a plugin may not take", requirements(host["reserved_names"])],
            [
                "roles the default plugin lacks",
                "; ".join(f"{role}: {why}" for role, why in host["roles_not_shipped"].items()) or "— (none)",
            ],
        ]
        return [table(["fact", "value"], rows)]


class HostDeploy(HostDirective):
    """How the install check and the development server run a host (the table's `run`)."""

    def run(self):
        host = self.host()
        run = host["run"]
        name = host["pypi_name"]
        worker = f"`celery -A {run['worker']} worker`" if run["worker"] else "— (tasks run in the web process)"
        driver = f"extra `[{run['postgres_extra']}]`" if run["postgres_extra"] else "a dependency of the host"
        rows = [
            ["release the install check installs", f"`{name}=={host['newest']['version']}`"],
            ["config file, named by", f"`{run['config_env']}`"],
            ["settings module", f"`{run['settings']}`"],
            ["commands after every install or upgrade", requirements(f"python -m {name} {c}" for c in run["deploy"])],
            ["WSGI application (gunicorn)", f"`{run['wsgi']}`"],
            ["Redis (cache and sessions)", "yes" if run["redis"] else "no"],
            ["Celery worker", worker],
            ["PostgreSQL driver", driver],
        ]
        return [table(["fact", "value"], rows)]


class PromptDefaults(SphinxDirective):
    """Each prompt's default, per host, exactly as cookiecutter computes it."""

    def run(self):
        from cookiecutter.generate import generate_context
        from cookiecutter.prompt import prompt_for_config

        self.env.note_dependency(str(TEMPLATE / "cookiecutter.json"))
        # cookiecutter loads the template's own Jinja extensions (local_extensions.py) from the
        # template's folder; its command line puts that folder on the import path, so do we.
        if str(TEMPLATE) not in sys.path:
            sys.path.insert(0, str(TEMPLATE))
        hosts = list(load_context()["_hosts"])
        defaults = {}
        for host in hosts:
            context = generate_context(context_file=str(TEMPLATE / "cookiecutter.json"), extra_context={"host": host})
            defaults[host] = prompt_for_config(context, no_input=True)
        prompts = [key for key in defaults[hosts[0]] if not key.startswith("_")]
        rows = [
            [f"`{key}`", *(f"`{defaults[host][key]}`" if defaults[host][key] else "(empty)" for host in hosts)]
            for key in prompts
        ]
        return [table(["prompt", *hosts], rows)]


class HostParts(SphinxDirective):
    """The optional parts each host offers, as the `parts` prompt accepts them, and why a host
    lacks one."""

    def run(self):
        self.env.note_dependency(str(TEMPLATE / "cookiecutter.json"))
        hosts = load_context()["_hosts"]
        names = list(
            dict.fromkeys(part for facts in hosts.values() for part in [*facts["parts"], *facts["parts_not_offered"]])
        )

        def offer(facts, part):
            if part in facts["parts"]:
                return facts["parts"][part]
            return f"not offered: {facts['parts_not_offered'][part]}"

        rows = [[f"`{part}`", *(offer(facts, part) for facts in hosts.values())] for part in names]
        return [table(["part", *hosts], rows)]


class HostBranches(SphinxDirective):
    """Where each host's development branch is, for `tox -e <host>-main` (the table's
    `development`)."""

    def run(self):
        self.env.note_dependency(str(TEMPLATE / "cookiecutter.json"))
        rows = [
            [
                name,
                f"`{facts['development']['repository']}`",
                f"`{facts['development']['branch']}`",
                f"`{facts['development']['subdirectory']}`" if facts["development"]["subdirectory"] else "the top",
                facts["development"]["python"],
                requirements(facts["development"]["requires"]),
                f"`{name.upper()}_MAIN_URL`",
            ]
            for name, facts in load_context()["_hosts"].items()
        ]
        headers = ["host", "repository", "branch", "package folder", "Python", "extra test requirements", "override"]
        return [table(headers, rows)]


def setup(app):
    app.add_directive("host-lines", HostLines)
    app.add_directive("host-facts", HostFacts)
    app.add_directive("host-deploy", HostDeploy)
    app.add_directive("prompt-defaults", PromptDefaults)
    app.add_directive("host-parts", HostParts)
    app.add_directive("host-branches", HostBranches)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
