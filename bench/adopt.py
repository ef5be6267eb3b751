"""How long `hostplugin adopt` takes, with the run of the suite it ends with (issue 42's goal: an
existing plugin adopts in under 15 minutes of wall time, its edits included).

    .venv/bin/python bench/adopt.py [--runs N] [CHECKOUT ...]

Without checkouts it adopts the plugins that tests/test_adopt.py lays out as pretix's and
pretalx's cookiecutters do; with them, copies of those git checkouts (a fetched pretix-pages).
Each run adopts a fresh copy from this repository's committed template (HEAD), with the toolkit
built from this checkout, and uv's cache as it is: the first run of a host release installs it.
It prints a Markdown table: seconds per run, and the report's line of passing tests.
"""

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import GIT_IDENTITY, HOSTS, TEMPLATE, tool_env  # noqa: E402
from tests.test_adopt import official_layout  # noqa: E402
from tests.toolkit import PACKAGE  # noqa: E402

GOAL_SECONDS = 15 * 60


def git(*args, cwd, env):
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def fresh_copy(source, folder, env):
    """A committed plugin to adopt: a clone of a checkout, or a laid-out plugin of a host."""
    if source in HOSTS:
        folder.mkdir()
        official_layout(folder, source)
        for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "Made years ago"]):
            git(*command, cwd=folder, env=env)
    else:
        git("clone", "-q", str(source), str(folder), cwd=folder.parent, env=env)
    return folder


def adopt_once(source, env):
    with tempfile.TemporaryDirectory() as tmp:
        plugin = fresh_copy(source, Path(tmp) / "plugin", env)
        command = [
            sys.executable,
            "-m",
            "hostplugin_toolkit",
            "adopt",
            "--template",
            str(TEMPLATE),
            "--checkout",
            "HEAD",
        ]
        start = time.monotonic()
        result = subprocess.run(
            command, cwd=plugin, env=env | {"PYTHONPATH": str(PACKAGE / "src")}, capture_output=True, text=True
        )
        seconds = time.monotonic() - start
    summary = re.search(
        r"^(\d+ of \d+ tests pass inside .+|  - Your tests do not load inside .+):?$", result.stdout, re.M
    )
    return seconds, summary.group(1).strip(" -:") if summary else (result.stdout + result.stderr).strip().splitlines()[
        -1
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("checkouts", nargs="*", type=Path)
    options = parser.parse_args()
    pythons = {line["python"] for facts in HOSTS.values() for line in [*facts["lines"], facts["newest"]]}
    env = tool_env(pythons) | GIT_IDENTITY
    sources = [path.resolve() for path in options.checkouts] or ["pretix", "pretalx"]
    print("| plugin | runs (s) | median (s) | the report |")
    print("|---|---|---|---|")
    for source in sources:
        runs = [adopt_once(source, env) for _ in range(options.runs)]
        seconds = [round(run[0], 1) for run in runs]
        # A fetched snapshot lives in owner+name/repo.
        name = source if isinstance(source, str) else (source.parent if source.name == "repo" else source).name
        print(f"| {name} | {', '.join(map(str, seconds))} | {statistics.median(seconds):.1f} | {runs[-1][1]} |")
    print(f"\nGoal: under {GOAL_SECONDS // 60} minutes a plugin, its edits included.")


if __name__ == "__main__":
    main()
