"""Compile a plugin's translations whenever setuptools builds it, and build from the sources alone.

A plugin names these classes in its pyproject.toml and lists the toolkit among its build
requirements; it carries no setup.py:

    [build-system]
    requires = ["setuptools>=77", "hostplugin-toolkit==X.Y.Z"]

    [tool.setuptools.cmdclass]
    build = "hostplugin_toolkit.build.Build"
    sdist = "hostplugin_toolkit.build.Sdist"

Only the .po sources live in git; the .mo files that Django reads are made here, by GNU gettext's
msgfmt (with its checks, as Django's compilemessages), for the sdist and for the wheel. An sdist
carries its .mo files, so a wheel builds from it on a machine without gettext.

Why not the hosts' own helpers: pretix-plugin-build and pretalx-plugin-build run Django's
compilemessages, which walks every folder below the working directory (.tox and .venv included),
needs gettext even for a wheel built from an sdist, and leaves setuptools' build/lib behind, so
that a file deleted from src/ still ships in the next wheel. byro has no helper.

This module imports nothing but the standard library and setuptools: it runs in the isolated
environment a build frontend makes, where only the build requirements are installed.
"""

import shutil
import subprocess  # nosec B404: runs msgfmt only, found on PATH, with fixed arguments
from pathlib import Path

from setuptools import Command
from setuptools.command.build import build
from setuptools.command.sdist import sdist


def locale_folders(distribution):
    """The locale/ folder of each top-level package the distribution ships, in the source tree."""
    package_dir = distribution.package_dir or {}
    root = Path(distribution.src_root or ".")
    for package in distribution.packages or ():
        if "." in package:
            continue
        if package in package_dir:
            folder = root / package_dir[package]
        else:
            folder = root / package_dir.get("", ".") / package
        if (folder / "locale").is_dir():
            yield folder / "locale"


def is_compiled(po_file):
    mo_file = po_file.with_suffix(".mo")
    return mo_file.exists() and mo_file.stat().st_mtime >= po_file.stat().st_mtime


class CompileTranslations(Command):
    description = "compile the .po files under each package's locale/ into .mo files"
    user_options = []

    def initialize_options(self):
        pass

    def finalize_options(self):
        pass

    def run(self):
        po_files = []
        for locale in locale_folders(self.distribution):
            for mo_file in locale.glob("*/LC_MESSAGES/*.mo"):
                if not mo_file.with_suffix(".po").exists():
                    mo_file.unlink()  # its catalog was deleted: the package must not keep serving it
            po_files += sorted(locale.glob("*/LC_MESSAGES/*.po"))
        msgfmt = shutil.which("msgfmt")
        if msgfmt is None:
            # An sdist carries the .mo files compiled from its .po files: a wheel can be built
            # from it without gettext, as pip does on a machine that has none.
            if all(is_compiled(po_file) for po_file in po_files):
                return
            raise SystemExit(
                "msgfmt not found: install GNU gettext to build this package "
                "(apt install gettext, or brew install gettext)."
            )
        for po_file in po_files:
            subprocess.run(  # nosec B603: no shell; the arguments are paths in this checkout
                [msgfmt, "--check", "-o", str(po_file.with_suffix(".mo")), str(po_file)],
                check=True,
            )


class Build(build):
    sub_commands = [("compile_translations", None), *build.sub_commands]

    def initialize_options(self):
        super().initialize_options()
        # Registered here, so that pyproject.toml names only build and sdist.
        self.distribution.cmdclass.setdefault("compile_translations", CompileTranslations)

    def run(self):
        # setuptools copies the package into build/lib and never removes from there what was
        # deleted from src/ since the last build: a deleted migration or template would still
        # be in the next wheel. Every build starts from the sources alone.
        shutil.rmtree(self.build_lib, ignore_errors=True)
        super().run()


class Sdist(sdist):
    def run(self):
        self.distribution.cmdclass.setdefault("compile_translations", CompileTranslations)
        self.run_command("compile_translations")
        super().run()
