"""Compile the translations whenever the package is built, and build from the sources alone.

Only the .po sources live in git; the .mo files that Django reads are made here, by GNU gettext's
msgfmt, for the sdist and for the wheel. All other packaging settings are in pyproject.toml.
"""

import shutil
import subprocess  # nosec B404: runs msgfmt only, found on PATH, with fixed arguments
from pathlib import Path

from setuptools import Command, setup
from setuptools.command.build import build
from setuptools.command.sdist import sdist

LOCALE_DIR = Path(__file__).parent / "src" / "{{ cookiecutter.module_name }}" / "locale"


def is_compiled(po_file):
    mo_file = po_file.with_suffix(".mo")
    return mo_file.exists() and mo_file.stat().st_mtime >= po_file.stat().st_mtime


class CompileTranslations(Command):
    description = "compile the .po files under locale/ into .mo files"
    user_options = []

    def initialize_options(self):
        pass

    def finalize_options(self):
        pass

    def run(self):
        for mo_file in LOCALE_DIR.glob("*/LC_MESSAGES/*.mo"):
            if not mo_file.with_suffix(".po").exists():
                mo_file.unlink()  # its catalog was deleted: the package must not keep serving it
        po_files = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
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


class BuildWithTranslations(build):
    sub_commands = [("compile_translations", None), *build.sub_commands]

    def run(self):
        # setuptools copies the package into build/lib and never removes from there what was
        # deleted from src/ since the last build: a deleted migration or template would still
        # be in the next wheel. Every build starts from the sources alone.
        shutil.rmtree(self.build_lib, ignore_errors=True)
        super().run()


class SdistWithTranslations(sdist):
    def run(self):
        self.run_command("compile_translations")
        super().run()


setup(
    cmdclass={
        "compile_translations": CompileTranslations,
        "build": BuildWithTranslations,
        "sdist": SdistWithTranslations,
    }
)
