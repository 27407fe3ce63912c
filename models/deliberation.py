"""Tables for the deliberation feature (filled in by its issue)."""
