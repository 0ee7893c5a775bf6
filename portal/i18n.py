"""Reading fields kept in three languages (`name_en`, `name_ru`, `name_kk`)."""

from django.utils import translation

# The languages such a field is kept in, English first (the fallback).
FIELD_LANGUAGES = ("en", "ru", "kk")


def field_language(language: str | None = None) -> str:
    """`language` (the active one by default) when fields are kept in it, else English."""
    code = (language or translation.get_language() or "en")[:2]
    return code if code in FIELD_LANGUAGES else "en"


def localized(obj: object, base: str) -> str:
    """`obj.<base>_<current language>`, falling back to English when that one is empty."""
    return getattr(obj, f"{base}_{field_language()}", "") or getattr(obj, f"{base}_en", "")
