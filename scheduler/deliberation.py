"""Scheduled jobs of the deliberation feature (filled in by its issue)."""
