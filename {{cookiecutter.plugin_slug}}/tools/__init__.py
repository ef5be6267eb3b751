"""What the toolkit's tools need from this plugin: demo.py, the demo data that the development
server (`tox -e serve`), the install check (`tox -e install-check`) and the browser test show.
The tools themselves come from hostplugin-toolkit."""
