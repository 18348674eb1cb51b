"""The one error a backup or a restore raises: its message is what the command prints."""

from __future__ import annotations


class BackupError(Exception):
    """A backup or restore that cannot be done, and why, in words for the operator."""
