"""The tools that tox runs, apart from the tests in tests/: the development server with its demo
data (`tox -e serve`: devhost.py, demo.py), Django's management commands inside the host
(`tox -e manage`: manage.py), the admin's install proven (`tox -e install-check`:
install_check.py), the catalogs checked against the code (`tox -e translations`:
check_translations.py), and the template's parts and updates (`tox -e add-part`, `tox -e update`:
add_part.py). database.py reads DATABASE_URL for all of them and for the tests; host_snapshot.py
keeps the host's migrated database, which the development server and the browser test begin from."""
