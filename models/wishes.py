"""Tables for the wishes feature (filled in by its issue)."""
