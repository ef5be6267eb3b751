"""The admin's install, proven: `tox -e install-check` runs `hostplugin install-check`.

The host's newest tested release, set up the way its production docs set it up (DEBUG off,
PostgreSQL, Redis and a Celery worker where the host uses them, collected static files,
gunicorn) gets the plugin the way an admin gets it: the sdist and the wheel are
uploaded with twine to a package index on localhost, and the commands of README.md's "Install"
section run as they are written, pip pointed at that index.
Then, over HTTP: the plugin's pages answer with the plugin's content, its static files were
collected, its settings page opens after a real login, and no error reaches the host's logs.
Last, `pip uninstall` and a restart: the host still serves the event that had the plugin.

It needs DATABASE_URL, a PostgreSQL server, version 13 or newer (the check creates a database of
its own there, and drops it at the end, whether the check passed or failed), and for a host
that uses Redis (pretix, pretalx) REDIS_URL, a Redis server (e.g. redis://127.0.0.1:6379).
Everything else it makes in a temporary folder. The demo data comes from the plugin's own
demo module (tests/demo.py), run inside the host.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import ExitStack, contextmanager
from pathlib import Path

from .devhost import write_config

# A logged error, a traceback's first line, and its last (the exception).
ERROR_IN_LOG = re.compile(r"\b(ERROR|CRITICAL)\b|^Traceback \(most recent call last\)|^\w+(Error|Exception): ")


class CheckFailed(Exception):
    pass


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_it_answers(url, process, seconds=120):
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CheckFailed(f"the server for {url} exited with code {process.returncode}")
        try:
            requests.get(url, timeout=5)
            return  # it answers, whatever it says
        except requests.RequestException:
            time.sleep(0.5)
    raise CheckFailed(f"no answer from {url} within {seconds} s")


def host_requirement(facts):
    """The newest release the toolkit was tested with; with the PostgreSQL driver, where the
    host makes it optional."""
    extra = f"[{facts['run']['postgres_extra']}]" if facts["run"]["postgres_extra"] else ""
    return f"{facts['pypi_name']}{extra}=={facts['newest']['version']}"


class Instance:
    """The host in its own virtualenv, configured for production."""

    def __init__(self, plugin, folder, database, redis):
        self.plugin = plugin
        self.run_facts = plugin.facts["run"]
        self.folder = folder
        self.venv = folder / "venv"
        self.bin = self.venv / "bin"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.processes = {}
        self.config = write_config(folder, host=plugin.host, url=self.url, debug=False, database=database, redis=redis)
        self.env = os.environ | {
            self.run_facts["config_env"]: str(self.config),
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "VIRTUAL_ENV": str(self.venv),
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.database = database
        self.database_created = False

    def run(self, *command, **kwargs):
        result = subprocess.run(command, env=self.env, cwd=self.folder, capture_output=True, text=True, **kwargs)
        if result.returncode != 0:
            raise CheckFailed(f"`{' '.join(map(str, command))}` failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def install(self):
        # --seed: the admin's pip, which README's commands use.
        self.run("uv", "venv", "--seed", "--quiet", "--python", sys.executable, str(self.venv))
        # The host and the web server its docs name (pyproject.toml's group production-server).
        server = f"{self.plugin.root / 'pyproject.toml'}:production-server"
        self.run(
            "uv",
            "pip",
            "install",
            "--quiet",
            "--python",
            str(self.bin / "python"),
            host_requirement(self.plugin.facts),
            "--group",
            server,
        )

    def create_database(self):
        # A database of its own on DATABASE_URL's server, new for every run.
        self.run(str(self.bin / "python"), "-c", DATABASE_COMMAND, json.dumps(self.database), "create")
        self.database_created = True

    def drop_database(self):
        if self.database_created:
            try:
                self.run(str(self.bin / "python"), "-c", DATABASE_COMMAND, json.dumps(self.database), "drop")
            except CheckFailed as failure:
                print(f"Could not drop the database {self.database['name']}: {failure}", file=sys.stderr)

    def manage(self, *arguments):
        return self.run(str(self.bin / "python"), "-m", self.plugin.host, *arguments)

    def demo_data(self):
        """Inside the host (Django set up): the plugin's demo data, and where the collected
        static files are. The host's venv has neither the toolkit nor the check's own tools, as
        an admin's has not: the script is standard library, and the demo module finds the
        toolkit's host helpers in a copy of the toolkit's own files, behind the host's packages
        on the path."""
        toolkit = self.folder / "toolkit"
        if not toolkit.exists():
            shutil.copytree(Path(__file__).parent, toolkit / __package__, ignore=shutil.ignore_patterns("__pycache__"))
        arguments = {
            "toolkit": str(toolkit),
            "root": str(self.plugin.root),
            "settings": self.run_facts["settings"],
            "demo": self.plugin.demo_module,
            "url": self.url,
        }
        output = self.run(str(self.bin / "python"), "-c", DEMO_COMMAND, json.dumps(arguments))
        return json.loads(output.strip().splitlines()[-1])

    def start(self):
        logs = self.folder / "logs"
        logs.mkdir(exist_ok=True)
        commands = {
            "gunicorn": [
                self.bin / "gunicorn",
                self.run_facts["wsgi"],
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
            ],
        }
        if self.run_facts["worker"]:
            worker = self.run_facts["worker"]
            commands["celery"] = [
                self.bin / "celery",
                "-A",
                worker,
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "1",
            ]
        for name, command in commands.items():
            log = (logs / f"{name}.log").open("a")
            self.processes[name] = subprocess.Popen(
                command,
                env=self.env,
                cwd=self.folder,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until_it_answers(self.url + "/", self.processes["gunicorn"])

    def stop(self):
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes = {}

    def errors_in_logs(self):
        """Lines of the host's and the servers' logs that report an error."""
        found = []
        for log in sorted(self.folder.glob("**/logs/*.log")):
            found += [
                f"{log.name}: {line}"
                for line in log.read_text(errors="replace").splitlines()
                if ERROR_IN_LOG.search(line)
            ]
        return found


# Run with the host's own PostgreSQL driver: `create` (afresh, whatever a killed run left) or
# `drop`. WITH (FORCE) (PostgreSQL 13 and newer): a worker that did not stop in time must not
# keep the database alive.
DATABASE_COMMAND = """
import json, sys
import psycopg2
database, action = json.loads(sys.argv[1]), sys.argv[2]
connection = psycopg2.connect(dbname="postgres", user=database["user"], password=database["password"],
                              host=database["host"], port=database["port"])
connection.autocommit = True
with connection.cursor() as cursor:
    cursor.execute(f'DROP DATABASE IF EXISTS "{database["name"]}" WITH (FORCE)')
    if action == "create":
        cursor.execute(f'CREATE DATABASE "{database["name"]}"')
"""


# Run inside the host's venv: the plugin's demo data, and where the collected static files are.
DEMO_COMMAND = """
import importlib, json, os, sys
arguments = json.loads(sys.argv[1])
sys.path.insert(0, arguments["root"])
sys.path.append(arguments["toolkit"])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", arguments["settings"])
import django
django.setup()
from django.conf import settings
site = importlib.import_module(arguments["demo"]).create(arguments["url"])
print(json.dumps(site | {"static_url": settings.STATIC_URL, "static_root": str(settings.STATIC_ROOT)}))
"""


@contextmanager
def package_index(folder):
    """pypiserver on localhost, which takes uploads without a password; yields its URL."""
    packages = folder / "packages"
    packages.mkdir()
    port = free_port()
    log = (folder / "pypiserver.log").open("w")
    server = subprocess.Popen(
        [Path(sys.executable).parent / "pypi-server", "run", "--port", str(port), "--host", "127.0.0.1",
         "--passwords", ".", "--authenticate", ".", str(packages)],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        wait_until_it_answers(f"http://127.0.0.1:{port}/", server, seconds=30)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()


def publish(folder, index, root):
    """Build the sdist and the wheel from a clean copy of the sources, and upload them."""
    dist = folder / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--installer", "uv", "--outdir", dist, root],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [sys.executable, "-m", "twine", "upload", "--non-interactive", "--repository-url", f"{index}/",
         "--username", "admin", "--password", "unused", *sorted(dist.iterdir())],
        check=True, capture_output=True,
    )  # fmt: skip


def install_commands(root):
    """The commands of README.md's "Install" section, as an admin would copy them."""
    readme = (root / "README.md").read_text()
    section = readme.split("\n## Install\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```console\n(.*?)```", section, re.DOTALL)
    if not block:
        raise CheckFailed("README.md's Install section has no ```console block")
    return [line for line in block.group(1).splitlines() if line.strip()]


class Browser:
    """A browser's session (requests keeps its cookies and follows redirects), which logs in
    through the host's own login form."""

    def __init__(self):
        import requests

        self.session = requests.Session()

    @staticmethod
    def answer(response):
        """The status, the URL after any redirects, and the body, whatever the status."""
        return response.status_code, response.url, response.content.decode("utf-8", "replace")

    def get(self, url):
        return self.answer(self.session.get(url, timeout=60))

    def post(self, url, data):
        """POST a form, as a browser does: with the CSRF token of the cookie the host set (each host
        names it <host>_csrftoken; Django takes its value as the form's token, too)."""
        cookies = self.session.cookies
        token = next((cookie.value for cookie in cookies if cookie.name.endswith("csrftoken")), None)
        if not token:
            raise CheckFailed(f"no CSRF cookie for the form at {url}")
        form = data | {"csrfmiddlewaretoken": token}
        return self.answer(self.session.post(url, data=form, headers={"Referer": url}, timeout=60))

    def log_in(self, login):
        self.get(login["url"])  # sets the CSRF cookie
        status, final_url, _ = self.post(login["url"], login["form"])
        # A successful login redirects away from the login page.
        login_path = urllib.parse.urlsplit(login["url"]).path.rstrip("/")
        if status != 200 or urllib.parse.urlsplit(final_url).path.rstrip("/") == login_path:
            raise CheckFailed(f"logging in at {login['url']} failed ({status}, at {final_url})")


def check_pages(instance, browser, site):
    """Each page the plugin adds to, with the plugin's content, and the plugin's static files
    those pages reference. `browser` is logged in; public pages are fetched anonymously."""
    anonymous = Browser()
    problems = []
    for page in site["pages"]:
        status, final_url, body = (browser if page.get("login") else anonymous).get(page["url"])
        if status != 200 or page["expect"] not in body:
            problems.append(f"{page['url']} answered {status} at {final_url}, without {page['expect']!r}")
            continue
        # The plugin's static files, referenced by the page: collected by the deploy commands.
        prefix = f"{site['static_url']}{instance.plugin.module}/"
        for path in set(
            re.findall(rf"(?:href|src)=[\"']?(?:{re.escape(instance.url)})?({re.escape(prefix)}[^\"'?#\s>]+)", body)
        ):
            collected = Path(site["static_root"]) / path.removeprefix(site["static_url"])
            status, _, _ = anonymous.get(instance.url + path)
            if not collected.is_file() or status not in (200, 404):
                problems.append(f"{path} (on {page['url']}): collected {collected.is_file()}, HTTP {status}")
            print(f"  static {path}: collected, HTTP {status}")
        print(f"  {page['url']}: 200, with {page['expect']!r}")
    return problems


def check_exports(instance, browser, site):
    """Start each export as the control panel's export form does: the host queues it for a
    worker, and the page polls until the file is ready to download."""
    problems = []
    for export in site.get("exports", []):
        _, _, body = browser.post(export["url"], export["form"] | {"ajax": "1"})
        deadline = time.monotonic() + 120
        result = json.loads(body)
        while not result.get("ready") and time.monotonic() < deadline:
            time.sleep(0.5)
            result = json.loads(browser.get(instance.url + result["check_url"])[2])
        if not result.get("success"):
            problems.append(f"the export {export['form']} did not finish: {result}")
            continue
        status, _, content = browser.get(instance.url + result["redirect"])
        if status != 200 or export["expect"] not in content:
            problems.append(f"the export's file answered {status}, without {export['expect']!r}")
            continue
        print(f"  export {export['form']}: run by the worker, file downloaded, with {export['expect']!r}")
    return problems


def check(instance, folder, stack, step):
    """The steps of the check; returns the problems it found on the way."""
    plugin = instance.plugin
    step(f"{host_requirement(plugin.facts)}, production settings, in {folder}")
    instance.install()
    instance.create_database()
    for command in instance.run_facts["deploy"]:
        instance.manage(command)
    instance.demo_data()  # the event, before the plugin is there
    instance.start()

    step("plugin: build, twine upload to a local index")
    index = stack.enter_context(package_index(folder))
    publish(folder, index, plugin.root)

    step("README.md's Install commands")
    instance.stop()
    readme_env = instance.env | {
        "PIP_EXTRA_INDEX_URL": f"{index}/simple/",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    for command in install_commands(plugin.root):
        print(f"  $ {command}", flush=True)
        result = subprocess.run(["bash", "-c", command], env=readme_env, cwd=folder, capture_output=True, text=True)
        if result.returncode != 0:
            raise CheckFailed(f"`{command}` failed:\n{result.stdout}\n{result.stderr}")
    instance.run(str(instance.bin / "python"), "-m", "pip", "show", plugin.distribution)
    instance.start()  # the README says: restart

    step("the plugin's pages over HTTP")
    site = instance.demo_data()  # enables the plugin, as the event's plugin page does
    browser = Browser()
    browser.log_in(site["login"])
    problems = check_pages(instance, browser, site) + check_exports(instance, browser, site)

    step("pip uninstall, restart")
    instance.stop()
    instance.run(str(instance.bin / "python"), "-m", "pip", "uninstall", "--yes", plugin.distribution)
    instance.start()
    front_page = site["pages"][0]["url"]
    status, _, _ = Browser().get(front_page)
    if status != 200:
        problems.append(f"after uninstalling, {front_page} answered {status}")
    return problems


def main(argv, plugin):
    from .database import from_environment

    database = from_environment()
    redis = os.environ.get("REDIS_URL", "").rstrip("/")
    if not database:
        sys.exit(
            "The install check needs a PostgreSQL server: set DATABASE_URL=postgresql://user:password@host:port/name."
        )
    if plugin.facts["run"]["redis"] and not redis:
        sys.exit("The install check needs a Redis server: set REDIS_URL=redis://host:port.")
    database["name"] = f"{database['name']}_install_check"
    started = time.monotonic()

    def step(text):
        print(f"[{time.monotonic() - started:5.1f} s] {text}", flush=True)

    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="install-check-")))
        instance = Instance(plugin, folder, database, redis or None)
        # At the end, passed or failed: stop the servers, then drop the check's database.
        stack.callback(instance.drop_database)
        stack.callback(instance.stop)

        try:
            problems = check(instance, folder, stack, step)
        except CheckFailed as failure:
            problems = [str(failure)]
        instance.stop()
        # Also after a failed step: the logs usually say why.
        problems += instance.errors_in_logs()

        if problems:
            print("\n".join(["The install check failed:", *problems]), file=sys.stderr)
            sys.exit(1)
        step("passed: installed as README.md says, served with production settings, uninstalled cleanly")
