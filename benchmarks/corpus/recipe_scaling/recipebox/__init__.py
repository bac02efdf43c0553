"""Scale recipes to a number of servings and convert them to metric units."""

from .recipe import Ingredient, Recipe, parse_ingredient

__all__ = ["Ingredient", "Recipe", "parse_ingredient"]
