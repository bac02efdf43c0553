import pytest

from addrclean import InvalidPostcode, normalise, same_address
from addrclean.address import country_code
from addrclean.postcodes import normalise_postcode
from addrclean.streets import normalise_street


def test_street_suffix_and_case():
    assert normalise_street("  221b baker st. ") == "221B Baker Street"


def test_direction_and_unit():
    assert normalise_street("apt 4, 12 n main ave") == "Apt 4 12 North Main Avenue"


def test_short_names_are_not_expanded():
    assert normalise_street("The Ct") == "The Court"
    assert normalise_street("St Mary") == "St Mary"


def test_postcodes_per_country():
    assert normalise_postcode("sw1a1aa", "GB") == "SW1A 1AA"
    assert normalise_postcode("1012 ab", "NL") == "1012 AB"
    assert normalise_postcode("94105-1420", "US") == "94105-1420"
    assert normalise_postcode("941051420", "US") == "94105-1420"


def test_invalid_postcode():
    with pytest.raises(InvalidPostcode):
        normalise_postcode("ABC", "DE")


def test_unknown_country_postcode_is_only_tidied():
    assert normalise_postcode(" 75008  paris ", "FR") == "75008 PARIS"


def test_country_names():
    assert [country_code(n) for n in ("U.K.", "Holland", "de", "Narnia")] == ["GB", "NL", "DE", "NARNIA"]


def test_uk_address_label():
    address = normalise({"lines": "flat 2\n10 downing st", "city": "london", "postcode": "sw1a 2aa"})
    assert address.label() == "Flat 2\n10 Downing Street\nLONDON\nSW1A 2AA\nGB"


def test_dutch_address_label():
    address = normalise({"lines": ["prinsengracht 263"], "city": "amsterdam", "postcode": "1016gv",
                         "country": "Netherlands"})
    assert address.label() == "Prinsengracht 263\n1016 GV Amsterdam\nNL"


def test_city_with_particle():
    address = normalise({"lines": "1 high st", "city": "STRATFORD UPON AVON", "postcode": "cv37 6qw"})
    assert address.city == "Stratford upon Avon"


def test_same_address_ignores_formatting():
    a = normalise({"lines": "10 downing st", "city": "London", "postcode": "SW1A2AA"})
    b = normalise({"lines": ["10 Downing Street"], "city": "LONDON", "postcode": "sw1a 2aa", "country": "uk"})
    assert same_address(a, b)
