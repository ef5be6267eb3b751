{%- set host = cookiecutter._hosts[cookiecutter.host] -%}
"""The {{ cookiecutter.module_name }} plugin for {{ cookiecutter.host }}; its name and description are in apps.py."""

# The single place the version is defined: pyproject.toml and the plugin meta both read it.
__version__ = "0.1.0"
