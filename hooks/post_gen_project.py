"""Tidy the new plugin, and tell the author what to do next."""

import json
import os

ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")

# cookiecutter makes every folder of the template, also those whose files all have names that
# come out empty for these answers (byro's plugin without the example has no stylesheet). git does
# not keep empty folders, so cruft would count them as deleted by the author, and would then leave
# out any file that a later update brings into them. Remove them, deepest first.
for folder, _, _ in os.walk(".", topdown=False):
    if folder != "." and not os.listdir(folder):
        os.rmdir(folder)

print(
    f"""
Created {ANSWERS["plugin_slug"]}: a {ANSWERS["host"]} plugin in the Python package {ANSWERS["module_name"]}.

Next steps:
  cd {ANSWERS["plugin_slug"]}
  git init && git add . && git commit -m "Start from django-plugin-cookiecutter"
  python -m pip install -r requirements-dev.txt     # tox, pinned (in a virtualenv)
  tox                   # the tests inside {ANSWERS["host"]}, lint and packaging checks
  tox -e serve          # {ANSWERS["host"]} with demo data and the plugin, at http://127.0.0.1:8000

Then open src/{ANSWERS["module_name"]}/signals.py: each receiver says which hook of {ANSWERS["host"]} it fills.
"""
)
if not (ANSWERS["author_email"] or ANSWERS["repository_url"]):
    # pretix's plugin quality checklist asks for a security contact; there is none to name yet.
    print("No e-mail address and no repository: add a SECURITY.md that says where to report a security problem.\n")
