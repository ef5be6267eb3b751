"""Benchmark: how long from `cookiecutter` to a green suite inside the host, and what it costs.

    .venv/bin/python bench/run.py                  # everything, all hosts (about 20 minutes)
    .venv/bin/python bench/run.py --hosts pretix --runs 1 --no-cold --no-matrix

Run it from a clone, in the virtualenv of the README's test command (it needs cookiecutter,
tox, tox-uv and uv from requirements-dev.txt). Every figure is the median of --runs runs, with
min and max. It prints a Markdown table and writes it to bench/results/latest.md; the docs'
performance page shows one such table.

Figures, per host:
- bake: `cookiecutter --no-input` with the defaults.
- time to green: bake, then `tox -e <host>-min`: create the env, install the host and the
  plugin's wheel, run the whole generated suite. "warm": uv's package cache already holds the
  host; "cold": an empty package cache, everything is downloaded.
- second run: `tox -e <host>-min` again, nothing changed.
- suite: the generated suite on its own (pytest in the existing env, wall time, host start-up
  included), its peak memory (RSS), and the disk size of that env.
- pip recipe: the common way, on the same baked plugin: `python -m venv`, `pip install <host>`,
  `pip install -e .`, `pytest`; reported with its ratio to the warm time to green.
- matrix: all hosts at both ends (`-min` and `-newest`), each on a fresh bake, `tox -p 2`.
- dev server: `tox -e serve` on a fresh bake until it answers with the demo data (first start:
  env, migrations, demo data), then again on the same instance (second start).
- install check: `tox -e install-check` on a fresh bake, on the private PostgreSQL and Redis
  that the template's tests use.
- add a part later: a plugin made with `cruft create` and no parts, its `-min` env built, then
  `tox -e add-part -- <every part the host offers>` (the cruft command alone, its env already
  made), and `tox -e <host>-min` until it is green again with the parts' tests.
"""

import argparse
import os
import platform
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

from tests import machine  # noqa: E402
from tests.conftest import GIT_IDENTITY, HOSTS, TEMPLATE, pythons_for, tool_env  # noqa: E402
from tests.test_running import dev_server  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def run(command, cwd, env):
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} failed in {cwd}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def timed(command, cwd, env):
    start = time.perf_counter()
    run(command, cwd, env)
    return time.perf_counter() - start


def bake(host, into, env):
    command = [shutil.which("cookiecutter", path=env["PATH"]), "--no-input", str(TEMPLATE), f"host={host}"]
    run([*command, "--output-dir", str(into)], cwd=into, env=env)
    return next(path for path in into.iterdir() if path.is_dir())


def tox(*args):
    return [sys.executable, "-m", "tox", *args]


def peak_rss_mb(command, cwd, env):
    """Peak resident memory of a command and its children, measured in a fresh process."""
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    result = run([sys.executable, "-c", probe, *map(str, command)], cwd, env)
    return int(result.stdout.split()[-1]) / 1024


def disk_mb(path):
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file() and not file.is_symlink()) / 2**20


class Figures:
    def __init__(self):
        self.rows = {}

    def add(self, name, host, values, unit="s"):
        self.rows.setdefault(name, {})[host] = (values, unit)

    def cell(self, name, host):
        if host not in self.rows[name]:
            return "—"
        values, unit = self.rows[name][host]
        median = statistics.median(values)
        text = f"{median:.1f} {unit}" if unit != "×" else f"{median:.1f}×"
        if len(values) > 1:
            text += f" ({min(values):.1f}–{max(values):.1f})"
        return text

    def table(self, hosts):
        lines = ["| figure | " + " | ".join(hosts) + " |", "|---" * (len(hosts) + 1) + "|"]
        for name in self.rows:
            lines.append(f"| {name} | " + " | ".join(self.cell(name, host) for host in hosts) + " |")
        return "\n".join(lines)


def measure_host(host, args, figures, work):
    env = tool_env(pythons_for(host))
    facts = HOSTS[host]
    min_env = f"{host}-min"

    figures.add("bake", host, [timed_bake(host, work, env) for _ in range(max(args.runs, 5))])

    # Warm the package cache once, untimed, so that "warm" means warm.
    run(tox("run", "-e", min_env), cwd=bake(host, fresh(work), env), env=env)
    green, second, suite, rss = [], [], [], []
    for _ in range(args.runs):
        folder = fresh(work)
        start = time.perf_counter()
        project = bake(host, folder, env)
        run(tox("run", "-e", min_env), cwd=project, env=env)
        green.append(time.perf_counter() - start)
        second.append(timed(tox("run", "-e", min_env), project, env))
        python = project / ".tox" / min_env / "bin" / "python"
        pytest = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        suite.append(timed(pytest, project, env))
        rss.append(peak_rss_mb(pytest, project, env))
    figures.add("time to green, warm cache", host, green)
    if args.cold:
        cold = []
        for _ in range(args.cold_runs):
            cache = Path(tempfile.mkdtemp(dir=work, prefix="uv-cache-"))
            cold_env = env | {"UV_CACHE_DIR": str(cache)}
            start = time.perf_counter()
            project = bake(host, fresh(work), cold_env)
            run(tox("run", "-e", min_env), cwd=project, env=cold_env)
            cold.append(time.perf_counter() - start)
            shutil.rmtree(cache)
        figures.add("time to green, cold cache", host, cold)
    figures.add("second `tox -e <host>-min`, nothing changed", host, second)
    figures.add("generated suite alone (pytest wall time)", host, suite)
    figures.add("peak memory of the suite", host, rss, unit="MB")
    figures.add("disk size of the `<host>-min` env", host, [disk_mb(project / ".tox" / min_env)], unit="MB")

    if args.pip:
        line = facts["lines"][0]
        requirements = [f"{facts['pypi_name']}=={line['from']}", *line["requires"], "pytest", "pytest-django"]
        pip_times = []
        for _ in range(args.pip_runs):
            start = time.perf_counter()
            project = bake(host, fresh(work), env)
            run([f"python{line['python']}", "-m", "venv", ".venv"], project, env)
            python = str(project / ".venv" / "bin" / "python")
            run([python, "-m", "pip", "install", "-q", *requirements], project, env)
            run([python, "-m", "pip", "install", "-q", "-e", "."], project, env)
            run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], project, env)
            pip_times.append(time.perf_counter() - start)
        figures.add("pip recipe: venv, pip install host, pip install -e ., pytest", host, pip_times)
        ratio = statistics.median(pip_times) / statistics.median(green)
        figures.add("pip recipe ÷ our time to green (warm)", host, [ratio], unit="×")


def timed_bake(host, work, env):
    folder = fresh(work)
    command = [shutil.which("cookiecutter", path=env["PATH"]), "--no-input", str(TEMPLATE), f"host={host}"]
    return timed([*command, "--output-dir", str(folder)], folder, env)


def fresh(work):
    return Path(tempfile.mkdtemp(dir=work))


def measure_matrix(hosts, figures, work):
    total = 0.0
    for host in hosts:
        env = tool_env(pythons_for(host))
        start = time.perf_counter()
        project = bake(host, fresh(work), env)
        run(tox("run-parallel", "-p", "2", "-e", f"{host}-min,{host}-newest"), cwd=project, env=env)
        elapsed = time.perf_counter() - start
        figures.add("matrix: both ends, fresh bake, `tox -p 2`", host, [elapsed])
        total += elapsed
    return total


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
        command.append(timed(tox("run", "-e", "add-part", "--", *HOSTS[host]["parts"]), project, env))
        green.append(timed(tox("run", "-e", f"{host}-min"), project, env))
    figures.add("add every part later: `tox -e add-part` alone", host, command)
    figures.add("add every part later: then `tox -e <host>-min` green again", host, green)


def measure_running(host, args, figures, work, services):
    env = tool_env(pythons_for(host))
    first, second = [], []
    for _ in range(args.runs):
        project = bake(host, fresh(work), env)
        serve_env = env | {"DEVHOST_ADDRESS": f"127.0.0.1:{machine.free_port()}"}
        for starts in (first, second):
            with dev_server(project, serve_env, project.parent / "serve.log") as (_, _, seconds):
                starts.append(seconds)
    figures.add("dev server: first answer, first start (`tox -e serve`)", host, first)
    figures.add("dev server: first answer, second start", host, second)
    project = bake(host, fresh(work), env)
    check = timed(tox("run", "-e", "install-check"), project, env | services)
    figures.add("install check (`tox -e install-check`)", host, [check])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", nargs="+", default=list(HOSTS), choices=list(HOSTS))
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (default 3)")
    parser.add_argument("--cold-runs", type=int, default=1, help="cold-cache runs per host (default 1)")
    parser.add_argument("--pip-runs", type=int, default=1, help="pip recipe runs per host (default 1)")
    parser.add_argument("--no-cold", dest="cold", action="store_false", help="skip the cold-cache runs")
    parser.add_argument("--no-pip", dest="pip", action="store_false", help="skip the pip recipe")
    parser.add_argument("--no-matrix", dest="matrix", action="store_false", help="skip the full matrix")
    parser.add_argument("--no-running", dest="running", action="store_false", help="skip dev server and install check")
    parser.add_argument("--running-only", action="store_true", help="only the dev server and the install check")
    parser.add_argument("--no-add-part", dest="add_part", action="store_false", help="skip adding parts later")
    parser.add_argument("--add-part-only", action="store_true", help="only adding parts later")
    args = parser.parse_args()

    figures = Figures()
    with tempfile.TemporaryDirectory(prefix="plugin-bench-") as work:
        only = args.running_only or args.add_part_only
        for host in [] if only else args.hosts:
            print(f"measuring {host} …", file=sys.stderr, flush=True)
            measure_host(host, args, figures, Path(work))
        total = measure_matrix(args.hosts, figures, Path(work)) if args.matrix and not only else None
        for host in args.hosts if args.add_part and not args.running_only else []:
            print(f"adding parts to a {host} plugin …", file=sys.stderr, flush=True)
            measure_add_part(host, args, figures, Path(work))
        if args.running and not args.add_part_only:
            with machine.services() as services:
                for host in args.hosts:
                    print(f"running {host} as authors and admins do …", file=sys.stderr, flush=True)
                    measure_running(host, args, figures, Path(work), services)

    header = (
        f"Measured {datetime.now(UTC):%Y-%m-%d} on {platform.node() or 'this machine'}: "
        f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; median of {args.runs} runs (min–max)."
    )
    report = f"{header}\n\n{figures.table(args.hosts)}\n"
    if total is not None:
        report += f"\nFull matrix, all hosts at both ends, one after the other: {total:.0f} s.\n"
    print(report)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(report)


if __name__ == "__main__":
    main()
