"""An in-memory user directory with lookups and mail-merge style rendering."""
