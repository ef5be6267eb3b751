"""The tools that tox runs, apart from the tests in tests/: the demo data that the development
server and the install check show (`tox -e serve`, `tox -e install-check`: demo.py), and the
template's parts and updates (`tox -e add-part`, `tox -e update`: add_part.py). What every
plugin shares (the development server, the install check, `tox -e manage`,
`tox -e translations`, the host's development branch, DATABASE_URL, the host's migrated
database) comes from hostplugin-toolkit."""
