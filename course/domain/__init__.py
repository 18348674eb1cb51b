"""Pure rules: scoring, drawing, progression (no I/O, no clock, no Flask, no SQLAlchemy)."""
