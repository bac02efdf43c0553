"""Notes with tags, and a tag index for quick filtering."""
