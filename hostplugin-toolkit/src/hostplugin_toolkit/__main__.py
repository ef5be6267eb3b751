"""`hostplugin COMMAND`: what the plugin's tox envs run, in the plugin's folder.

hostplugin manage COMMAND …    Django's management commands with the plugin's test settings
hostplugin translations        the catalogs against the code, and compiled
hostplugin makemessages …      the catalogs updated from the code (Django's makemessages)
hostplugin package DIST        the sdist and the wheel built into DIST, checked, the wheel installed
hostplugin host-branch FOLDER  the host's development branch, cloned into FOLDER and installed
hostplugin info                the plugin and host the toolkit sees here
hostplugin adopt [--preview]   bring the toolkit into a plugin not made from the template
"""

import sys

from . import __version__


def info(argv, plugin):
    oldest, newest = plugin.facts["lines"][0]["from"], plugin.facts["newest"]["version"]
    print(f"hostplugin-toolkit {__version__}")
    print(f"plugin: {plugin.module} in {plugin.root}")
    print(f"host:   {plugin.host}, supported from {oldest}, newest tested {newest}")
    # What CI installs from Debian for the tests, beside gettext; locally, install them yourself.
    system = plugin.settings.get("system-packages", [])
    print(f"system packages the tests need: gettext{''.join(f', {name}' for name in system)}")


def commands():
    from . import add_part, adopt, devhost, host_branch, install_check, manage, package, translations

    return {
        "serve": lambda argv, plugin: devhost.main(["hostplugin serve", *(argv or ["runserver"])], plugin),
        "manage": lambda argv, plugin: manage.main(["hostplugin manage", *argv], plugin),
        "translations": lambda argv, plugin: translations.main(plugin),
        "host-branch": host_branch.main,
        "install-check": install_check.main,
        "package": package.main,
        "makemessages": lambda argv, plugin: translations.makemessages(argv, plugin),
        "add-part": add_part.main,
        "update": lambda argv, plugin: add_part.main(["--update", *argv], plugin),
        "info": info,
        "adopt": adopt.main,
    }


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    known = commands()
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return
    if argv[0] == "--version":
        print(__version__)
        return
    if argv[0] not in known:
        raise SystemExit(f"hostplugin: no command {argv[0]!r}; try one of: {', '.join(known)}.")
    from pathlib import Path

    from .plugin import read

    if argv[0] == "adopt" and (Path("setup.py").is_file() and not Path("pyproject.toml").is_file()):
        raise SystemExit(
            "hostplugin adopt: this plugin has only setup.py; move its metadata and entry point into "
            "pyproject.toml ([project], [project.entry-points]), as the hosts' cookiecutters write them now, "
            "then adopt."
        )
    plugin = read()
    # The plugin's folder first on the path, as `python -m` would have it: tests.settings and
    # the plugin's own tools import from there.
    sys.path.insert(0, str(plugin.root))
    known[argv[0]](argv[1:], plugin)


if __name__ == "__main__":
    main()
