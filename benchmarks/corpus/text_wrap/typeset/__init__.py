"""Plain-text typesetting: wrapping, justification and boxed notes for terminal output."""
