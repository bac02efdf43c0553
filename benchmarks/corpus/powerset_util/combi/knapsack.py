"""Pick the most valuable set of parcels that fits a van (brute force: fleets are tiny)."""

from .subsets import all_subsets


def best_load(parcels, capacity_kg):
    """parcels: list of (name, weight_kg, value). Returns (value, sorted names)."""
    best_value, best_names = 0, []
    for chosen in all_subsets(parcels):
        weight = sum(p[1] for p in chosen)
        value = sum(p[2] for p in chosen)
        if weight <= capacity_kg and value > best_value:
            best_value, best_names = value, sorted(p[0] for p in chosen)
    return best_value, best_names
