import pytest

from mailmerge import Template, TemplateError


def test_plain_substitution():
    t = Template("Hello {{ customer.first }}, your order {{order}} shipped.")
    assert t.render({"customer": {"first": "Ines"}, "order": 1042}) == "Hello Ines, your order 1042 shipped."


def test_placeholders():
    assert Template("{{ a }} {{b|upper}} {{ a }}").placeholders() == ["a", "b"]


def test_chained_filters():
    assert Template("{{ name | title | upper }}").render({"name": "ada lovelace"}) == "ADA LOVELACE"


def test_money():
    assert Template("Total: {{ total|money }}").render({"total": 1234.5}) == "Total: 1,234.50"


def test_escape():
    t = Template("<p>{{ note | escape }}</p>")
    assert t.render({"note": 'Tom & "Jerry" <3'}) == "<p>Tom &amp; &quot;Jerry&quot; &lt;3</p>"


def test_unknown_filter():
    with pytest.raises(TemplateError):
        Template("{{ x | shout }}")


def test_missing_value():
    with pytest.raises(TemplateError):
        Template("{{ customer.last }}").render({"customer": {}})
