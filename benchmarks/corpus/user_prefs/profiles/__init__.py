"""User profiles and their UI preferences."""
