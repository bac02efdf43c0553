"""Unit conversion for recipes and workshop measurements."""
