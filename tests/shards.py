"""The template's tests cut into shards, one per job of its CI on GitHub (tests/ci_jobs.py).

`pytest --shard K/N` runs the K-th of N shards of the tests it collected (tests/conftest.py). The
cut comes from tests/durations.json: how long each test took in the last whole run, and which
shared work it used: a bake whose tox run several tests read, a browser run, a session's servers.
Shared work is paid once per shard that needs it, so the tests of one bake stay together until
their shard is full; then the next shard pays for the bake again. The cut depends on nothing but
the collected test ids and the file, so every job computes the same shards.

Each test session under tox records its run beside its env. After a whole run of the template's
tests (`tox run-parallel -e template,running`, no arguments):

    .venv/bin/python -m tests.shards --update    # copy the run's figures here, print the shards
    .venv/bin/python -m tests.shards             # print the shards the recorded figures give
"""

import argparse
import contextlib
import json
import math
import os
import statistics
import time
from pathlib import Path

DURATIONS = Path(__file__).resolve().parent / "durations.json"
ENVS = ("template", "running")
# A GitHub job has about 8 minutes for its tests and 2 for installing interpreters and Debian
# packages: each env's part of a job may take 6, by the recorded figures.
JOB_TEST_SECONDS = 6 * 60
# Shared work that takes less than this is not worth keeping a test beside it.
SHARED_MINIMUM_SECONDS = 1.0


def parse(text):
    """'K/N' → (K, N), as `--shard` takes it."""
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--shard takes K/N, such as 2/7, not {text!r}") from None
    if not 1 <= index <= count:
        raise argparse.ArgumentTypeError(f"--shard {text}: K must be between 1 and N")
    return index, count


def recorded():
    """Every recorded test's seconds and shared work, and each shared work's seconds, of all envs."""
    tests, shared = {}, {}
    for env in json.loads(DURATIONS.read_text()).values() if DURATIONS.exists() else ():
        shared.update(env["shared"])
        tests.update({nodeid: (seconds, tuple(keys)) for nodeid, (seconds, keys) in env["tests"].items()})
    return tests, shared


def cut(nodeids, count, tests, shared):
    """Each test id's shard (0-based), and each shard's expected seconds.

    The shards are packed as bins of one size: longest test first, each goes to the shard where
    it adds least (its seconds, plus the shared work that shard does not hold yet) among those it
    still fits in, the least loaded of equals. The size is the smallest that takes every test,
    found by bisection: the MULTIFIT algorithm, with shared work counted once per shard that
    needs it. A test the figures do not know counts as an average one.
    """
    average = statistics.fmean(seconds for seconds, _ in tests.values()) if tests else 1.0
    known = {nodeid: tests.get(nodeid, (average, ())) for nodeid in nodeids}

    def alone(nodeid):
        seconds, keys = known[nodeid]
        return seconds + sum(shared.get(key, 0.0) for key in keys)

    order = sorted(known, key=lambda nodeid: (-alone(nodeid), nodeid))
    once = sum(seconds for seconds, _ in known.values())
    once += sum(shared.get(key, 0.0) for key in {key for _, keys in known.values() for key in keys})
    low, high = max(once / count, max(map(alone, order), default=0.0)), sum(map(alone, order))
    best = pack(order, known, shared, count, high)
    while high - low > 1.0:
        middle = (low + high) / 2
        packed = pack(order, known, shared, count, middle)
        if packed:
            best, high = packed, middle
        else:
            low = middle
    return best


def pack(order, known, shared, count, size):
    """The tests in `count` shards of at most `size` seconds, or None if they do not fit."""
    loads = [0.0] * count
    holds = [set() for _ in range(count)]
    shards = {}
    for nodeid in order:
        seconds, keys = known[nodeid]
        added = [seconds + sum(shared.get(key, 0.0) for key in set(keys) - held) for held in holds]
        fitting = [shard for shard in range(count) if loads[shard] + added[shard] <= size]
        if not fitting:
            return None
        shard = min(fitting, key=lambda shard: (added[shard], loads[shard], shard))
        loads[shard] += added[shard]
        holds[shard].update(keys)
        shards[nodeid] = shard
    return shards, loads


def env_tests():
    """The recorded test ids of each env."""
    record = json.loads(DURATIONS.read_text())
    return {env: sorted(record[env]["tests"]) for env in ENVS}


def job_count():
    """The fewest shards that give every env's part of a job at most JOB_TEST_SECONDS."""
    tests, shared = recorded()
    least = max(sum(tests[nodeid][0] for nodeid in nodeids) for nodeids in env_tests().values())
    for count in range(max(1, math.ceil(least / JOB_TEST_SECONDS)), 64):
        if all(max(cut(nodeids, count, tests, shared)[1]) <= JOB_TEST_SECONDS for nodeids in env_tests().values()):
            return count
    return 64


class Recorder:
    """The figures of one test session: each test's seconds without the shared work it started,
    and the shared work each test used."""

    def __init__(self):
        self.seconds = {}
        self.uses = {}
        self.shared = {}
        self.current = None
        self.inner = []  # seconds of shared work nested in the shared work being timed

    def test_started(self, nodeid):
        self.current = nodeid
        self.seconds.setdefault(nodeid, 0.0)
        self.uses.setdefault(nodeid, set())

    def took(self, nodeid, seconds):
        self.seconds[nodeid] = self.seconds.get(nodeid, 0.0) + seconds

    def used(self, key):
        if self.current is not None:
            self.uses[self.current].add(key)

    @contextlib.contextmanager
    def shared_work(self, key):
        """Times work that later tests reuse, and counts it as the key's, not the test's."""
        self.used(key)
        started = time.monotonic()
        self.inner.append(0.0)
        try:
            yield
        finally:
            nested = self.inner.pop()
            elapsed = time.monotonic() - started
            self.shared[key] = elapsed - nested
            if self.inner:
                self.inner[-1] += elapsed
            elif self.current is not None:
                self.seconds[self.current] -= elapsed

    def figures(self):
        shared = {key: round(seconds, 1) for key, seconds in sorted(self.shared.items())}
        worth = {key for key, seconds in shared.items() if seconds >= SHARED_MINIMUM_SECONDS}
        return {
            "shared": {key: shared[key] for key in sorted(worth)},
            "tests": {
                nodeid: [round(max(seconds, 0.0), 1), sorted(self.uses.get(nodeid, set()) & worth)]
                for nodeid, seconds in sorted(self.seconds.items())
            },
        }

    def write(self, path, complete):
        path.write_text(json.dumps({"complete": complete, **self.figures()}, indent=1) + "\n")


RECORDER = Recorder()
# Where a session under tox leaves its figures, for --update.
RUN_FIGURES = "test-durations.json"


def update(tox_dir):
    record = {}
    for env in ENVS:
        path = tox_dir / env / RUN_FIGURES
        if not path.exists():
            raise SystemExit(f"{path} is missing: run `tox run-parallel -e template,running` first")
        figures = json.loads(path.read_text())
        if not figures.pop("complete"):
            raise SystemExit(f"{path} is from a part of the tests: run `tox -e {env}` without arguments")
        record[env] = figures
    store(record)


def store(record):
    # One test a line: a change of figures reads as a short diff.
    lines = []
    for env, figures in record.items():
        shared = ",\n".join(f"   {json.dumps(key)}: {seconds}" for key, seconds in figures["shared"].items())
        tests = ",\n".join(f"   {json.dumps(test)}: {json.dumps(entry)}" for test, entry in figures["tests"].items())
        lines.append(f' "{env}": {{\n  "shared": {{\n{shared}\n  }},\n  "tests": {{\n{tests}\n  }}\n }}')
    DURATIONS.write_text("{\n" + ",\n".join(lines) + "\n}\n")


def show():
    tests, shared = recorded()
    count = job_count()
    print(f"{count} jobs; each env's part of a job at most {JOB_TEST_SECONDS / 60:.0f} min by the recorded figures")
    for env, nodeids in env_tests().items():
        _, loads = cut(nodeids, count, tests, shared)
        alone = sum(tests[nodeid][0] for nodeid in nodeids)
        alone += sum(shared.get(key, 0.0) for key in {key for nodeid in nodeids for key in tests[nodeid][1]})
        print(f"{env}: {len(nodeids)} tests, {alone / 60:.1f} min in one session; cut into {count}:")
        print("  " + ", ".join(f"{seconds / 60:.1f}" for seconds in loads) + " min")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="first copy the figures of the last whole tox run here")
    parser.add_argument("--tox-dir", type=Path, default=Path(os.environ.get("TOX_WORK_DIR", ".tox")))
    arguments = parser.parse_args()
    if arguments.update:
        update(arguments.tox_dir)
    show()
