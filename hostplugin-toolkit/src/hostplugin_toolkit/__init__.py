"""What every plugin made from django-plugin-cookiecutter shares and no plugin owns."""

__version__ = "0.1.0"
