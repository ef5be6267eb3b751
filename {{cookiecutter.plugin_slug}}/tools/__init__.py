"""The tools that tox runs, apart from the tests in tests/: the demo data that the development
server shows (`tox -e serve`: demo.py), the admin's install proven (`tox -e install-check`:
install_check.py), and the template's parts and updates (`tox -e add-part`, `tox -e update`:
add_part.py). What every plugin shares (the development server, `tox -e manage`,
`tox -e translations`, the host's development branch, DATABASE_URL, the host's migrated
database) comes from hostplugin-toolkit."""
