import pytest

from recipebox import Recipe, parse_ingredient
from recipebox.units import canonical, fahrenheit_to_celsius, nice_fraction, to_metric

PANCAKES = Recipe.from_text(
    "Pancakes", 4,
    ["1 1/2 cups flour", "2 tbsp sugar", "1 tsp salt", "1 1/4 cup milk", "3 tbsp butter"],
    ["Whisk the dry ingredients.", "Fry on a medium pan."],
)
LOAF = Recipe.from_text(
    "Banana loaf", 8, ["2 cups flour", "4 oz butter", "1 pinch salt"],
    ["Heat the oven to 350°F.", "Bake for 60 minutes at 350 F."],
)


def test_parse_mixed_number():
    ing = parse_ingredient("1 1/2 cups flour")
    assert (ing.amount, ing.unit, ing.name) == (1.5, "cups", "flour")


def test_parse_rejects_free_text():
    with pytest.raises(ValueError):
        parse_ingredient("salt to taste")


def test_unit_aliases():
    assert [canonical(u) for u in ("Tablespoons", "lbs", "tsp.", "pinch")] == ["tbsp", "lb", "tsp", "pinch"]


def test_nice_fraction():
    assert [nice_fraction(v) for v in (3.0, 0.5, 1.33, 2.76)] == ["3", "1/2", "1 1/3", "2 3/4"]


def test_scaling_up():
    double = PANCAKES.scaled_to(8)
    assert [i.amount for i in double.ingredients] == [3.0, 4.0, 2.0, 2.5, 6.0]


def test_scaling_down_card():
    card = PANCAKES.scaled_to(2).card().splitlines()
    assert card[0] == "Pancakes (serves 2)"
    assert card[2:7] == ["- 3/4 cups flour", "- 1 tbsp sugar", "- 1/2 tsp salt", "- 2/3 cup milk",
                         "- 1 1/2 tbsp butter"]


def test_scaling_rejects_zero():
    with pytest.raises(ValueError):
        PANCAKES.scaled_to(0)


def test_to_metric():
    assert to_metric(2, "cups") == (473.18, "ml")
    assert to_metric(1, "pound") == (453.59, "g")
    assert to_metric(2, "cloves") == (2, "cloves")


def test_oven_temperatures():
    assert fahrenheit_to_celsius(212) == 100
    assert round(fahrenheit_to_celsius(350)) == 177


def test_metric_card():
    card = LOAF.metric().card().splitlines()
    assert card[2:5] == ["- 473 ml flour", "- 113 g butter", "- 1 pinch salt"]
    assert card[-2:] == ["1. Heat the oven to 175°C.", "2. Bake for 60 minutes at 175°C."]
