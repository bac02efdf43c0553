"""A course gradebook: weighted categories, letter grades and a class report."""
