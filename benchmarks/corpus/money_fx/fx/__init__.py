"""Multi-currency holdings and statements."""
