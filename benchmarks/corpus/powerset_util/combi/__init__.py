"""Small combinatorics helpers used by the packing planner."""
