"""The `hostplugin` command line."""

import subprocess
import sys

import hostplugin_toolkit


def hostplugin(*args, cwd):
    command = [sys.executable, "-m", "hostplugin_toolkit", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL)


def test_info_names_the_plugin_and_its_host(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project.entry-points."pretalx.plugin"]\npretalx_x = "pretalx_x"\n')
    result = hostplugin("info", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "plugin: pretalx_x" in result.stdout and "host:   pretalx" in result.stdout
    assert hostplugin_toolkit.__version__ in result.stdout
    assert "system packages the tests need: gettext\n" in result.stdout


def test_info_names_the_system_packages_ci_installs(tmp_path):
    table = '[tool.hostplugin-toolkit]\nsystem-packages = ["ghostscript"]\n'
    (tmp_path / "pyproject.toml").write_text(f'[project.entry-points."pretix.plugin"]\npretix_x = "pretix_x"\n{table}')
    assert "system packages the tests need: gettext, ghostscript" in hostplugin("info", cwd=tmp_path).stdout


def test_an_unknown_command_is_one_line_with_the_known_ones(tmp_path):
    result = hostplugin("serve-me", cwd=tmp_path)
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("hostplugin: no command 'serve-me'; try one of: serve, manage, translations,"), line


def test_outside_a_plugin_it_says_where_to_run_it(tmp_path):
    result = hostplugin("info", cwd=tmp_path)
    assert result.returncode == 1 and "run this in the plugin's folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_adopt_in_a_plugin_with_only_setup_py_says_what_to_write_first(tmp_path):
    (tmp_path / "setup.py").write_text("from setuptools import setup\n\nsetup(name='pretix-x')\n")
    result = hostplugin("adopt", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "move its metadata and entry point into pyproject.toml" in line
