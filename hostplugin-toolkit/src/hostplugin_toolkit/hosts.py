"""The host facts: what the toolkit knows of each host's plugin API and supported releases.

hosts.json is the template's host table (`_hosts` in its cookiecutter.json), shipped with the
package; the template's tests hold the two equal. Nothing here is typed twice.
"""

import json
from functools import cache
from importlib.resources import files


@cache
def all_hosts():
    """Every host's facts, by the host's name."""
    return json.loads(files(__package__).joinpath("hosts.json").read_text("utf-8"))


def facts(host):
    try:
        return all_hosts()[host]
    except KeyError:
        raise SystemExit(f"Unknown host {host!r}: the toolkit knows {', '.join(sorted(all_hosts()))}.") from None


def by_entry_point_group(group):
    """The host whose plugins register under this entry-point group, or None."""
    for name, host in all_hosts().items():
        if host["entry_point_group"] == group:
            return name
    return None
