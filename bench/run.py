"""Benchmark: how long an author waits, and what the template's own CI costs, each figure beside its goal.

    .venv/bin/python bench/run.py                       # the author's figures, all hosts (about 25 minutes)
    .venv/bin/python bench/run.py --hosts pretix --runs 1 --no-add-part
    .venv/bin/python bench/run.py --template-ci --ci-jobs --only-ci   # the template's CI (about 2 hours)

Run it from a clone, in the virtualenv of the README's test command (it needs cookiecutter,
tox, tox-uv and uv from requirements-dev.txt), on an otherwise idle machine. Every figure is the
median of --runs runs, with min and max. It prints a Markdown table with a goal column and
whether each goal is met, and writes it to bench/results/latest.md; the docs' performance page
shows one such table and says where the time goes.

Figures, per host (the goals are issue 30's):
- time to green: bake, then `tox -e <host>-newest`: create the env, install the host and the
  plugin's wheel, run the whole generated suite; uv's package cache warm (and once empty).
- pip recipe: the common way, on the same baked plugin and the same host release: `python -m
  venv`, `pip install <host> pytest pytest-django`, `pip install -e .`, `pytest`; the goal is that
  our time to green is at most 0.4 of it.
- second run: `tox -e <host>-newest` again, nothing changed.
- where a run's time goes: the env with the host (tox's setup of the first run), building and
  installing the plugin's wheel (a second run with and without `--skip-pkg-install`), Django's
  start-up with the test settings, and the suite's own time (pytest's summary line).
- the suite's own time, its peak memory and the env's disk size, against the last recorded run
  (bench/reference.json, written by --record): no more than 10 % growth.
- dev server: `tox -e serve` on a fresh bake until it answers with the demo data, with no copy
  of the host's migrated database in the cache (cold) and with one (warm); a second start; and
  `tox -e serve -- reset` followed by a start.
- install check: `tox -e install-check` on a fresh bake, on the private PostgreSQL and Redis that
  the template's tests use.
- add a part later: a plugin made with `cruft create` and no parts, its `-min` env built, then
  `tox -e add-part -- <every part the host offers>` and `tox -e <host>-min` until green again.

The template's CI (--template-ci, --ci-jobs): the README's test command on a clean clone of this
commit, and each job of .github/workflows/ci.yml alone, one after another, on clean clones.
"""

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import ci_jobs, machine  # noqa: E402
from tests.conftest import GIT_IDENTITY, HOSTS, TEMPLATE, pythons_for, tool_env  # noqa: E402
from tests.test_running import SERVE, dev_server  # noqa: E402

RESULTS = ROOT / "bench" / "results"
# The guarded figures of the run recorded last (--record), kept in git beside this script.
REFERENCE = ROOT / "bench" / "reference.json"
# Issue 30's goals: (comparison, limit). Figures without one are there to explain the others.
GOALS = {
    "our time ÷ pip recipe": ("<=", 0.4),
    "second run, nothing changed": ("<", 8.0),
    "dev server, fresh plugin, host's migrations cached: first answer": ("<", 30.0),
    "dev server, fresh plugin, nothing cached: first answer": ("<", 60.0),
    "`serve -- reset`, then first answer": ("<", 20.0),
    "template CI: `bash .ci/run`'s test command, clean clone": ("<", 20 * 60.0),
    "template CI: longest GitHub job, alone": ("<", 8 * 60.0),
}
# Figures that may not grow by more than 10 % over the recorded run without a written reason.
GUARDED = ("suite's own time (pytest's summary)", "peak memory of the suite", "disk size of the env")


def run(command, cwd, env):
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} failed in {cwd}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def timed(command, cwd, env):
    start = time.perf_counter()
    result = run(command, cwd, env)
    return time.perf_counter() - start, result


def bake(host, into, env):
    command = [shutil.which("cookiecutter", path=env["PATH"]), "--no-input", str(TEMPLATE), f"host={host}"]
    run([*command, "--output-dir", str(into)], cwd=into, env=env)
    return next(path for path in into.iterdir() if path.is_dir())


def tox(*args):
    return [sys.executable, "-m", "tox", *args]


def tox_setup_seconds(output, env_name):
    """tox's own split of an env's run: `<env>: OK (T=setup[S]+cmd[...] seconds)`."""
    found = re.search(rf"^\s*{re.escape(env_name)}: OK \(([\d.]+)=setup\[([\d.]+)\]", output, re.M)
    return float(found[2])


def pytest_seconds(output):
    """The suite's own time, from pytest's summary line (`=== 50 passed in 4.71s ===`)."""
    return float(re.findall(r" in ([\d.]+)s(?: \(|\s*=)", output)[-1])


def peak_rss_mb(command, cwd, env):
    """Peak resident memory of a command and its children, measured in a fresh process."""
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    result = run([sys.executable, "-c", probe, *map(str, command)], cwd, env)
    return int(result.stdout.split()[-1]) / 1024


def disk_mb(path):
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file() and not file.is_symlink()) / 2**20


class Figures:
    def __init__(self, reference):
        self.rows = {}
        self.reference = reference

    def add(self, name, host, values, unit="s"):
        self.rows.setdefault(name, {})[host] = (list(values), unit)

    def median(self, name, host):
        return statistics.median(self.rows[name][host][0])

    def cell(self, name, host):
        if host not in self.rows.get(name, {}):
            return "—"
        values, unit = self.rows[name][host]
        median = statistics.median(values)
        if unit == "×":
            text = f"{median:.2f}"
        elif unit == "s" and median >= 120:
            text = f"{median / 60:.1f} min"
        else:
            text = f"{median:.1f} {unit}"
        if len(values) > 1:
            text += f" ({min(values):.1f}–{max(values):.1f})"
        verdict = self.verdict(name, host, median)
        return f"{text} {verdict}" if verdict else text

    def goal(self, name):
        if name in GOALS:
            comparison, limit = GOALS[name]
            shown = "≤" if comparison == "<=" else "<"
            if limit >= 120:
                return f"{shown} {limit / 60:.0f} min"
            return f"{shown} {limit:g}" + ("" if name == "our time ÷ pip recipe" else " s")
        if name in GUARDED:
            return "≤ 110 % of the recorded run"
        return ""

    def verdict(self, name, host, median):
        if name in GOALS:
            comparison, limit = GOALS[name]
            met = median <= limit if comparison == "<=" else median < limit
            return "✓" if met else f"✗ ({median / limit:.1f}× the goal)"
        recorded = self.reference.get(name, {}).get(host)
        if name in GUARDED and recorded:
            grown = median / recorded - 1
            return f"{'✓' if grown <= 0.10 else '✗'} ({grown:+.0%})"
        return ""

    def table(self, hosts):
        lines = ["| figure | goal | " + " | ".join(hosts) + " |", "|---" * (len(hosts) + 2) + "|"]
        for name in self.rows:
            cells = " | ".join(self.cell(name, host) for host in hosts)
            lines.append(f"| {name} | {self.goal(name)} | {cells} |")
        return "\n".join(lines)

    def record(self, path):
        data = {}
        for name in GUARDED:
            if name in self.rows:
                medians = {host: statistics.median(values) for host, (values, _) in self.rows[name].items()}
                data[name] = {host: round(median, 1) for host, median in medians.items()}
        path.write_text(json.dumps(data, indent=2) + "\n")


def fresh(work):
    return Path(tempfile.mkdtemp(dir=work))


def measure_host(host, args, figures, work):
    env = tool_env(pythons_for(host))
    facts = HOSTS[host]
    newest = f"{host}-newest"

    # Warm the package cache once, untimed, so that "warm" means warm.
    run(tox("run", "-e", newest), cwd=bake(host, fresh(work), env), env=env)
    green, second, setup, wheel, startup, suite, rss = [], [], [], [], [], [], []
    for _ in range(args.runs):
        folder = fresh(work)
        start = time.perf_counter()
        project = bake(host, folder, env)
        first = run(tox("run", "-e", newest), cwd=project, env=env)
        green.append(time.perf_counter() - start)
        setup.append(tox_setup_seconds(first.stdout, newest))
        seconds, again = timed(tox("run", "-e", newest), project, env)
        second.append(seconds)
        suite.append(pytest_seconds(again.stdout))
        without_wheel, _ = timed(tox("run", "-e", newest, "--skip-pkg-install"), project, env)
        wheel.append(max(seconds - without_wheel, 0.0))
        python = project / ".tox" / newest / "bin" / "python"
        django = "import django; django.setup()"
        startup.append(timed([python, "-c", django], project, env | {"DJANGO_SETTINGS_MODULE": "tests.settings"})[0])
        rss.append(peak_rss_mb([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], project, env))
    figures.add("time to green: bake, `tox -e <host>-newest`, warm caches", host, green)
    if args.cold:
        cache = Path(tempfile.mkdtemp(dir=work, prefix="uv-cache-"))
        cold_env = env | {"UV_CACHE_DIR": str(cache)}
        start = time.perf_counter()
        run(tox("run", "-e", newest), cwd=bake(host, fresh(work), cold_env), env=cold_env)
        figures.add("time to green, empty uv cache (1 run)", host, [time.perf_counter() - start])
        shutil.rmtree(cache)
    env_folder = project / ".tox" / newest
    if args.pip:
        requirements = [f"{facts['pypi_name']}=={facts['newest']['version']}", *facts["newest"]["requires"]]
        requirements += ["pytest", "pytest-django"]
        pip_times = []
        for _ in range(args.pip_runs):
            start = time.perf_counter()
            project = bake(host, fresh(work), env)
            run([f"python{facts['newest']['python']}", "-m", "venv", ".venv"], project, env)
            python = str(project / ".venv" / "bin" / "python")
            run([python, "-m", "pip", "install", "-q", *requirements], project, env)
            run([python, "-m", "pip", "install", "-q", "-e", "."], project, env)
            run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"], project, env)
            pip_times.append(time.perf_counter() - start)
        figures.add("pip recipe on the same plugin and host release", host, pip_times)
        figures.add("our time ÷ pip recipe", host, [statistics.median(green) / statistics.median(pip_times)], unit="×")
    figures.add("second run, nothing changed", host, second)
    figures.add("— of a run: env with the host (tox's setup, first run)", host, setup)
    figures.add("— of a run: build and install the plugin's wheel", host, wheel)
    figures.add("— of a run: Django's start-up with the test settings", host, startup)
    figures.add("suite's own time (pytest's summary)", host, suite)
    figures.add("peak memory of the suite", host, rss, unit="MB")
    figures.add("disk size of the env", host, [disk_mb(env_folder)], unit="MB")


def measure_running(host, args, figures, work, services):
    env = tool_env(pythons_for(host))
    cold, warm, second, after_reset = [], [], [], []
    for _ in range(args.runs):
        cache = fresh(work)
        serve_env = env | {"DEVHOST_ADDRESS": f"127.0.0.1:{machine.free_port()}", "DEVHOST_CACHE": str(cache)}
        for starts in (cold, warm):
            project = bake(host, fresh(work), env)
            with dev_server(project, serve_env, project.parent / "serve.log") as (_, _, seconds):
                starts.append(seconds)
        with dev_server(project, serve_env, project.parent / "serve.log") as (_, _, seconds):
            second.append(seconds)
        start = time.perf_counter()
        run([*SERVE, "--", "reset"], project, serve_env)
        with dev_server(project, serve_env, project.parent / "serve.log") as (_, _, seconds):
            after_reset.append(time.perf_counter() - start)
    figures.add("dev server, fresh plugin, nothing cached: first answer", host, cold)
    figures.add("dev server, fresh plugin, host's migrations cached: first answer", host, warm)
    figures.add("dev server, second start: first answer", host, second)
    figures.add("`serve -- reset`, then first answer", host, after_reset)
    if args.install_check:
        project = bake(host, fresh(work), env)
        check, _ = timed(tox("run", "-e", "install-check"), project, env | services)
        figures.add("install check (`tox -e install-check`)", host, [check])


def clean_clone(work):
    clone = fresh(work) / "template"
    run(["git", "clone", "--quiet", str(ROOT), str(clone)], work, os.environ)
    run([sys.executable, "-m", "venv", ".venv"], clone, os.environ)
    run([str(clone / ".venv" / "bin" / "pip"), "install", "-q", "-r", "requirements-dev.txt"], clone, os.environ)
    return clone


def children_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_with_cpu_floor(command, cwd, env):
    """The wall time of a command, and its CPU time spread over every core of this machine: no
    order or split of the same work can finish sooner here (servers it started as daemons not
    counted)."""
    cpu = children_cpu_seconds()
    seconds, _ = timed(command, cwd, env)
    return seconds, (children_cpu_seconds() - cpu) / os.cpu_count()


def measure_template_ci(args, figures, work):
    """The README's test command on a clean clone; each GitHub job's command alone, on another."""
    ci_env = {key: value for key, value in os.environ.items() if not key.startswith(("TOX_", "VIRTUAL_ENV"))}
    if args.template_ci:
        clone = clean_clone(work)
        seconds, floor = timed_with_cpu_floor([".venv/bin/tox", "run-parallel", "-p", "2"], clone, ci_env)
        figures.add("template CI: `bash .ci/run`'s test command, clean clone", "all", [seconds])
        figures.add("template CI: that run's CPU time ÷ cores (its floor here)", "all", [floor])
    if args.ci_jobs:
        jobs = {}
        for job in args.shards or ci_jobs.jobs():
            clone = clean_clone(work)
            command = [".venv/bin/tox", "run-parallel", "-p", "2", "-e", "template,running", "--", "--shard", job]
            jobs[job], floor = timed_with_cpu_floor(command, clone, ci_env)
            figures.add(f"template CI: GitHub job `tests (shard {job})`, alone", "all", [jobs[job]])
            figures.add(f"template CI: GitHub job `tests (shard {job})`, CPU time ÷ cores", "all", [floor])
        figures.add("template CI: longest GitHub job, alone", "all", [max(jobs.values())])


def measure_add_part(host, args, figures, work):
    env = tool_env(pythons_for(host)) | GIT_IDENTITY
    command, green = [], []
    for _ in range(args.runs):
        folder = fresh(work)
        run(
            [
                sys.executable,
                "-m",
                "cruft",
                "create",
                "--no-input",
                "--extra-context",
                f'{{"host": "{host}"}}',
                str(TEMPLATE),
            ],
            folder,
            env,
        )
        project = next(path for path in folder.iterdir() if path.is_dir())
        for step in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "Generated"]):
            run(["git", *step], project, env)
        run(tox("run", "-e", f"{host}-min,add-part"), project, env)  # the author's envs exist already
        command.append(timed(tox("run", "-e", "add-part", "--", *HOSTS[host]["parts"]), project, env)[0])
        green.append(timed(tox("run", "-e", f"{host}-min"), project, env)[0])
    figures.add("add every part later: `tox -e add-part` alone", host, command)
    figures.add("add every part later: then `tox -e <host>-min` green again", host, green)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", nargs="+", default=list(HOSTS), choices=list(HOSTS))
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (default 3)")
    parser.add_argument("--pip-runs", type=int, default=1, help="pip recipe runs per host (default 1)")
    parser.add_argument("--no-cold", dest="cold", action="store_false", help="skip the empty-uv-cache run")
    parser.add_argument("--no-pip", dest="pip", action="store_false", help="skip the pip recipe")
    parser.add_argument("--no-running", dest="running", action="store_false", help="skip the dev server")
    parser.add_argument("--no-install-check", dest="install_check", action="store_false")
    parser.add_argument("--no-add-part", dest="add_part", action="store_false", help="skip adding parts later")
    parser.add_argument("--only-running", action="store_true", help="only the dev server and the install check")
    parser.add_argument("--only-ci", action="store_true", help="only the template's CI figures")
    parser.add_argument("--template-ci", action="store_true", help="time the README's test command (an hour)")
    parser.add_argument("--ci-jobs", action="store_true", help="time each GitHub job alone (an hour or more)")
    parser.add_argument("--shards", nargs="+", metavar="K/N", help="with --ci-jobs: only these shards' jobs")
    parser.add_argument("--record", action="store_true", help=f"record the guarded figures in {REFERENCE.name}")
    args = parser.parse_args()

    reference = json.loads(REFERENCE.read_text()) if REFERENCE.exists() else {}
    figures = Figures(reference)
    authors = not (args.only_running or args.only_ci)
    with tempfile.TemporaryDirectory(prefix="plugin-bench-") as work:
        for host in args.hosts if authors else []:
            print(f"measuring {host}: time to green, second run …", file=sys.stderr, flush=True)
            measure_host(host, args, figures, Path(work))
        if args.running and not args.only_ci:
            with machine.services() as services:
                for host in args.hosts:
                    print(f"measuring {host}: the dev server …", file=sys.stderr, flush=True)
                    measure_running(host, args, figures, Path(work), services)
        for host in args.hosts if args.add_part and authors else []:
            print(f"measuring {host}: adding parts later …", file=sys.stderr, flush=True)
            measure_add_part(host, args, figures, Path(work))
        if args.template_ci or args.ci_jobs:
            print("measuring the template's CI …", file=sys.stderr, flush=True)
            measure_template_ci(args, figures, Path(work))

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    header = (
        f"Measured {datetime.now(UTC):%Y-%m-%d} at commit {commit.stdout.strip()} on "
        f"{platform.node() or 'this machine'}: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()} for the tools; "
        f"median of {args.runs} runs (min–max). ✓ goal met, ✗ missed."
    )
    columns = [*args.hosts, "all"] if args.template_ci or args.ci_jobs else args.hosts
    report = f"{header}\n\n{figures.table(columns)}\n"
    print(report)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(report)
    if args.record:
        figures.record(REFERENCE)


if __name__ == "__main__":
    main()
