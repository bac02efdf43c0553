import pytest

from tinycalc import CalcSyntaxError, evaluate


@pytest.mark.parametrize("text, expected", [
    ("1 + 2 * 3", 7),
    ("(1 + 2) * 3", 9),
    ("2 ** 3 ** 2", 512),
    ("7 // 2 + 7 % 2", 4),
    ("-3 + 10", 7),
])
def test_arithmetic(text, expected):
    assert evaluate(text) == expected


def test_names():
    assert evaluate("price * qty", price=2.5, qty=4) == 10.0


def test_unknown_name():
    with pytest.raises(CalcSyntaxError):
        evaluate("a + b", a=1)


def test_unbalanced_paren():
    with pytest.raises(CalcSyntaxError):
        evaluate("(1 + 2")


def test_trailing_operator_is_a_syntax_error():
    with pytest.raises(CalcSyntaxError):
        evaluate("4 *")
