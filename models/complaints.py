"""Tables for the complaints feature (filled in by its issue)."""
