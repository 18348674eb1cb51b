"""Persistence: functions that take a Session, add and flush, and never commit."""
