"""The test jobs of the template's CI on GitHub (.github/workflows/ci.yml), from the host table:
one job per host, and one ("none") for the tests that name no host (`pytest --host`, see
conftest.py). Every job installs the interpreters of every host line: the tests without a host
bake the default host, and some bake byro.

Run as a script, it writes the workflow's plan in GitHub's output format.
"""

import json
from pathlib import Path

HOSTS = json.loads((Path(__file__).resolve().parent.parent / "cookiecutter.json").read_text())["_hosts"]


def jobs():
    return [*HOSTS, "none"]


def pythons():
    versions = {
        line["python"] for facts in HOSTS.values() for line in [*facts["lines"], facts["newest"], facts["development"]]
    }
    return sorted(versions, key=lambda version: tuple(map(int, version.split("."))))


if __name__ == "__main__":
    print(f"jobs={json.dumps(jobs())}")
    print(f"pythons={' '.join(pythons())}")
