"""The generated plugins where they really run: the development server an author starts
(`tox -e serve`), the admin's install into a host with production settings
(`tox -e install-check`), and each host's suite on PostgreSQL.

tox runs these in their own environment (`running`), beside the other template tests, with a
private PostgreSQL cluster and Redis server that tests/machine.py starts and stops.
"""

import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

import pytest

from . import machine, toolkit
from .conftest import (
    CONTEXT,
    GIT_IDENTITY,
    all_parts,
    bake,
    pythons_for,
    run,
    tool_env,
)

# A template of the plugin that a page of the development server shows (the page's index in
# .devhost/site.json), to edit while the server runs: with the example, and without it.
LIVE_TEMPLATE = {
    ("pretix", "yes"): ("announcements.html", 1),
    ("pretalx", "yes"): ("announcements.html", 1),
    ("byro", "yes"): ("member_notes.html", 1),
    ("pretix", "no"): ("front_page.html", 0),
    ("pretalx", "no"): ("page.html", 1),
}
EDIT_MARKER = "edited-while-running"


@pytest.fixture(scope="session")
def running_services():
    with machine.services() as variables:
        yield variables


@pytest.fixture
def services(running_services):
    """The session's PostgreSQL and Redis, Redis emptied: an earlier test's cache entries and
    queued tasks (the same database names, the same row ids) must not reach the next host."""
    subprocess.run(["redis-cli", "-u", running_services["REDIS_URL"], "FLUSHALL"], check=True, capture_output=True)
    return running_services


def new_browser():
    """A browser session that logs in through the host's form: the install check's own."""
    return toolkit.sources_module("install_check").Browser()


SERVE = [sys.executable, "-m", "tox", "run", "-e", "serve"]
# What an author's script finds in the dev server's instance, through `tox -e serve -- shell`.
DEMO_SHELL_SCRIPT = {
    "pretix": """
from django_scopes import scopes_disabled
from pretix.base.models import Event
with scopes_disabled():
    print("languages:", sorted(Event.objects.get(slug="demo").settings.locales))
""",
    # Submissions are kept apart by event: this query needs the shell's scope.
    "pretalx": """
from pretalx.event.models import Event
from pretalx.submission.models import Submission
print("languages:", sorted(Event.objects.get(slug="demo").locales), "submissions:", Submission.objects.count())
""",
    "byro": """
from byro.members.models import Member
print("members:", Member.objects.count())
""",
}
DEMO_SHELL_ANSWER = {
    "pretix": "languages: ['de', 'en']",
    "pretalx": "languages: ['de', 'en'] submissions: 0",
    "byro": "members:",
}


@contextmanager
def dev_server(project, env, log, command=SERVE):
    """`tox -e serve` (or a command that ends in it) in its own process group; yields
    (process, site, seconds to first answer)."""
    site_file = project / ".devhost" / "site.json"
    site_file.unlink(missing_ok=True)
    started = time.monotonic()
    with log.open("a") as output:
        process = subprocess.Popen(
            command,
            cwd=project,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            # As in a terminal: Ctrl-C interrupts. (A runner may start the tests with SIGINT
            # ignored, and Python then never turns it into KeyboardInterrupt.)
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    try:
        port = int(env["DEVHOST_ADDRESS"].rsplit(":", 1)[1])
        while not site_file.exists():
            assert process.poll() is None, f"tox -e serve exited:\n{log.read_text()[-6000:]}"
            assert time.monotonic() - started < 600, f"no demo data after 600 s:\n{log.read_text()[-6000:]}"
            time.sleep(0.5)
        machine.wait_for_port(port, process, seconds=120)
        yield process, json.loads(site_file.read_text()), time.monotonic() - started
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)  # Ctrl-C in the author's terminal
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                raise AssertionError(f"tox -e serve ignored Ctrl-C for 60 s:\n{log.read_text()[-3000:]}") from None


def group_is_gone(pid, seconds=15):
    # tox ends its children with SIGINT, then SIGTERM; the last of them may need a moment to be
    # reaped.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


def port_is_free(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def readme_block(project, section, readme="README.md"):
    """The commands of the first console block under a heading of a generated README."""
    text = (project / readme).read_text()
    block = re.search(rf"^## {section}\n.*?^```console\n(.*?)^```$", text, flags=re.M | re.S)
    return block[1].strip()


@pytest.mark.parametrize(
    ("host", "example"),
    [
        *(pytest.param(host, "yes", id=host) for host in CONTEXT["host"]),
        *(pytest.param(host, "no", id=f"{host}-without-example") for host in CONTEXT["host"]),
    ],
)
def test_dev_server_serves_the_plugin_reloads_edits_and_stops_cleanly(tmp_path, host, example):
    project = bake(tmp_path, host=host, example=example)
    port = machine.free_port()
    env = tool_env(pythons_for(host)) | {"DEVHOST_ADDRESS": f"127.0.0.1:{port}"} | GIT_IDENTITY
    env.pop("DATABASE_URL", None)  # the default: SQLite inside .devhost/
    log = tmp_path / "serve.log"
    # The author's first commit, as the post-generation message says: the dev server must leave
    # nothing behind that git would offer to commit.
    run(["bash", "-c", "git init -q && git add . && git commit -q -m start"], cwd=project, env=env)
    # DEVELOPING.md's Develop block, as written, in a fresh virtualenv of the oldest Python the plugin
    # supports, with that Python's own pip.
    oldest = min(pythons_for(host), key=lambda version: tuple(map(int, version.split("."))))
    run([f"python{oldest}", "-m", "venv", str(tmp_path / "venv")], cwd=tmp_path, env=env)
    develop = f"set -e; . {tmp_path / 'venv' / 'bin' / 'activate'}\n{readme_block(project, 'Develop', 'DEVELOPING.md')}"
    assert develop.endswith("tox -e serve"), develop

    with dev_server(project, env, log, command=["bash", "-c", develop]) as (process, site, first_start):
        browser = new_browser()
        browser.log_in(site["login"])
        for page in site["pages"]:
            status, _, body = browser.get(page["url"])
            assert status == 200 and page["expect"] in body, f"{page['url']}: {status}\n{body[-3000:]}"
        # An edit to a template of the editable install shows at once, without a restart (byro's
        # plugin without the example has no template: its settings and tile are byro's own).
        edited = []
        if (host, example) in LIVE_TEMPLATE:
            template_name, page_index = LIVE_TEMPLATE[host, example]
            template = next((project / "src").glob(f"*/templates/*/{template_name}"))
            template.write_text(template.read_text().replace('class="', f'class="{EDIT_MARKER} ', 1))
            _, _, body = browser.get(site["pages"][page_index]["url"])
            assert EDIT_MARKER in body
            edited.append(str(template.relative_to(project)))
        # The edit reloaded the server; it is still up, not crashed by the reload.
        assert process.poll() is None, log.read_text()[-3000:]
    assert process.returncode is not None
    assert group_is_gone(process.pid), "a process of `tox -e serve` outlived Ctrl-C"
    assert port_is_free(port)
    # The pinned tox has tox-uv already: it starts at once, with nothing to provision.
    assert "provision" not in log.read_text().lower()
    changed = run(["git", "status", "--porcelain"], cwd=project, env=env).stdout.splitlines()
    assert [line[3:] for line in changed] == edited, changed

    # The second start reuses the instance: the same admin logs in, without a new migration.
    with dev_server(project, env, log) as (process, site, second_start):
        new_browser().log_in(site["login"])
    assert group_is_gone(process.pid) and port_is_free(port)

    # `reset`, and the fresh instance begins from the host's migrated database that the first
    # start kept (tools/host_snapshot.py), with the plugin's migrations applied on top: the
    # copy holds the host's migrations alone, whichever plugin made it.
    snapshots = list(Path(os.environ["DEVHOST_CACHE"]).glob(f"{host}-*.sqlite3"))
    assert len(snapshots) == 1, snapshots
    with sqlite3.connect(snapshots[0]) as snapshot:
        label = next((project / "src").glob("*/__init__.py")).parent.name  # the app's label
        kept = snapshot.execute("SELECT count(*) FROM django_migrations WHERE app = ?", (label,)).fetchone()[0]
        tables = [name for (name,) in snapshot.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert kept == 0 and not [name for name in tables if name.startswith(f"{label}_")], tables
    run([*SERVE, "--", "reset"], cwd=project, env=env)
    with dev_server(project, env, log) as (process, site, after_reset):
        browser = new_browser()
        browser.log_in(site["login"])
        for page in site["pages"]:
            status, _, body = browser.get(page["url"])
            assert status == 200 and page["expect"] in body, f"{page['url']}: {status}\n{body[-3000:]}"
    assert f"{host}'s migrations: copied from {snapshots[0]}" in log.read_text()
    assert group_is_gone(process.pid) and port_is_free(port)
    print(
        f"{host}: first answer after {first_start:.0f} s (first start), {second_start:.0f} s (second start), "
        f"{after_reset:.0f} s (after reset)"
    )

    # The host's shell on the same instance, with a script of more than one line as the argument
    # of -c, as tools/devhost.py says: pretalx's shell scoped to the demo event without being
    # asked, and the demo event in English and German.
    if example == "yes":
        shell = [*SERVE, "--", "shell", "-c", DEMO_SHELL_SCRIPT[host]]
        output = run(shell, cwd=project, env=env).stdout
        assert DEMO_SHELL_ANSWER[host] in output, output[-3000:]


# pretix with every part: its exporter must run in the Celery worker of a production setup. The
# default bake's install check runs too, broken on purpose, in the test after this one. Each host
# that offers a plugin without the example checks one such plugin, with every part it takes.
INSTALL_CHECKS = [
    pytest.param("pretix", all_parts("pretix"), "yes", id="pretix-all-parts"),
    pytest.param("byro", "", "yes", id="byro"),
    *(pytest.param(host, all_parts(host), "no", id=f"{host}-without-example") for host in CONTEXT["host"]),
]


@pytest.mark.parametrize(("host", "parts", "example"), INSTALL_CHECKS)
def test_install_check_passes_on_a_production_configured_host(tmp_path, services, host, parts, example):
    project = bake(tmp_path, host=host, parts=parts, example=example)
    env = tool_env(pythons_for(host)) | services
    result = run([sys.executable, "-m", "tox", "run", "-e", "install-check"], cwd=project, env=env, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-8000:]
    assert "passed: installed as README.md says" in output
    # It ran the README's own commands, the deploy commands of the host table among them.
    for command in CONTEXT["_hosts"][host]["run"]["deploy"]:
        assert f"$ python -m {host} {command}" in output
    if "exporter" in parts and CONTEXT["_hosts"][host]["run"]["worker"]:
        assert re.search(r"export .*: run by the worker, file downloaded", output)
    assert not [name for name in machine.database_names(services["DATABASE_URL"]) if "install_check" in name]


def test_install_check_fails_when_the_readme_forgets_to_collect_static_files(tmp_path, services):
    # The bug this check was built for: pretix with DEBUG off and the plugin's stylesheet not
    # collected answers 500 on the event's pages.
    project = bake(tmp_path, host="pretix")
    readme = project / "README.md"
    readme.write_text(re.sub(r"^python -m pretix rebuild\n", "", readme.read_text(), flags=re.MULTILINE))
    env = tool_env(pythons_for("pretix")) | services
    result = run([sys.executable, "-m", "tox", "run", "-e", "install-check"], cwd=project, env=env, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "answered 500" in output
    assert "Missing staticfiles manifest entry" in output
    # Failed, and still dropped its database.
    assert not [name for name in machine.database_names(services["DATABASE_URL"]) if "install_check" in name]


@pytest.mark.parametrize("host", CONTEXT["host"])
def test_generated_suite_passes_on_postgresql(tmp_path, services, host):
    # With every part: their queries (the payment provider's row lock among them) meet PostgreSQL.
    project = bake(tmp_path, host=host, parts=all_parts(host))
    env = tool_env(pythons_for(host)) | {"DATABASE_URL": services["DATABASE_URL"]}
    command = [sys.executable, "-m", "tox", "run", "-e", f"{host}-newest", "--", "-v"]
    result = run(command, cwd=project, env=env, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-8000:]
    # The host contract's own check (from the toolkit) that the variable took effect.
    assert re.search(r"contract.py::test_the_database_is_the_one_database_url_names PASSED", output)
    if host != "pretix":
        return
    # What only PostgreSQL shows, and SQLite hides: each test that proves it must pass here (the
    # race test skips itself on SQLite), and turn red once the code it guards is gone.
    race = "test_refund_through_the_api_while_the_service_notifies_ends_done"
    savepoint = "test_a_failing_note_does_not_cost_the_order"
    for name in (race, savepoint):
        assert re.search(rf"::{name} PASSED", output), name
    # Without the order lock in execute_refund(), the notification is through before pretix has
    # recorded the refund as in transit, and the refund stays in transit.
    lock = "            Order.objects.select_for_update().get(pk=payment.order_id)\n"
    unlocked = "            Order.objects.get(pk=payment.order_id)\n"
    failure = red_on_postgresql(project, env, "payment.py", lock, unlocked, "def execute_refund(", race)
    assert "'transit' == 'done'" in failure
    # Without the savepoint, the note's failed query aborts the order's whole transaction.
    failure = red_on_postgresql(
        project, env, "after_action.py", "with transaction.atomic():", "if True:", "def ", savepoint
    )
    assert "current transaction is aborted" in failure


def red_on_postgresql(project, env, module, code, replacement, after, test):
    """Replace `code` (its first occurrence after `after`) in the plugin's module, run `test`
    in the pretix-newest env, put the code back, and return the failing run's output."""
    path = next(project.glob(f"src/*/{module}"))
    source = path.read_text()
    where = source.index(code, source.index(after))
    python = project / ".tox" / "pretix-newest" / "bin" / "python"
    uv = shutil.which("uv", path=env["PATH"])
    reinstall = [uv, "pip", "install", "--python", str(python), "--reinstall", "--no-deps", "."]
    path.write_text(source[:where] + replacement + source[where + len(code) :])
    try:
        run(reinstall, cwd=project, env=env)
        command = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests", "-k", test]
        result = run(command, cwd=project, env=env, check=False)
    finally:
        path.write_text(source)
        run(reinstall, cwd=project, env=env)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and re.search(rf"FAILED \S+::{test}", output), output[-5000:]
    return output


def test_dev_server_uses_database_url_and_reset_empties_it(tmp_path, services):
    # byro: the quickest host to migrate. The same code writes every host's config.
    project = bake(tmp_path, host="byro")
    # The session's own database on the private cluster, which no other test writes to.
    env = tool_env(pythons_for("byro")) | {
        "DEVHOST_ADDRESS": f"127.0.0.1:{machine.free_port()}",
        "DATABASE_URL": services["DATABASE_URL"],
    }
    with dev_server(project, env, tmp_path / "serve.log") as (_, site, _):
        new_browser().log_in(site["login"])
    assert not (project / ".devhost" / "data" / "db.sqlite3").exists()
    config = (project / ".devhost" / "byro.cfg").read_text()
    assert "engine = postgresql" in config and "name = plugin" in config

    result = run([sys.executable, "-m", "tox", "run", "-e", "serve", "--", "reset"], cwd=project, env=env)
    assert "starts afresh" in result.stdout
    assert not (project / ".devhost").exists()
    # The server's database was emptied too, and the next start seeds the admin again.
    server = urllib.parse.urlsplit(env["DATABASE_URL"])
    count = ["psql", "-h", server.hostname, "-p", str(server.port), "-U", server.username, "-tAc"]
    assert run([*count, "SELECT count(*) FROM auth_user", "plugin"], cwd=project).stdout.strip() == "0"
    with dev_server(project, env, tmp_path / "serve.log") as (_, site, _):
        new_browser().log_in(site["login"])
