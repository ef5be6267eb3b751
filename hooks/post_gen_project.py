"""Tell the author what to do next."""

import json

ANSWERS = json.loads({{ cookiecutter | tojson | tojson }})

print(
    f"""
Created {ANSWERS["plugin_slug"]}: a {ANSWERS["host"]} plugin in the Python package {ANSWERS["module_name"]}.

Next steps:
  cd {ANSWERS["plugin_slug"]}
  git init && git add . && git commit -m "Start from django-plugin-cookiecutter"
  pip install tox && tox        # the tests inside {ANSWERS["host"]}, lint and packaging checks

Then open src/{ANSWERS["module_name"]}/signals.py: each receiver says which hook of {ANSWERS["host"]} it fills.
"""
)
