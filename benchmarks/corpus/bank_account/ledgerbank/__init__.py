"""Accounts, transfers and statements for a toy bank."""
