"""Scheduled jobs of the notices feature (filled in by its issue)."""
