"""Sphinx configuration for the django-plugin-cookiecutter docs (MyST Markdown, furo)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "django-plugin-cookiecutter"
author = "the django-plugin-cookiecutter developers"
extensions = ["myst_parser", "host_table"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = project
html_static_path = ["_static"]
# Anchors of other sites are not checked: the build must not need the network.
suppress_warnings = ["myst.xref_missing"]
