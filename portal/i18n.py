"""Reading fields kept in three languages (`name_en`, `name_ru`, `name_kk`)."""

from django.utils import translation


def localized(obj: object, base: str) -> str:
    """`obj.<base>_<current language>`, falling back to English when that one is empty."""
    language = (translation.get_language() or "en")[:2]
    return getattr(obj, f"{base}_{language}", "") or getattr(obj, f"{base}_en", "")
