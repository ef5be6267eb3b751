"""The test jobs of the template's CI on GitHub (.github/workflows/ci.yml): the tests cut into
shards (`pytest --shard K/N`, tests/shards.py), as many as the recorded figures need for each
job's tests to take at most shards.JOB_TEST_SECONDS. Every job installs the interpreters of every
host line from the host table, as any shard may bake any host.

Run as a module (`python3 -m tests.ci_jobs`), it writes the workflow's plan in GitHub's output
format; it needs nothing outside Python's standard library.
"""

import json
from pathlib import Path

from . import shards

HOSTS = json.loads((Path(__file__).resolve().parent.parent / "cookiecutter.json").read_text())["_hosts"]


def jobs():
    count = shards.job_count()
    return [f"{index}/{count}" for index in range(1, count + 1)]


def pythons():
    versions = {
        line["python"] for facts in HOSTS.values() for line in [*facts["lines"], facts["newest"], facts["development"]]
    }
    return sorted(versions, key=lambda version: tuple(map(int, version.split("."))))


if __name__ == "__main__":
    print(f"jobs={json.dumps(jobs())}")
    print(f"pythons={' '.join(pythons())}")
