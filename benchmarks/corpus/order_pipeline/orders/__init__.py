"""Order intake for a mail-order nursery: validation, pricing, stock reservation."""
