"""Recipes: ingredient lines, scaling and metric conversion."""

import re
from dataclasses import dataclass, replace
from fractions import Fraction

from .units import fahrenheit_to_celsius, nice_fraction, to_metric

_LINE = re.compile(r"^\s*(\d+(?:\.\d+)?(?:/\d+)?|\d+\s+\d+/\d+)\s+([A-Za-z.]+)\s+(.+?)\s*$")
_OVEN = re.compile(r"(\d{3})\s*°?F\b")


def _amount(text):
    parts = text.split()
    return float(sum(Fraction(p) for p in parts))


@dataclass(frozen=True)
class Ingredient:
    amount: float
    unit: str
    name: str

    def scaled(self, factor):
        return replace(self, amount=self.amount * factor)

    def metric(self):
        amount, unit = to_metric(self.amount, self.unit)
        if unit in ("ml", "g") and amount >= 10:
            return replace(self, amount=float(round(amount)), unit=unit)
        return replace(self, amount=round(amount, 1), unit=unit)

    def render(self):
        if self.unit in ("ml", "g"):
            return f"{self.amount:g} {self.unit} {self.name}"
        return f"{nice_fraction(self.amount)} {self.unit} {self.name}"


def parse_ingredient(line):
    match = _LINE.match(line)
    if not match:
        raise ValueError(f"cannot read ingredient line {line!r}")
    amount, unit, name = match.groups()
    return Ingredient(_amount(amount), unit, name)


@dataclass
class Recipe:
    title: str
    servings: int
    ingredients: list
    steps: list

    @classmethod
    def from_text(cls, title, servings, ingredient_lines, steps=()):
        return cls(title, servings, [parse_ingredient(l) for l in ingredient_lines], list(steps))

    def scaled_to(self, servings):
        if servings <= 0:
            raise ValueError("servings must be positive")
        factor = servings / self.servings
        return Recipe(self.title, servings, [i.scaled(factor) for i in self.ingredients], list(self.steps))

    def metric(self):
        steps = [_OVEN.sub(lambda m: f"{round(fahrenheit_to_celsius(int(m.group(1))) / 5) * 5}°C", s)
                 for s in self.steps]
        return Recipe(self.title, self.servings, [i.metric() for i in self.ingredients], steps)

    def card(self):
        lines = [f"{self.title} (serves {self.servings})", ""]
        lines += [f"- {i.render()}" for i in self.ingredients]
        lines += [""] + [f"{n}. {s}" for n, s in enumerate(self.steps, 1)]
        return "\n".join(lines)
