"""Searching the catalogue."""


def normalise(text):
    return " ".join(text.lower().split())


def search(products, query, category=None):
    """Products whose name contains every word of `query`, optionally in one category."""
    wanted = normalise(query).split()
    hits = []
    for product in products:
        if category is not None and product.category != category:
            continue
        name = normalise(product.name)
        if all(word in name for word in wanted):
            hits.append(product)
    return sorted(hits, key=lambda p: p.name)


def categories(products):
    return sorted({p.category for p in products})
