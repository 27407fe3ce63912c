"""Tables for the notices feature (filled in by its issue)."""
