"""Permissions for wiki pages and their attachments."""
