"""Kazakh identification numbers (BIN for legal entities, IIN for people).

Both are 12 digits ending in a check digit computed the same way (Law No. 223 of 12 Jan 2007):
weights 1..11 over the first 11 digits, sum mod 11; if that is 10, weights 3..11,1,2; if it is
10 again the number cannot be valid (such numbers are never issued).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_FIRST_WEIGHTS = tuple(range(1, 12))
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
BIN_ENTITY_TYPES = {
    "4": _("resident legal entity"),
    "5": _("non-resident legal entity"),
    "6": _("individual entrepreneur in joint form"),
}
BIN_UNIT_TYPES = {
    "0": _("head office"),
    "1": _("branch"),
    "2": _("representative office"),
    "3": _("peasant farm"),
}


def check_digit(first_eleven: str) -> int | None:
    """The check digit for 11 digits, or None when no digit can make the number valid."""
    digits = [int(char) for char in first_eleven]
    for weights in (_FIRST_WEIGHTS, _SECOND_WEIGHTS):
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


# Whole sentences per number kind: a translator cannot inflect a label pasted into a sentence
# (and English needs "a BIN" but "an IIN").
_MESSAGES = {
    "bin": {
        "length": _("A BIN has exactly 12 digits."),
        "checksum": _(
            "This BIN is not valid: its check digit does not match. Please check it for typos."
        ),
    },
    "iin": {
        "length": _("An IIN has exactly 12 digits."),
        "checksum": _(
            "This IIN is not valid: its check digit does not match. Please check it for typos."
        ),
    },
}


def _validate_twelve_digits(value: str, kind: str) -> None:
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        raise ValidationError(_MESSAGES[kind]["length"], code="length")
    if check_digit(value[:11]) != int(value[11]):
        raise ValidationError(_MESSAGES[kind]["checksum"], code="checksum")


def validate_bin(value: str) -> None:
    """Hard rules for a BIN: 12 digits, a registration month 01-12, a correct check digit."""
    _validate_twelve_digits(value, "bin")
    month = int(value[2:4])
    if not 1 <= month <= 12:
        raise ValidationError(
            _("Digits 3-4 of a BIN are the registration month (01-12); %(month)s is not a month."),
            code="month",
            params={"month": value[2:4]},
        )


def validate_iin(value: str) -> None:
    """Hard rules for an IIN: 12 digits, a plausible birth date prefix, a correct check digit."""
    _validate_twelve_digits(value, "iin")
    month, day = int(value[2:4]), int(value[4:6])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise ValidationError(
            _(
                "The first six digits of an IIN are the date of birth (YYMMDD); they do not form a date."
            ),
            code="birth_date",
        )


@dataclass(frozen=True)
class BinDetails:
    registered_year_month: str  # "YYMM" as printed in the number
    entity_type: str
    unit_type: str

    @property
    def is_resident(self) -> bool:
        return self.entity_type == "4"


def bin_details(value: str) -> BinDetails:
    """What a (valid) BIN says about its holder."""
    return BinDetails(registered_year_month=value[:4], entity_type=value[4], unit_type=value[5])


def bin_warnings(value: str) -> list[str]:
    """Soft findings: unusual entity or unit codes are possible for older numbers, so only warn."""
    details = bin_details(value)
    warnings = []
    if details.entity_type not in BIN_ENTITY_TYPES:
        warnings.append(
            str(
                _("Digit 5 of this BIN (%(digit)s) is not a known entity type (4, 5 or 6).")
                % {"digit": details.entity_type}
            )
        )
    if details.unit_type not in BIN_UNIT_TYPES:
        warnings.append(
            str(
                _("Digit 6 of this BIN (%(digit)s) is not a known unit type (0-3).")
                % {"digit": details.unit_type}
            )
        )
    return warnings
