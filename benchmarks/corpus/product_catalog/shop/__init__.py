"""Catalogue, price list and checkout quotes."""
