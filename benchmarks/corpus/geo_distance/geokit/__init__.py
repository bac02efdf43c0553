"""Great-circle distances and simple route helpers."""
