"""Each version line of the host table runs on its interpreter: every release a line covers, from
its `from` up to the next line's (and up to the newest tested release), accepts the line's
Python, as the release's Requires-Python on PyPI says. A line whose interpreter a release
refuses gives an env that cannot be built (pretalx 2026.2 needs Python 3.13, which a plugin
whose minimum is 2026.2.0 got as 3.12)."""

import json
import urllib.request
from functools import cache

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from .conftest import HOSTS


@cache
def requires_python(name):
    """{version: set of Requires-Python of its files} for the final releases on PyPI."""
    with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=60) as response:
        releases = json.load(response)["releases"]
    return {
        Version(version): {file.get("requires_python") for file in files if not file.get("yanked")} - {None, ""}
        for version, files in releases.items()
        if files and not Version(version).is_prerelease
    }


def covering_line(lines, version):
    return [line for line in lines if Version(line["from"]) <= version][-1]


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_every_release_a_line_covers_accepts_the_lines_python(host):
    facts = HOSTS[host]
    lines, newest = facts["lines"], Version(facts["newest"]["version"])
    refused = []
    for version, specifiers in sorted(requires_python(facts["pypi_name"]).items()):
        if not Version(lines[0]["from"]) <= version <= newest:
            continue
        checks = [("line from " + covering_line(lines, version)["from"], covering_line(lines, version)["python"])]
        if version == newest:
            checks.append(("newest", facts["newest"]["python"]))
        for name, python in checks:
            for specifier in specifiers:
                if not SpecifierSet(specifier).contains(python):
                    refused.append(f"{host} {version} requires Python {specifier}, the {name} gives {python}")
    assert not refused, "add a line to the host table where the Python changes:\n" + "\n".join(refused)
