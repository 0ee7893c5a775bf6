import pytest
from django.core.exceptions import ValidationError

from portal.accounts.validators import (
    bin_details,
    bin_warnings,
    check_digit,
    validate_bin,
    validate_iin,
)


def _with_check_digit(stem: str) -> str:
    digit = check_digit(stem)
    assert digit is not None, f"{stem} has no valid check digit"
    return f"{stem}{digit}"


def _error_code(validator, value: str) -> str:
    with pytest.raises(ValidationError) as caught:
        validator(value)
    return caught.value.code


def test_check_digit_uses_weights_one_to_eleven():
    # 1*1 + 0*2 + 0*3 + 5*4 + 4*5 + 0 ... + 1*10 + 2*11 = 73; 73 mod 11 = 7
    assert check_digit("10054000012") == 7


def test_check_digit_falls_back_to_the_second_weights_when_the_first_give_ten():
    stem = "10054000090"
    first = sum(int(d) * w for d, w in zip(stem, range(1, 12), strict=True)) % 11
    assert first == 10
    # weights 3..11, 1, 2: 3 + 0 + 0 + 30 + 28 + 0 + 0 + 0 + 0 + 9 + 0 = 70; 70 mod 11 = 4
    assert check_digit(stem) == 4


def test_check_digit_is_none_when_both_passes_give_ten():
    assert check_digit("10054000093") is None


@pytest.mark.parametrize("value", ["971240001315", "940140000385", "000740000728"])
def test_validate_bin_accepts_published_numbers(value):
    validate_bin(value)


@pytest.mark.parametrize("stem", ["10054000012", "10054000090", "25124100007", "01016000042"])
def test_validate_bin_accepts_numbers_built_with_the_check_digit(stem):
    validate_bin(_with_check_digit(stem))


def test_validate_bin_refuses_a_wrong_check_digit():
    valid = _with_check_digit("10054000012")
    wrong = f"{valid[:11]}{(int(valid[11]) + 1) % 10}"

    with pytest.raises(ValidationError) as caught:
        validate_bin(wrong)

    assert caught.value.code == "checksum"
    assert caught.value.messages == [
        "This BIN is not valid: its check digit does not match. Please check it for typos."
    ]


@pytest.mark.parametrize("last_digit", range(10))
def test_validate_bin_refuses_every_number_whose_passes_both_give_ten(last_digit):
    assert _error_code(validate_bin, f"10054000093{last_digit}") == "checksum"


@pytest.mark.parametrize(("stem", "month"), [("13005400012", "00"), ("10130400012", "13")])
def test_validate_bin_refuses_a_month_outside_01_to_12(stem, month):
    value = _with_check_digit(stem)

    with pytest.raises(ValidationError) as caught:
        validate_bin(value)

    assert caught.value.code == "month"
    assert caught.value.messages == [
        f"Digits 3-4 of a BIN are the registration month (01-12); {month} is not a month."
    ]


@pytest.mark.parametrize(
    "value",
    ["10054000012", "1005400001270", "", "10054000012a", "1005 4000012", "١٠٠٥٤٠٠٠٠١٢٧"],
    ids=["11 digits", "13 digits", "empty", "letter", "space", "arabic-indic digits"],
)
def test_validate_bin_refuses_anything_but_twelve_ascii_digits(value):
    with pytest.raises(ValidationError) as caught:
        validate_bin(value)

    assert caught.value.code == "length"
    assert caught.value.messages == ["A BIN has exactly 12 digits."]


def test_bin_details_reads_the_parts():
    details = bin_details("971240001315")

    assert details.registered_year_month == "9712"
    assert details.entity_type == "4"
    assert details.unit_type == "0"
    assert details.is_resident


def test_bin_warnings_are_empty_for_known_codes():
    assert bin_warnings(_with_check_digit("10054000012")) == []


def test_bin_warnings_name_an_unknown_entity_type():
    value = _with_check_digit("10057000012")

    validate_bin(value)  # a warning, not an error
    assert bin_warnings(value) == [
        "Digit 5 of this BIN (7) is not a known entity type (4, 5 or 6)."
    ]


def test_bin_warnings_name_an_unknown_unit_type():
    value = _with_check_digit("10054900012")

    validate_bin(value)
    assert bin_warnings(value) == ["Digit 6 of this BIN (9) is not a known unit type (0-3)."]


def test_bin_warnings_name_both_unknown_codes():
    assert len(bin_warnings(_with_check_digit("10057900012"))) == 2


def test_validate_iin_accepts_a_valid_number():
    validate_iin(_with_check_digit("85010130012"))


def test_validate_iin_refuses_a_wrong_check_digit():
    valid = _with_check_digit("85010130012")

    with pytest.raises(ValidationError) as caught:
        validate_iin(f"{valid[:11]}{(int(valid[11]) + 1) % 10}")

    assert caught.value.messages == [
        "This IIN is not valid: its check digit does not match. Please check it for typos."
    ]


@pytest.mark.parametrize("stem", ["85130130012", "85003130012", "85013230012", "85010030012"])
def test_validate_iin_refuses_a_prefix_that_is_not_a_birth_date(stem):
    assert _error_code(validate_iin, _with_check_digit(stem)) == "birth_date"


def test_validate_iin_refuses_a_short_number():
    with pytest.raises(ValidationError) as caught:
        validate_iin("8501013001")

    assert caught.value.messages == ["An IIN has exactly 12 digits."]
