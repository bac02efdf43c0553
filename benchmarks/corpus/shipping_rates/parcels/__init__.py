"""Parcel shipping quotes for a small web shop."""
