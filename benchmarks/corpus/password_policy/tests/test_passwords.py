from passcheck.form import validate_signup
from passcheck.policy import Policy, default_policy
from passcheck.rules import has_digit, min_length


def test_good_password():
    assert default_policy().accepts("Tr4mpoline-Sky")


def test_problems_listed():
    assert default_policy().problems("short") == [
        "must be at least 10 characters",
        "must contain a digit",
        "must contain an upper-case letter",
        "must contain a symbol",
    ]


def test_weak_password_rejected():
    assert not default_policy().accepts("longbutlowercase")


def test_strength():
    policy = Policy([min_length(8), has_digit])
    assert policy.strength("abcdefgh") == 40
    assert policy.strength("abcdefgh12345678") == 88


def test_signup_mismatch():
    assert validate_signup("Tr4mpoline-Sky", "Tr4mpoline-sky") == {"confirmation": ["does not match"]}


def test_signup_weak():
    assert validate_signup("letmein", "letmein")["password"][-1] == "is too common"


def test_mask():
    from passcheck.generate import mask

    assert mask("Tr4mpoline") == "Tr********"
    assert mask("a", visible=3) == "a"
