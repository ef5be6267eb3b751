"""How much of a default plugin the template owns: lines of code and configuration outside the
author's own package (src/) and the author's tests, per host (issue 41's figure; the goal is at
most 500).

    .venv/bin/python bench/owned_lines.py

Counted: every file of a default bake (cookiecutter --no-input, host=<host>) but src/, prose
(*.md), LICENSE, and the files the author owns outside src/: their tests (tests/test_*.py), the
browser test of their pages (tests/e2e_browser.py, whose machinery is the toolkit's,
hostplugin_toolkit.browser) and the demo content of their pages (tests/demo.py; issue 41 names it
a file the author owns). Those are printed below the table, not counted. What is left is what
every plugin carries unchanged or nearly so: tox.toml, pyproject.toml, the workflows,
tests/conftest.py and the small configuration files. It prints a Markdown
table, largest files first.
"""

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import CONTEXT, bake  # noqa: E402

GOAL = 500


# Outside src/, but the author's: the plugin's own pages in a browser, and their demo content.
AUTHORS_OUTSIDE_SRC = ("tests/e2e_browser.py", "tests/demo.py")


def is_owned_by_the_template(relative):
    if relative.parts[0] == "src" or relative.suffix == ".md" or relative.name == "LICENSE":
        return False
    if relative.as_posix() in AUTHORS_OUTSIDE_SRC:
        return False
    return not (relative.parts[0] == "tests" and relative.name.startswith("test_"))


def owned_lines(project):
    counts = {}
    for path in sorted(project.rglob("*")):
        relative = path.relative_to(project)
        if path.is_file() and is_owned_by_the_template(relative):
            counts[str(relative)] = len(path.read_text().splitlines())
    return counts


def main():
    with tempfile.TemporaryDirectory() as folder:
        for host in CONTEXT["host"]:
            project = bake(Path(folder) / host, host=host)
            counts = owned_lines(project)
            total = sum(counts.values())
            src = sum(
                len(path.read_text().splitlines())
                for path in (Path(folder) / host).rglob("src/**/*")
                if path.is_file() and path.suffix in (".py", ".html", ".css", ".js")
            )
            verdict = "met" if total <= GOAL else "missed"
            print(f"\n{host}: {total} lines the template owns (goal {GOAL}: {verdict}), {src} in src/\n")
            print("| file | lines |\n|---|---|")
            for name, lines in sorted(counts.items(), key=lambda item: -item[1]):
                print(f"| `{name}` | {lines} |")
            authors = {
                name: len((project / name).read_text().splitlines())
                for name in AUTHORS_OUTSIDE_SRC
                if (project / name).is_file()
            }
            print("\nThe author's, outside src/ (not counted): " + ", ".join(f"`{n}` {c}" for n, c in authors.items()))


if __name__ == "__main__":
    main()
