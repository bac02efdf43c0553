"""Invoices: line items, tax, totals and a plain-text rendering."""
