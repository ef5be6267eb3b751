{%- set host = cookiecutter._hosts[cookiecutter.host] -%}
"""{{ cookiecutter.plugin_name }}: a plugin for {{ cookiecutter.host }}."""

# The single place the version is defined: pyproject.toml and the plugin meta both read it.
__version__ = "0.1.0"
