"""The only module that reads the process environment.

Every setting the portal takes from outside comes through these helpers so that the full list of
variables is greppable (`env.` in settings) and `.env.example` can be checked against it.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def string(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or (default is None and not value.strip()):
        # A required value set to nothing ("SECRET=") is as missing as an unset one.
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default
    return value


def optional(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def boolean(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def integer(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


def string_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret(name: str, *, local_file) -> str:
    """A required secret, or on a developer's machine the one `make setup` wrote to `local_file`.

    The file lives in the var/ folder, which never reaches an image (.dockerignore), so production
    still refuses to start without the variable; a newcomer's `manage.py makemigrations` works.
    """
    if os.environ.get(name, "").strip():
        return os.environ[name]
    try:
        value = local_file.read_text().strip()
    except FileNotFoundError:
        value = ""
    return value or string(name)
