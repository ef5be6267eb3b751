"""The toolkit's pytest plugin (entry point `pytest11`), loaded wherever the toolkit is
installed: in the plugin's tox envs.

It adds the host contract (hostplugin_toolkit.contract) to a plain `pytest` run, one that
collects the test paths of the plugin's configuration; a run of chosen files or folders (`pytest
tests/test_views.py`) gets only what it chose. It registers the fixtures of the plugin's host
(hostplugin_toolkit.fixtures.<host>): organizers and events, users and clients, orders,
proposals, members, and a fresh start for every test. A fixture of the same name in the
plugin's conftest.py wins. `pytest -p no:hostplugin_toolkit` leaves all of it out.
"""

import importlib

import pytest

from . import contract
from .plugin import read


def pytest_configure(config):
    # Where the toolkit is installed, the run's folder is a plugin's: even one whose
    # pyproject.toml lost its entry point, which the contract then reports.
    if not (config.rootpath / "pyproject.toml").is_file():
        return
    # A plain run: the configuration's test paths, or, where it names none, the plugin's folder.
    plain = config.args_source == pytest.Config.ArgsSource.TESTPATHS or (
        config.args_source == pytest.Config.ArgsSource.INVOCATION_DIR
        and config.invocation_params.dir == config.rootpath
    )
    if plain:
        config.args.append(contract.__file__)
    try:
        host = read(config.rootpath).host
    except SystemExit:
        return
    # The host's fixtures, for every test of the plugin (its conftest.py's own win).
    config.pluginmanager.register(
        importlib.import_module(f"{__package__}.fixtures.{host}"), "hostplugin_toolkit.fixtures"
    )


@pytest.fixture(scope="session")
def toolkit_plugin(pytestconfig):
    """The plugin under test, as its pyproject.toml describes it (hostplugin_toolkit.plugin)."""
    try:
        return read(pytestconfig.rootpath)
    except SystemExit as problem:
        pytest.fail(str(problem), pytrace=False)
