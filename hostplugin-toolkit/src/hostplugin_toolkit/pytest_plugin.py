"""The toolkit's pytest plugin (entry point `pytest11`), loaded wherever the toolkit is
installed: in the plugin's tox envs.

It adds the host contract (hostplugin_toolkit.contract) to a plain `pytest` run, one that
collects the test paths of the plugin's configuration; a run of chosen files or folders (`pytest
tests/test_views.py`) gets only what it chose. `pytest -p no:hostplugin_toolkit` leaves it out.
"""

import pytest

from . import contract
from .plugin import read


def pytest_configure(config):
    # Where the toolkit is installed, the run's folder is a plugin's: even one whose
    # pyproject.toml lost its entry point, which the contract then reports.
    if config.args_source == pytest.Config.ArgsSource.TESTPATHS and (config.rootpath / "pyproject.toml").is_file():
        config.args.append(contract.__file__)


@pytest.fixture(scope="session")
def toolkit_plugin(pytestconfig):
    """The plugin under test, as its pyproject.toml describes it (hostplugin_toolkit.plugin)."""
    try:
        return read(pytestconfig.rootpath)
    except SystemExit as problem:
        pytest.fail(str(problem), pytrace=False)
